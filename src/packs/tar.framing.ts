/**
 * Finds where a tar stream ends, ahead of the tar parser.
 *
 * node-tar keeps reading after the end-of-archive marker (two zero blocks): it appends every later
 * chunk to one buffer, so a small gzip of a pack followed by hundreds of megabytes of zeros costs
 * minutes of copying and as much memory. The archive reader therefore walks the decompressed stream
 * block by block itself (headers decoded by node-tar's own `Header`, so sizes are read the same
 * way), hands the parser only the bytes up to the marker, and judges what follows: zero padding up
 * to {@link MAX_TRAILING_PADDING} (tar pads to its record size) is accepted, anything else is
 * `ARCHIVE_TRAILING_DATA`, and reading stops the moment that is known.
 *
 * Extended headers (pax `x`/`g`, GNU long names) are framed by their own size, never applied: an
 * archive whose extended headers change an entry's size (or turn a file into a folder) frames
 * differently here than in the parser, which {@link TarFraming.confirm} then refuses as ambiguous.
 */
import { Header } from 'tar';
import { PackIssueCode, packError } from './pack.issues.js';
import type { PackIssue } from './pack.types.js';

const BLOCK = 512;

/** Zero bytes accepted after the end-of-archive marker: a tar record (10 KiB by default) with room for blocking factors up to 128. */
export const MAX_TRAILING_PADDING = 64 * 1024;

/** Entry types whose body describes the next entry; the parser keeps those up to its meta size cap. */
const META_TYPES = new Set([
  'ExtendedHeader',
  'OldExtendedHeader',
  'GlobalExtendedHeader',
  'NextFileHasLongPath',
  'OldGnuLongPath',
  'NextFileHasLongLinkpath',
]);

const ZEROS = Buffer.alloc(MAX_TRAILING_PADDING);

function isZero(bytes: Buffer): boolean {
  for (let at = 0; at < bytes.length; at += ZEROS.length) {
    const piece = bytes.subarray(at, at + ZEROS.length);
    if (!piece.equals(ZEROS.subarray(0, piece.length))) return false;
  }
  return true;
}

/** Reading must stop: the issue says why. */
export class TarFramingStop extends Error {
  constructor(readonly issue: PackIssue) {
    super(issue.message);
  }
}

export interface TarFramingOptions {
  /** Headers of any kind (entries and extended headers) before the archive is refused. */
  maxHeaders: number;
  /** The parser's cap on extended header bodies: bigger ones it skips (and reports as ignored). */
  maxMetaEntryBytes: number;
  /** Zero padding accepted after the end marker. */
  maxTrailingBytes?: number;
}

export class TarFraming {
  /** Bytes of the tar stream up to and including the end-of-archive marker (all bytes, until it is seen). */
  archiveBytes = 0;
  /** Bytes seen after the end-of-archive marker (all zero, or reading stopped). */
  trailingBytes = 0;
  /** Non-zero header blocks seen. */
  headers = 0;
  /** The end-of-archive marker was seen. */
  ended = false;

  /** Body sizes (in blocks) of the headers the parser reports as entries, in order, for {@link confirm}. */
  private readonly expected: number[] = [];
  private confirmed = 0;
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Body bytes (whole blocks) still to pass before the next header. */
  private bodyLeft = 0;
  private sawNullBlock = false;
  private readonly maxTrailingBytes: number;

  constructor(private readonly options: TarFramingOptions) {
    this.maxTrailingBytes = options.maxTrailingBytes ?? MAX_TRAILING_PADDING;
  }

  /**
   * The part of `chunk` the tar parser must see (all of it, a prefix ending with the marker, or
   * nothing after it). Throws {@link TarFramingStop} for trailing data or too many headers.
   */
  take(chunk: Buffer): Buffer {
    if (this.ended) {
      this.checkTrailing(chunk);
      return chunk.subarray(0, 0);
    }
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const step = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= step;
        at += step;
        continue;
      }
      const step = Math.min(BLOCK - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + step);
      this.headerFill += step;
      at += step;
      if (this.headerFill < BLOCK) break;
      this.headerFill = 0;
      this.onHeader(this.header);
      if (this.ended) {
        this.archiveBytes += at;
        this.checkTrailing(chunk.subarray(at));
        return chunk.subarray(0, at);
      }
    }
    this.archiveBytes += chunk.length;
    return chunk;
  }

  /**
   * The parser reported an entry (or an ignored one) whose body spans `blockSize` bytes. Every
   * report must match the framing here, in order: otherwise the archive reads two ways (pax
   * headers resizing entries) and is refused.
   */
  confirm(blockSize: number): void {
    if (this.expected[this.confirmed] !== blockSize) throw new TarFramingStop(ambiguous());
    this.confirmed += 1;
  }

  /** After the parser finished: every header framed here was reported by it. */
  assertAllConfirmed(): void {
    if (this.confirmed !== this.expected.length) throw new TarFramingStop(ambiguous());
  }

  private onHeader(block: Buffer): void {
    if (isZero(block)) {
      if (this.sawNullBlock) this.ended = true;
      this.sawNullBlock = true;
      return;
    }
    this.sawNullBlock = false;
    this.headers += 1;
    if (this.headers > this.options.maxHeaders) {
      throw new TarFramingStop(packError(PackIssueCode.ARCHIVE_TOO_MANY_ENTRIES, `The archive holds more than ${this.options.maxHeaders} entries.`));
    }
    let header: Header;
    try {
      header = new Header(block);
    } catch {
      return; // the parser warns about this block (and reading stops there) and skips it, as here
    }
    // Blocks the parser warns about and skips whole, with no body.
    if (!header.cksumValid || !header.path) return;
    const link = header.type === 'Link' || header.type === 'SymbolicLink';
    if (link ? !header.linkpath : header.linkpath && header.type !== 'ExtendedHeader' && header.type !== 'GlobalExtendedHeader') return;
    const size = header.size !== undefined && Number.isFinite(header.size) && header.size > 0 ? header.size : 0;
    const blockSize = BLOCK * Math.ceil(size / BLOCK);
    this.bodyLeft = blockSize;
    // Extended headers the parser keeps are not reported as entries; oversized ones are (as ignored).
    if (!(META_TYPES.has(header.type) && size <= this.options.maxMetaEntryBytes)) this.expected.push(blockSize);
  }

  private checkTrailing(rest: Buffer): void {
    if (rest.length === 0) return;
    this.trailingBytes += rest.length;
    if (!isZero(rest)) {
      throw new TarFramingStop(
        packError(PackIssueCode.ARCHIVE_TRAILING_DATA, 'Data follows the end-of-archive marker of the tar; push a tarball with nothing after its end.'),
      );
    }
    if (this.trailingBytes > this.maxTrailingBytes) {
      throw new TarFramingStop(
        packError(
          PackIssueCode.ARCHIVE_TRAILING_DATA,
          `More than ${this.maxTrailingBytes / 1024} KiB of padding follow the end-of-archive marker of the tar; tar pads to one record only.`,
        ),
      );
    }
  }
}

function ambiguous(): PackIssue {
  return packError(
    PackIssueCode.ARCHIVE_CORRUPT,
    'The tar headers can be read two ways (an extended header changes an entry\'s size); push a tarball made by a standard tar.',
  );
}
