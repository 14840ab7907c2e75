import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createArtifactStore } from '../../../src/artifacts/artifact.factory.js';
import { collectGarbage } from '../../../src/artifacts/artifact.gc.js';
import { digestToKey, keyToDigest, parseDigest } from '../../../src/artifacts/artifact.store.js';
import { sha256File } from '../../../src/platform/hashing.js';
import { FilesystemArtifactStore } from '../../../src/artifacts/fs.store.js';
import { InvalidInputError } from '../../../src/errors.js';
import { chunked, digestOf, readAll, registerArtifactStoreContract } from '../../helpers/artifact-store-contract.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'pack-catalog-fs-store-'));
}

registerArtifactStoreContract('FilesystemArtifactStore', async () => {
  const root = await tempDir();
  const store = await FilesystemArtifactStore.create(root);
  return { store, scratchDir: join(root, 'tmp'), dispose: () => rm(root, { recursive: true, force: true }) };
});

describe('digest helpers', () => {
  const hex = 'ab'.repeat(32);

  it('parse sha256 digests and map them to keys and back', () => {
    expect(parseDigest(`sha256:${hex}`)).toEqual({ algorithm: 'sha256', hex });
    expect(digestToKey(`sha256:${hex}`)).toBe(`blobs/sha256/${hex}`);
    expect(keyToDigest(`blobs/sha256/${hex}`)).toBe(`sha256:${hex}`);
    expect(keyToDigest(`blobs/sha256/${hex}.part`)).toBeNull();
    expect(keyToDigest(`other/${hex}`)).toBeNull();
  });

  it('refuse anything but sha256 with 64 lowercase hex digits', () => {
    for (const bad of [hex, `sha256:${hex.toUpperCase()}`, `sha256:${hex}0`, `sha512:${hex}`, ` sha256:${hex}`, `sha256:${hex}\n`]) {
      expect(() => parseDigest(bad)).toThrow(InvalidInputError);
    }
    expect(() => parseDigest(undefined as unknown as string)).toThrow(/expected "sha256:"/);
  });

  it('sha256File hashes a file as a stream', async () => {
    const dir = await tempDir();
    try {
      const bytes = randomBytes(200_000);
      await writeFile(join(dir, 'f'), bytes);
      expect(await sha256File(join(dir, 'f'))).toEqual({ digest: digestOf(bytes), size: bytes.length });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('FilesystemArtifactStore', () => {
  let root: string;
  let store: FilesystemArtifactStore;

  beforeEach(async () => {
    root = await tempDir();
    store = await FilesystemArtifactStore.create(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function backdate(digest: string, hoursAgo: number): Promise<void> {
    const when = new Date(Date.now() - hoursAgo * 3_600_000);
    await utimes(join(root, digestToKey(digest)), when, when);
  }

  it('lays blobs out as <root>/blobs/sha256/<hex>', async () => {
    const bytes = randomBytes(1_000);
    const { digest } = await store.put(chunked(bytes));
    expect(digestOf(await readFile(join(root, 'blobs', 'sha256', parseDigest(digest).hex)))).toBe(digestOf(bytes));
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('ignores stray files in the blob directory when listing', async () => {
    const { digest } = await store.put(chunked(randomBytes(10)));
    await writeFile(join(root, 'blobs', 'sha256', 'README'), 'not a blob');
    const listed: string[] = [];
    for await (const item of store.list()) listed.push(item.digest);
    expect(listed).toEqual([digest]);
  });

  it('has no presigned URLs: downloads go through the service', async () => {
    const { digest } = await store.put(chunked(randomBytes(10)));
    expect(await store.presignedGetUrl(digest, 60, 'x.tgz')).toBeNull();
  });

  it('fails ping when its directory is gone', async () => {
    await rm(root, { recursive: true, force: true });
    await expect(store.ping()).rejects.toThrow();
  });

  it('refreshes the modification time when the same bytes are put again', async () => {
    const bytes = randomBytes(500);
    const { digest } = await store.put(chunked(bytes));
    await backdate(digest, 48);
    expect((await store.stat(digest))!.lastModified!.getTime()).toBeLessThan(Date.now() - 47 * 3_600_000);
    await store.put(chunked(bytes));
    expect((await store.stat(digest))!.lastModified!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('collects garbage by age: old unreferenced goes, old referenced and recent unreferenced stay', async () => {
    const oldReferenced = await store.put(chunked(randomBytes(100)));
    const oldGarbage = await store.put(chunked(randomBytes(200)));
    const recentGarbage = await store.put(chunked(randomBytes(300)));
    await backdate(oldReferenced.digest, 25);
    await backdate(oldGarbage.digest, 25);
    await backdate(recentGarbage.digest, 1);

    const result = await collectGarbage(store, async (digests) => new Set(digests.filter((d) => d === oldReferenced.digest)), {
      olderThan: new Date(Date.now() - 24 * 3_600_000),
    });

    expect(result).toEqual({ scanned: 2, referenced: 1, refreshed: 0, deleted: 1, deletedBytes: 200, failed: [] });
    expect(await store.exists(oldReferenced.digest)).toBe(true);
    expect(await store.exists(oldGarbage.digest)).toBe(false);
    expect(await store.exists(recentGarbage.digest)).toBe(true);
  });

  it('keeps garbage that is put again while the collector runs (its row may be on the way)', async () => {
    const bytes = randomBytes(100);
    const { digest } = await store.put(chunked(bytes));
    await backdate(digest, 48);

    const result = await collectGarbage(
      store,
      async () => {
        // A push of the same bytes lands between the listing and the deletion.
        await store.put(chunked(bytes));
        return new Set<string>();
      },
      { olderThan: new Date(Date.now() - 24 * 3_600_000) },
    );

    expect(result).toMatchObject({ scanned: 1, refreshed: 1, deleted: 0 });
    expect(digestOf(await readAll(await store.get(digest)))).toBe(digestOf(bytes));
  });

  it('a get keeps streaming the bytes it opened even if the blob is deleted meanwhile', async () => {
    const bytes = randomBytes(300_000);
    const { digest } = await store.put(chunked(bytes));
    const download = await store.get(digest);
    await store.delete(digest);
    expect(digestOf(await readAll(download))).toBe(digestOf(bytes));
  });

  it('a refused put leaves blobs/ and tmp/ empty', async () => {
    const bytes = randomBytes(10_000);
    await expect(store.put(chunked(bytes), { expectedDigest: digestOf(Buffer.from('x')) })).rejects.toThrow(InvalidInputError);
    expect(await readdir(join(root, 'blobs', 'sha256'))).toEqual([]);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });
});

describe('createArtifactStore', () => {
  it('chooses a directory store under <dataDir>/artifacts when no S3 is configured', async () => {
    const dataDir = await tempDir();
    try {
      const store = await createArtifactStore({ dataDir });
      expect(store.kind).toBe('filesystem');
      const { digest } = await store.put(chunked(Buffer.from('hello')));
      expect((await stat(join(dataDir, 'artifacts', digestToKey(digest)))).size).toBe(5);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
