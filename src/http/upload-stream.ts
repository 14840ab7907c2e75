/**
 * The stream a resolver reads an upload from. graphql-upload-minimal hands over busboy's file
 * stream itself (no temporary file): the request body arrives only as fast as it is read. Busboy's
 * stream alone would let two things go wrong, which this wrapper prevents:
 * - over the size limit it just ends, truncated, with a 'limit' event: here it fails with a 413;
 * - destroyed by its reader (a refused archive, a cancelled push) it stops busboy, and so the
 *   request, for good: here the rest of the file is drained, so the request still ends and its
 *   connection stays usable.
 */
import { Readable } from 'node:stream';

/** The 413 graphql-upload answered a file over the limit with (the push service maps status 413). */
export function fileTooLarge(maxFileSize: number): Error {
  return Object.assign(new Error(`File truncated as it exceeds the ${maxFileSize} byte size limit.`), { status: 413, expose: true });
}

/** Reads the rest of `source` into nothing: busboy then parses on to the request's end. */
export function drain(source: Readable): void {
  source.on('error', () => undefined);
  source.removeAllListeners('data');
  source.resume();
}

export class UploadStream extends Readable {
  private ended = false;

  constructor(
    private readonly source: Readable,
    maxFileSize: number,
  ) {
    super();
    // A reader that stopped listening (it finished, or gave up) must not turn a later destroy, such as
    // the push stopping its upload when the client goes away, into an uncaught error that ends the
    // process (seen in the soak: a client cut a push mid-upload). Readers that listen still get it.
    this.on('error', () => undefined);
    // Taken before its reader asked for it: it may have failed or hit the limit in between.
    if (source.destroyed) {
      this.destroy(source.errored ?? new Error('Request disconnected during file upload stream parsing.'));
      return;
    }
    if ((source as Readable & { truncated?: boolean }).truncated) {
      this.destroy(fileTooLarge(maxFileSize));
      return;
    }
    source.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) source.pause();
    });
    source.once('end', () => {
      this.ended = true;
      this.push(null);
    });
    source.once('limit', () => this.destroy(fileTooLarge(maxFileSize)));
    // processRequest destroys the file with its reason when the client disconnects or the body is malformed.
    source.on('error', (error) => this.destroy(error));
  }

  override _read(): void {
    this.source.resume();
  }

  /** Whether every byte of the file was handed on (nothing is left to drain). */
  get complete(): boolean {
    return this.ended;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.ended && !this.source.destroyed) drain(this.source);
    callback(error);
  }
}
