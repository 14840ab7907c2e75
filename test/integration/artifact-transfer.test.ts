/**
 * Issue 13, transfer: a push on S3 is hashed, spooled and checked in one pass over the upload, and
 * a download is relayed from the store into the response (ArtifactStore.sendTo). What the faster
 * paths must keep: the bytes, ranges, the refusals and their precedence, nothing stored for a
 * refused pack, no spool left behind, a clean 404 when the store lost an object.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'minio';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildGzipBomb, buildTarGz, largePackTarball, minimalPackEntries, sha256Digest } from '../helpers/tar-builder.js';

const MAX_UPLOAD = 6 * 1024 * 1024;
const MAX_DECOMPRESSED = 8 * 1024 * 1024;

describe('transfer: pushes and downloads on S3', () => {
  let t: TestApp;
  let registry: string;
  let s3: Client;

  const blobKeys = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const item of s3.listObjectsV2(t.s3!.bucket, 'blobs/', true)) if (item.name) keys.push(item.name);
    return keys;
  };
  const spoolEntries = async (): Promise<string[]> =>
    (await readdir(path.join(t.config.dataDir, 'spool')).catch(() => [] as string[])).filter((name) => name.startsWith('push-'));

  beforeAll(async () => {
    t = await createTestApp({ s3: true, env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD), MAX_DECOMPRESSED_BYTES: String(MAX_DECOMPRESSED) } });
    const { endPoint, port, useSSL, accessKey, secretKey, region } = t.s3!;
    s3 = new Client({ endPoint, port, useSSL, accessKey, secretKey, region });
    registry = uniqueName('transfer');
    const { body } = await t.gql(`mutation($n: String!) { createRegistry(input: {name: $n, kind: HOSTED}) { name } }`, { n: registry });
    expect(body.errors).toBeUndefined();
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('stores a pushed archive under its digest and serves it back whole, in ranges and by HEAD', async () => {
    const archive = largePackTarball(uniqueName('big'), 4 * 1024 * 1024);
    const digest = sha256Digest(archive);
    const pushed = await pushArchive(t.app, t.adminToken, registry, archive);
    expect(pushed.body.errors).toBeUndefined();
    expect(pushed.body.data.pushPack.digest).toBe(digest);
    expect(await blobKeys()).toContain(`blobs/sha256/${digest.slice('sha256:'.length)}`);
    expect(await spoolEntries()).toEqual([]);

    const url = `/artifacts/sha256/${digest.slice('sha256:'.length)}`;
    const whole = await request(t.app).get(url).set('authorization', `Bearer ${t.adminToken}`).buffer(true).parse(binary);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe(String(archive.length));
    expect(sha256Digest(whole.body as Buffer)).toBe(digest);

    const range = await request(t.app).get(url).set('authorization', `Bearer ${t.adminToken}`).set('range', 'bytes=1000-1999').buffer(true).parse(binary);
    expect(range.status).toBe(206);
    expect(range.headers['content-range']).toBe(`bytes 1000-1999/${archive.length}`);
    expect((range.body as Buffer).equals(archive.subarray(1000, 2000))).toBe(true);

    const head = await request(t.app).head(url).set('authorization', `Bearer ${t.adminToken}`);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(archive.length));
  });

  it('refuses an invalid pack read in the same pass as the upload, storing nothing and leaving no spool', async () => {
    const before = await blobKeys();
    const broken = buildTarGz(minimalPackEntries('broken-1.0.0', { 'pack.json': '{ not json' }));
    const refused = await pushArchive(t.app, t.adminToken, registry, broken);
    expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].extensions.issues.map((issue: { code: string }) => issue.code)).toContain('PACK_JSON_INVALID');
    expect(await blobKeys()).toEqual(before);
    expect(await spoolEntries()).toEqual([]);
  });

  it('keeps the refusals and their order: an archive check that stops early still lets the upload limit answer', async () => {
    const before = await blobKeys();
    // Unpacks past MAX_DECOMPRESSED_BYTES from a small upload: the check stops reading, the refusal names the limit.
    const bomb = await buildGzipBomb(MAX_DECOMPRESSED * 2);
    const refused = await pushArchive(t.app, t.adminToken, registry, bomb);
    expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].extensions.issues.map((issue: { code: string }) => issue.code)).toContain('ARCHIVE_TOO_LARGE');

    // The check stops at MAX_DECOMPRESSED_BYTES, long before the upload ends; the upload limit is still what answers.
    const oversized = Buffer.concat([await buildGzipBomb(MAX_DECOMPRESSED * 2), randomBytes(MAX_UPLOAD)]);
    const tooLarge = await pushArchive(t.app, t.adminToken, registry, oversized);
    expect(tooLarge.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await blobKeys()).toEqual(before);
    expect(await spoolEntries()).toEqual([]);
  });

  it('answers 404 when the store lost an object the catalog still names, and keeps serving others', async () => {
    const lost = largePackTarball(uniqueName('lost'), 64 * 1024);
    const kept = largePackTarball(uniqueName('kept'), 64 * 1024);
    for (const archive of [lost, kept]) expect((await pushArchive(t.app, t.adminToken, registry, archive)).body.errors).toBeUndefined();
    await s3.removeObject(t.s3!.bucket, `blobs/sha256/${sha256Digest(lost).slice('sha256:'.length)}`);

    const missing = await request(t.app).get(`/artifacts/sha256/${sha256Digest(lost).slice('sha256:'.length)}`).set('authorization', `Bearer ${t.adminToken}`);
    expect(missing.status).toBe(404);
    const served = await request(t.app)
      .get(`/artifacts/sha256/${sha256Digest(kept).slice('sha256:'.length)}`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .buffer(true)
      .parse(binary);
    expect(served.status).toBe(200);
    expect(sha256Digest(served.body as Buffer)).toBe(sha256Digest(kept));
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
