/**
 * Issue 13, push: a pushPack that declares its archive's digest and size (as packctl does) streams
 * the bytes to the store's final key while they arrive (declared-put.ts), on S3 (s3rver) and on the
 * filesystem store alike. What it must keep: the bytes, and that nothing is stored (no object, no
 * row, no temporary file) for a wrong digest, a wrong size, an invalid pack or an interrupted upload;
 * bytes already stored are not sent again but still verified.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import request from 'supertest';
import { DeclaredPut } from '../../src/artifacts/declared-put.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { buildTarGz, largePackTarball, minimalPackEntries, sha256Digest } from '../helpers/tar-builder.js';

const MAX_UPLOAD = 6 * 1024 * 1024;
const PUSH = `mutation Push($registry: String!, $archive: Upload!, $digest: String, $size: Int) {
  pushPack(registry: $registry, archive: $archive, digest: $digest, size: $size) { version digest size pack { name } }
}`;

describe.each([
  ['S3 (s3rver)', true],
  ['the filesystem store', false],
])('pushPack with a declared digest and size, on %s', (_backend, onS3) => {
  let t: TestApp;
  let registry: string;
  let server: Server;

  const stored = async (): Promise<string[]> => {
    const digests: string[] = [];
    for await (const item of t.artifacts.list()) digests.push(item.digest);
    return digests.sort();
  };
  /** Temporary files a push may leave: push spools, and the filesystem store's uploads in flight. */
  const leftovers = async (): Promise<string[]> => [
    ...(await readdir(path.join(t.config.dataDir, 'spool')).catch(() => [] as string[])),
    ...(await readdir(path.join(t.config.dataDir, 'artifacts', 'tmp')).catch(() => [] as string[])),
  ];
  const versionOf = async (name: string, reg = registry) =>
    (await t.gql(`query($n: String!, $r: String) { packVersion(name: $n, version: "1.0.0", registry: $r) { digest } }`, { n: name, r: reg })).body.data!
      .packVersion as { digest: string } | null;
  const push = async (archive: Buffer, declared: { digest?: string | null; size?: number | null }, reg = registry) => {
    const operations = { query: PUSH, variables: { registry: reg, archive: null, ...declared } };
    const response = await request(t.app)
      .post('/graphql')
      .set('authorization', `Bearer ${t.adminToken}`)
      .set('apollo-require-preflight', 'true')
      .field('operations', JSON.stringify(operations))
      .field('map', JSON.stringify({ 0: ['variables.archive'] }))
      .attach('0', archive, { filename: 'pack.tar.gz', contentType: 'application/gzip' });
    return response.body;
  };
  const download = async (digest: string): Promise<Buffer> => {
    const response = await request(t.app)
      .get(`/artifacts/sha256/${digest.slice('sha256:'.length)}`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .buffer(true)
      .parse(binary);
    expect(response.status).toBe(200);
    return response.body as Buffer;
  };
  const createRegistry = async (name: string) => {
    const { body } = await t.gql(`mutation($n: String!) { createRegistry(input: {name: $n, kind: HOSTED}) { name } }`, { n: name });
    expect(body.errors).toBeUndefined();
  };

  beforeAll(async () => {
    t = await createTestApp({ s3: onS3, env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
    registry = uniqueName('declared');
    await createRegistry(registry);
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
  }, 60_000);

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    server?.close();
    await t?.close();
  });

  it('stores the archive under the declared digest while it arrives (no spool) and serves it back byte for byte', async () => {
    const name = uniqueName('ok');
    const archive = largePackTarball(name, 3 * 1024 * 1024);
    const digest = sha256Digest(archive);
    const begun = jest.spyOn(t.services.ingest, 'beginArchivePut');
    const body = await push(archive, { digest, size: archive.length });
    expect(body.errors).toBeUndefined();
    expect(body.data.pushPack).toMatchObject({ digest, size: archive.length, pack: { name } });
    // The streamed path was taken (the store offered a declared put), not the spool.
    expect(begun).toHaveBeenCalledWith({ digest, size: archive.length, maxBytes: MAX_UPLOAD });
    expect(await begun.mock.results[0]!.value).toBeInstanceOf(DeclaredPut);
    expect(await stored()).toContain(digest);
    expect((await download(digest)).equals(archive)).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses bytes that do not hash to the declared digest: BAD_USER_INPUT on field digest, no object, no row', async () => {
    const name = uniqueName('wrongdigest');
    const archive = largePackTarball(name, 512 * 1024);
    const before = await stored();
    const claimed = sha256Digest(randomBytes(16));
    const body = await push(archive, { digest: claimed, size: archive.length });
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'digest' });
    expect(body.errors[0].message).toContain(`expected ${claimed}`);
    expect(await stored()).toEqual(before);
    expect(await versionOf(name)).toBeNull();
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a declared size the upload does not match (shorter or longer), storing nothing', async () => {
    const name = uniqueName('wrongsize');
    const archive = largePackTarball(name, 512 * 1024);
    const before = await stored();
    for (const size of [archive.length + 1, archive.length - 1]) {
      const body = await push(archive, { digest: sha256Digest(archive), size });
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'size' });
      expect(body.errors[0].message).toContain(`expected ${size} bytes`);
    }
    expect(await stored()).toEqual(before);
    expect(await versionOf(name)).toBeNull();
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a malformed or half declaration, and a declared size over the upload limit, before reading the upload', async () => {
    const archive = largePackTarball(uniqueName('badclaim'), 64 * 1024);
    const digest = sha256Digest(archive);
    const begun = jest.spyOn(t.services.ingest, 'beginArchivePut');
    expect((await push(archive, { digest: 'sha256:xyz', size: archive.length })).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'digest' });
    expect((await push(archive, { digest })).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'size' });
    expect((await push(archive, { size: archive.length })).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'digest' });
    expect((await push(archive, { digest, size: -1 })).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'size' });
    expect((await push(archive, { digest, size: MAX_UPLOAD + 1 })).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(begun).not.toHaveBeenCalled();
  });

  it('refuses a body larger than the upload limit with PAYLOAD_TOO_LARGE, storing nothing', async () => {
    const archive = Buffer.concat([largePackTarball(uniqueName('huge'), 64 * 1024), randomBytes(MAX_UPLOAD)]);
    const before = await stored();
    // The declaration fits the limit; the body does not (and so is longer than declared): the limit answers first.
    const body = await push(archive, { digest: sha256Digest(archive), size: MAX_UPLOAD });
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored()).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses an invalid pack with its issues, though digest and size are right: no object', async () => {
    // Larger than the held-back tail, so most of it reached the store before the check's verdict.
    const broken = buildTarGz(minimalPackEntries('broken-1.0.0', { 'pack.json': '{ not json', 'charts/payload.tgz': randomBytes(1024 * 1024).toString('base64') }));
    const before = await stored();
    const body = await push(broken, { digest: sha256Digest(broken), size: broken.length });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].extensions.issues.map((issue: { code: string }) => issue.code)).toContain('PACK_JSON_INVALID');
    expect(await stored()).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it('cuts the store\'s put as soon as the archive check fails midway, and still answers once the upload ended', async () => {
    // A gzip stream that turns to garbage after its first 64 KiB: the check fails long before the 3 MiB end.
    const valid = largePackTarball(uniqueName('corrupt'), 1024 * 1024);
    const corrupt = Buffer.concat([valid.subarray(0, 64 * 1024), randomBytes(3 * 1024 * 1024)]);
    const before = await stored();
    const dropped = jest.spyOn(DeclaredPut.prototype, 'drop');
    const body = await push(corrupt, { digest: sha256Digest(corrupt), size: corrupt.length });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(dropped).toHaveBeenCalled();
    expect(await stored()).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it('stores nothing when the upload is cut off midway', async () => {
    const name = uniqueName('cut');
    const archive = largePackTarball(name, 4 * 1024 * 1024);
    const digest = sha256Digest(archive);
    const before = await stored();
    const received = jest.spyOn(DeclaredPut.prototype, 'receive');
    const aborted = jest.spyOn(DeclaredPut.prototype, 'abort');

    const boundary = `----cut${randomBytes(8).toString('hex')}`;
    const operations = JSON.stringify({ query: PUSH, variables: { registry, archive: null, digest, size: archive.length } });
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.archive'] })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="pack.tar.gz"\r\nContent-Type: application/gzip\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const { port } = server.address() as AddressInfo;
    const cut = http.request(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.adminToken}`,
        'apollo-require-preflight': 'true',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(Buffer.byteLength(head) + archive.length + Buffer.byteLength(tail)),
      },
    });
    cut.on('error', () => undefined);
    cut.write(head);
    cut.write(archive.subarray(0, archive.length / 2));
    // The service is receiving into a declared put before the connection goes.
    for (let i = 0; i < 100 && received.mock.calls.length === 0; i++) await sleep(50);
    expect(received).toHaveBeenCalled();
    await sleep(200);
    cut.destroy();
    for (let i = 0; i < 100 && aborted.mock.calls.length === 0; i++) await sleep(50);
    expect(aborted).toHaveBeenCalled();
    await aborted.mock.results[0]!.value;
    // Whatever the S3 server or the disk had taken, no object was completed, nothing is left behind.
    await sleep(300);
    expect(await stored()).toEqual(before);
    expect(await versionOf(name)).toBeNull();
    expect(await leftovers()).toEqual([]);
  });

  it('does not send bytes the store holds already, but still verifies them', async () => {
    const name = uniqueName('again');
    const archive = largePackTarball(name, 512 * 1024);
    const digest = sha256Digest(archive);
    expect((await push(archive, { digest, size: archive.length })).errors).toBeUndefined();
    const blob = onS3 ? undefined : path.join(t.config.dataDir, 'artifacts', 'blobs', 'sha256', digest.slice('sha256:'.length));
    const inode = blob ? (await stat(blob)).ino : undefined;
    const sent = onS3 ? jest.spyOn((t.artifacts as unknown as { declaredClient: { makeRequestStreamAsync: () => unknown } }).declaredClient, 'makeRequestStreamAsync') : undefined;
    const begun = jest.spyOn(t.services.ingest, 'beginArchivePut');

    // The same archive into another registry: a new row, the object reused and refreshed, not re-sent.
    const other = uniqueName('declared-other');
    await createRegistry(other);
    expect((await push(archive, { digest, size: archive.length }, other)).errors).toBeUndefined();
    expect((await versionOf(name, other))?.digest).toBe(digest);
    expect(((await begun.mock.results[0]!.value) as DeclaredPut).alreadyStored).toBe(true);
    if (sent) expect(sent).not.toHaveBeenCalled();
    if (blob) expect((await stat(blob)).ino).toBe(inode);

    // Other bytes of the same length claiming the stored digest are refused, and the object is untouched.
    const forged = Buffer.from(archive);
    forged[forged.length - 1] ^= 0xff;
    const third = uniqueName('declared-third');
    await createRegistry(third);
    const refused = await push(forged, { digest, size: archive.length }, third);
    expect(refused.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'digest' });
    expect(await versionOf(name, third)).toBeNull();
    expect((await download(digest)).equals(archive)).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('keeps the undeclared push as it was (spooled, then stored)', async () => {
    const archive = largePackTarball(uniqueName('plain'), 256 * 1024);
    const begun = jest.spyOn(t.services.ingest, 'beginArchivePut');
    const body = await push(archive, {});
    expect(body.errors).toBeUndefined();
    expect(body.data.pushPack.digest).toBe(sha256Digest(archive));
    expect(begun).not.toHaveBeenCalled();
    expect((await download(sha256Digest(archive))).equals(archive)).toBe(true);
  });
});

/** supertest parser that keeps a binary body as one Buffer. */
// supertest hands over its response object (a readable stream); its type is superagent's, not exported here.
function binary(response: any, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
  response.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}
