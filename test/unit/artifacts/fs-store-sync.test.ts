/**
 * Deferred durability of the filesystem store (issue 13): a batch puts many objects with
 * `deferSync` (each file fsynced before its rename) and calls `sync()` once (one directory fsync)
 * before rows point at them. The objects are complete and readable as soon as each put resolves.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FilesystemArtifactStore } from '../../../src/artifacts/fs.store.js';
import { digestOf, readAll } from '../../helpers/artifact-store-contract.js';

describe('FilesystemArtifactStore deferSync + sync()', () => {
  let root: string;
  let store: FilesystemArtifactStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pack-catalog-fs-sync-'));
    store = await FilesystemArtifactStore.create(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('stores each object whole under its digest at once; sync() settles them, called once or many times at once', async () => {
    const bodies = Array.from({ length: 20 }, () => randomBytes(5000));
    const stored = await Promise.all(bodies.map((bytes) => store.put(Readable.from([bytes]), { expectedDigest: digestOf(bytes), deferSync: true })));
    expect(stored.map((s) => s.digest)).toEqual(bodies.map(digestOf));
    for (const [i, bytes] of bodies.entries()) expect((await readAll(await store.get(stored[i].digest))).equals(bytes)).toBe(true);
    // Concurrent batches each wait for a directory fsync that began after their renames.
    await Promise.all([store.sync(), store.sync(), store.sync()]);
    await store.sync();
    // Nothing is left in the temporary folder.
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('keeps plain puts durable on their own, and sync() with nothing deferred resolves', async () => {
    const bytes = randomBytes(100);
    const { digest } = await store.put(Readable.from([bytes]));
    expect(await store.exists(digest)).toBe(true);
    await expect(store.sync()).resolves.toBeUndefined();
  });
});
