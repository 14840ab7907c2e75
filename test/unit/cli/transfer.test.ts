import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import busboy from 'busboy';
import { createMultipartBody } from '../../../src/cli/client.js';
import { createTransferProgress } from '../../../src/cli/progress.js';

describe('createMultipartBody', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'packctl-multipart-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('streams operations, map and the file with an exact Content-Length, as a multipart parser reads it', async () => {
    const file = path.join(dir, 'pack.tar.gz');
    const bytes = Buffer.alloc(700_000, 7);
    bytes.write('start');
    await writeFile(file, bytes);
    const sent: number[] = [];
    const operations = { query: 'mutation($a: Upload!) { pushPack(archive: $a) { id } }', variables: { a: null } };
    const multipart = await createMultipartBody(operations, { variable: 'variables.a', path: file }, (n) => sent.push(n));

    const chunks: Buffer[] = [];
    for await (const chunk of multipart.body) chunks.push(Buffer.from(chunk));
    const body = Buffer.concat(chunks);
    expect(body.length).toBe(multipart.length);
    expect(multipart.fileSize).toBe(bytes.length);
    expect(sent.at(-1)).toBe(bytes.length);
    expect(sent.length).toBeGreaterThan(1);

    const fields: Record<string, string> = {};
    let received: Buffer | undefined;
    let filename: string | undefined;
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: { 'content-type': multipart.contentType } });
      parser.on('field', (name, value) => (fields[name] = value));
      parser.on('file', (_name, stream, info) => {
        filename = info.filename;
        const parts: Buffer[] = [];
        stream.on('data', (part: Buffer) => parts.push(part));
        stream.on('end', () => (received = Buffer.concat(parts)));
      });
      parser.on('close', resolve);
      parser.on('error', reject);
      Readable.from([body]).pipe(parser);
    });
    expect(JSON.parse(fields.operations)).toEqual(operations);
    expect(JSON.parse(fields.map)).toEqual({ 0: ['variables.a'] });
    expect(filename).toBe('pack.tar.gz');
    expect(received!.equals(bytes)).toBe(true);
  });
});

describe('createTransferProgress off a terminal', () => {
  it('prints a few plain lines: each 25% step once, then 100% with the rate', () => {
    const stream = new PassThrough();
    let now = 0;
    const progress = createTransferProgress({ verb: 'pushing', label: 'x.tar.gz', total: 4096, stream: stream as unknown as NodeJS.WriteStream, now: () => now });
    now = 1000;
    for (const sent of [100, 1100, 1200, 2100, 3000, 3100, 4000, 4096]) progress.update(sent);
    progress.finish();
    progress.finish();
    expect((stream.read() as Buffer).toString().trim().split('\n')).toEqual([
      'pushing x.tar.gz: 25% (1.1 KiB of 4.0 KiB, 1.1 KiB/s)',
      'pushing x.tar.gz: 50% (2.1 KiB of 4.0 KiB, 2.1 KiB/s)',
      'pushing x.tar.gz: 75% (3.0 KiB of 4.0 KiB, 3.0 KiB/s)',
      'pushing x.tar.gz: 100% (4.0 KiB of 4.0 KiB, 4.0 KiB/s)',
    ]);
  });

  it('stays silent when disabled', () => {
    const stream = new PassThrough();
    const progress = createTransferProgress({ verb: 'pulling', label: 'x', total: 10, stream: stream as unknown as NodeJS.WriteStream, enabled: false });
    progress.update(10);
    progress.finish();
    expect(stream.read()).toBeNull();
  });
});
