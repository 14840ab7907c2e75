import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { Client } from 'minio';

import { createArtifactStore } from '../../../src/artifacts/artifact.factory.js';
import { digestToKey } from '../../../src/artifacts/artifact.store.js';
import { MinioArtifactStore, type MinioArtifactStoreOptions } from '../../../src/artifacts/minio.store.js';
import { contentDisposition } from '../../../src/artifacts/s3-responses.js';
import { chunked, digestOf, readAll, registerArtifactStoreContract } from '../../helpers/artifact-store-contract.js';
import { startS3Server, type TestS3Server } from '../../helpers/s3.js';

let s3: TestS3Server;

beforeAll(async () => {
  s3 = await startS3Server();
});

afterAll(async () => {
  await s3?.close();
});

function storeOptions(overrides: Partial<MinioArtifactStoreOptions> = {}): MinioArtifactStoreOptions {
  const { endPoint, port, useSSL, accessKey, secretKey, region, bucket } = s3;
  return { endPoint, port, useSSL, accessKey, secretKey, region, bucket, ...overrides };
}

function rawClient(): Client {
  const { endPoint, port, useSSL, accessKey, secretKey, region } = s3;
  return new Client({ endPoint, port, useSSL, accessKey, secretKey, region });
}

function uniqueBucket(): string {
  return `artifacts-${randomUUID().slice(0, 12)}`;
}

async function emptyAndRemoveBucket(bucket: string): Promise<void> {
  const client = rawClient();
  const names: string[] = [];
  for await (const item of client.listObjectsV2(bucket, '', true)) if (item.name) names.push(item.name);
  if (names.length > 0) await client.removeObjects(bucket, names);
  await client.removeBucket(bucket);
}

// A bucket of its own per test, so listings and garbage collection see only that test's objects.
registerArtifactStoreContract('MinioArtifactStore', async () => {
  const bucket = uniqueBucket();
  const spoolDir = await mkdtemp(join(tmpdir(), 'pack-catalog-spool-'));
  const store = await MinioArtifactStore.create(storeOptions({ bucket, spoolDir }));
  return {
    store,
    scratchDir: spoolDir,
    async dispose() {
      await emptyAndRemoveBucket(bucket);
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
});

describe('MinioArtifactStore against a real S3 server', () => {
  let spoolDir: string;

  beforeEach(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'pack-catalog-spool-'));
  });

  afterEach(async () => {
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('creates its bucket when missing, and opens an existing one', async () => {
    const bucket = uniqueBucket();
    const client = rawClient();
    expect(await client.bucketExists(bucket)).toBe(false);

    const store = await MinioArtifactStore.create(storeOptions({ bucket, spoolDir }));
    expect(store.kind).toBe('s3');
    expect(await client.bucketExists(bucket)).toBe(true);
    await expect(store.ping()).resolves.toBeUndefined();

    const again = await MinioArtifactStore.create(storeOptions({ bucket, spoolDir }));
    await expect(again.ping()).resolves.toBeUndefined();
    await emptyAndRemoveBucket(bucket);
  });

  it('stores objects under blobs/sha256/<hex> with their content type', async () => {
    const store = await MinioArtifactStore.create(storeOptions({ spoolDir }));
    const bytes = randomBytes(2_000);
    const { digest } = await store.put(chunked(bytes), { contentType: 'application/gzip' });
    const info = await rawClient().statObject(s3.bucket, digestToKey(digest));
    expect(info.size).toBe(2_000);
    expect(info.metaData['content-type']).toBe('application/gzip');
    expect(digestToKey(digest)).toBe(`blobs/sha256/${digest.slice('sha256:'.length)}`);
  });

  it('surfaces wrong credentials as errors and leaves no spool file behind', async () => {
    const options = storeOptions({ secretKey: 'not-the-secret', spoolDir });
    await expect(MinioArtifactStore.create(options)).rejects.toMatchObject({
      code: expect.stringMatching(/^(AccessDenied|SignatureDoesNotMatch)$/),
    });

    const store = new MinioArtifactStore(options);
    const listing = (async () => {
      for await (const item of store.list()) void item;
    })();
    await expect(listing).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(store.get(digestOf(Buffer.from('x')))).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(store.put(chunked(randomBytes(1_000)))).rejects.toMatchObject({
      code: expect.stringMatching(/^(AccessDenied|SignatureDoesNotMatch)$/),
    });
    await expect(store.ping()).rejects.toThrow();
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('fails ping when the bucket is gone', async () => {
    const bucket = uniqueBucket();
    const store = await MinioArtifactStore.create(storeOptions({ bucket, spoolDir }));
    await rawClient().removeBucket(bucket);
    await expect(store.ping()).rejects.toThrow(/does not exist/);
  });

  it('hands out presigned URLs that plain fetch can download, under a chosen file name', async () => {
    const store = await MinioArtifactStore.create(storeOptions({ spoolDir }));
    const bytes = randomBytes(10_000);
    const { digest } = await store.put(chunked(bytes), { contentType: 'application/gzip' });

    const plain = await store.presignedGetUrl(digest, 300);
    const response = await fetch(plain!);
    expect(response.status).toBe(200);
    expect(digestOf(Buffer.from(await response.arrayBuffer()))).toBe(digest);

    const named = await store.presignedGetUrl(digest, 300, 'nginx-1.27.0 "stable".tgz');
    const download = await fetch(named!);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(contentDisposition('nginx-1.27.0 "stable".tgz'));
    expect(digestOf(Buffer.from(await download.arrayBuffer()))).toBe(digest);
  });

  it('streams a 20 MiB upload through a single PUT with the right digest', async () => {
    const store = await MinioArtifactStore.create(storeOptions({ spoolDir }));
    const chunk = randomBytes(256 * 1024);
    const total = 20 * 1024 * 1024;
    const expected = createHash('sha256');
    for (let sent = 0; sent < total; sent += chunk.length) expected.update(chunk);
    const source = Readable.from(
      (function* () {
        for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
      })(),
    );

    // Memory is not asserted (the S3 server shares this process); the upload streams from a spool
    // file in one PUT, never holding the object, and the digest proves every byte went through.
    const stored = await store.put(source, { expectedSize: total });

    expect(stored).toEqual({ digest: `sha256:${expected.digest('hex')}`, size: total });
    const downloaded = createHash('sha256');
    for await (const part of await store.get(stored.digest)) downloaded.update(part as Buffer);
    expect(`sha256:${downloaded.digest('hex')}`).toBe(stored.digest);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('reads a byte range with a ranged GET', async () => {
    const store = await MinioArtifactStore.create(storeOptions({ spoolDir }));
    const bytes = randomBytes(100_000);
    const { digest } = await store.put(chunked(bytes));
    const part = await readAll(await store.get(digest, { start: 50_000, end: 50_099 }));
    expect(part.equals(bytes.subarray(50_000, 50_100))).toBe(true);
  });
});

describe('createArtifactStore with S3 configured', () => {
  it('chooses the S3 store and spools under <dataDir>/spool', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pack-catalog-data-'));
    try {
      const { endPoint, port, useSSL, accessKey, secretKey, region, bucket } = s3;
      const store = await createArtifactStore({ dataDir, s3: { endPoint, port, useSSL, accessKey, secretKey, region, bucket } });
      expect(store.kind).toBe('s3');
      const { digest } = await store.put(chunked(Buffer.from('hello')));
      expect(await store.exists(digest)).toBe(true);
      expect(await readdir(join(dataDir, 'spool'))).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
