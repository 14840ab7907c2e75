/**
 * Hand-written ustar archives for hostile-input tests. Written without the `tar` package on
 * purpose: the reader must be tested against bytes its own library would never produce.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constants, crc32, createGzip, deflateRawSync, gzipSync } from 'node:zlib';

export type TarType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'sparse' | 'pax' | 'gnuLongName';

const TYPE_FLAGS: Record<TarType, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  directory: '5',
  fifo: '6',
  sparse: 'S',
  // A pax extended header (describes the next entry) and GNU tar's long-name header.
  pax: 'x',
  gnuLongName: 'L',
};

/** Entry types whose body follows the header. */
const WITH_BODY = new Set<TarType>(['file', 'pax', 'gnuLongName']);

export interface TarEntrySpec {
  path: string;
  type?: TarType;
  body?: string | Buffer;
  linkpath?: string;
  mode?: number;
  /** Declared size when it differs from the body (bombs, truncation). */
  size?: number;
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar field too long: ${value}`);
  bytes.copy(block, offset);
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

export function tarHeader(spec: TarEntrySpec): Buffer {
  const type = spec.type ?? 'file';
  const size = spec.size ?? (WITH_BODY.has(type) ? Buffer.byteLength(spec.body ?? '') : 0);
  const block = Buffer.alloc(512);
  writeString(block, 0, 100, spec.path);
  writeOctal(block, 100, 8, spec.mode ?? (type === 'directory' ? 0o755 : 0o644));
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 0);
  block.fill(' ', 148, 156);
  writeString(block, 156, 1, TYPE_FLAGS[type]);
  writeString(block, 157, 100, spec.linkpath ?? '');
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

function padding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

/** An uncompressed tar of the given entries, with the two end-of-archive blocks. */
export function buildTar(entries: TarEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(tarHeader(entry));
    if (WITH_BODY.has(entry.type ?? 'file') || (entry.body !== undefined && entry.size !== undefined)) {
      const body = Buffer.from(entry.body ?? '');
      parts.push(body, padding(body.length));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function buildTarGz(entries: TarEntrySpec[]): Buffer {
  return gzipSync(buildTar(entries));
}

/** A gzip tarball with one file of `bytes` zeros, compressed as it is produced (about 1000:1). */
export async function buildGzipBomb(bytes: number, fileName = 'bomb/zeros.bin'): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const output: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => output.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  gzip.write(tarHeader({ path: fileName, size: bytes }));
  const chunk = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < bytes; written += chunk.length) {
    const piece = Math.min(chunk.length, bytes - written);
    if (!gzip.write(piece === chunk.length ? chunk : chunk.subarray(0, piece))) {
      await new Promise((resolve) => gzip.once('drain', resolve));
    }
  }
  gzip.end(Buffer.concat([padding(bytes), Buffer.alloc(1024)]));
  await finished;
  return Buffer.concat(output);
}

/** The body of a pax extended header: `<length> <key>=<value>\n` records, the length counting itself. */
export function paxRecords(records: Record<string, string>): string {
  return Object.entries(records)
    .map(([key, value]) => {
      const text = ` ${key}=${value}\n`;
      let length = Buffer.byteLength(text);
      length += String(length + String(length).length).length;
      return `${length}${text}`;
    })
    .join('');
}

/**
 * A gzip file of `prefix` followed by `zeroBytes` zeros, built without compressing the zeros one by
 * one: each MiB of zeros is deflated once after a full flush (so its compressed form does not depend
 * on what came before) and repeated. About 1000:1, like `gzip -9` of a file ending in zeros; a valid
 * gzip stream (checksum and length included) that `gunzip` reads back whole.
 */
export function gzipWithZeros(prefix: Buffer, zeroBytes: number): Buffer {
  const mib = 1024 * 1024;
  if (zeroBytes % mib !== 0) throw new Error('zeroBytes must be whole MiB');
  const options = { level: 9, finishFlush: constants.Z_FULL_FLUSH };
  const zeros = Buffer.alloc(mib);
  const zeroBlock = deflateRawSync(zeros, options);
  let crc = crc32(prefix);
  const parts = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]), deflateRawSync(prefix, options)];
  for (let written = 0; written < zeroBytes; written += mib) {
    parts.push(zeroBlock);
    crc = crc32(zeros, crc);
  }
  parts.push(deflateRawSync(Buffer.alloc(0)));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((prefix.length + zeroBytes) % 2 ** 32, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}

const createdDirs: string[] = [];

/** A fresh folder under the OS temp dir, removed by {@link removeTempDirs}. */
export async function tempDir(prefix = 'pack-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  createdDirs.push(dir);
  return dir;
}

/** For `afterAll`: removes every folder {@link tempDir} made in this test file. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(createdDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes bytes to a fresh temp file and returns its path. */
export async function writeTemp(bytes: Buffer, name = 'pack.tar.gz'): Promise<string> {
  const file = path.join(await tempDir(), name);
  await writeFile(file, bytes);
  return file;
}

/** A minimal valid ADDON pack named `name` at `version`, gzipped: distinct bytes per name and version. */
export function addonPackTarball(name: string, version: string): Buffer {
  return buildTarGz(
    minimalPackEntries(`${name}-${version}`, {
      'pack.json': JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: [] }),
      'values.yaml': `pack:\n  namespace: ${name}\n`,
      'charts/demo-1.0.0.tgz': undefined,
    }),
  );
}

/** A valid pack whose chart file is `payloadBytes` of incompressible text, so the archive is about that large. */
export function largePackTarball(name: string, payloadBytes: number): Buffer {
  return buildTarGz(
    minimalPackEntries(`${name}-1.0.0`, {
      'pack.json': JSON.stringify({ name, displayName: name, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: ['charts/payload.tgz'] }),
      'charts/payload.tgz': randomBytes(Math.ceil((payloadBytes * 3) / 4)).toString('base64').slice(0, payloadBytes),
    }),
  );
}

/** `sha256:<hex>` of `bytes`, computed here (not by the service's hashing) to check what it answers. */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A minimal valid pack's files, for tests that break one thing at a time. */
export function minimalPackEntries(root = 'demo-1.0.0', overrides: Partial<Record<string, string>> = {}): TarEntrySpec[] {
  const files: Record<string, string> = {
    'pack.json': JSON.stringify({
      name: 'demo',
      displayName: 'Demo',
      version: '1.0.0',
      layer: 'addon',
      cloudTypes: ['all'],
      charts: ['charts/demo-1.0.0.tgz'],
    }),
    'values.yaml': 'pack:\n  namespace: demo\n',
    'logo.png': '\x89PNG fake',
    'charts/demo-1.0.0.tgz': 'chart bytes',
    ...overrides,
  };
  const prefix = root === '' ? '' : `${root}/`;
  const entries: TarEntrySpec[] = root === '' ? [] : [{ path: prefix, type: 'directory' }];
  for (const [name, body] of Object.entries(files)) {
    if (body !== undefined) entries.push({ path: prefix + name, body });
  }
  return entries;
}
