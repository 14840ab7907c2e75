/**
 * The DEFAULT registry's seed: a DIRECTORY sync of the shipped packs folder through the sync
 * engine, with "deprecate, don't remove": a start with nothing changed writes no pack row, and a
 * version dropped from the folder stays listed, deprecated (its pack too once no version is left).
 */
import { jest } from '@jest/globals';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';
import { createScratchDatabase } from '../../helpers/federation.js';
import { createLogger } from '../../../src/platform/logger.js';
import { DEFAULT_PACKS_DIR, DefaultRegistrySeeder } from '../../../src/registries/default-registry.seeder.js';

jest.setTimeout(120_000);

const SHIPPED = ['cert-manager-1.16.1', 'kubernetes-1.30.6', 'kubernetes-1.31.2', 'ubuntu-24.04'];

describe('DEFAULT registry seed', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let folder: string;
  let seeder: DefaultRegistrySeeder;

  beforeAll(async () => {
    // A database of its own: the DEFAULT registry is one per database, and other files seed the full set.
    const database = await createScratchDatabase('seed');
    drop = database.drop;
    t = await createTestApp({ env: database.env });
    folder = await mkdtemp(path.join(tmpdir(), 'pack-catalog-default-'));
    for (const pack of SHIPPED) await cp(path.join(DEFAULT_PACKS_DIR, pack), path.join(folder, pack), { recursive: true });
    seeder = new DefaultRegistrySeeder(t.services.sync, createLogger({ level: 'silent' }), folder);
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
    await rm(folder, { recursive: true, force: true });
  });

  const rows = () =>
    t.database.prisma.pack.findMany({
      where: { registry: { name: 'default' } },
      orderBy: { name: 'asc' },
      include: { versions: { orderBy: { version: 'asc' } } },
    });


  it('creates the DEFAULT registry row once when replicas start together (no unique-constraint race)', async () => {
    // As on a fresh database: the row is missing, and every replica inserts it at the same moment.
    await t.database.prisma.registry.deleteMany({ where: { kind: 'DEFAULT' } });
    const rows = await Promise.all(Array.from({ length: 8 }, () => t.services.registries.ensureDefaultRegistry()));
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
    expect(await t.database.prisma.registry.count({ where: { kind: 'DEFAULT' } })).toBe(1);
  });
  it('seeds the shipped packs with their logos, recorded as a run', async () => {
    const run = await seeder.seed();
    expect(run).toMatchObject({ state: 'SUCCEEDED', trigger: 'seed', added: 4, removed: 0 });
    const packs = await rows();
    expect(packs.map((p) => `${p.name}:${p.versions.map((v) => v.version).join(',')}`)).toEqual([
      'cert-manager:1.16.1',
      'kubernetes:1.30.6,1.31.2',
      'ubuntu:24.04',
    ]);
    expect(packs.every((p) => p.logoDigest !== null)).toBe(true);
    expect(packs.flatMap((p) => p.versions).every((v) => v.publishedBy === 'pack-catalog' && !v.deprecated)).toBe(true);
    const registry = await t.database.prisma.registry.findUniqueOrThrow({ where: { name: 'default' } });
    // Synced at start only: never scheduled, and its lease is released.
    expect(registry).toMatchObject({ kind: 'DEFAULT', syncState: 'SUCCEEDED', nextSyncAt: null, leaseOwner: null });
  });

  it('rewrites nothing when nothing changed', async () => {
    const before = await rows();
    const run = await seeder.seed();
    expect(run).toMatchObject({ state: 'SUCCEEDED', added: 0, updated: 0, removed: 0, unchanged: 4, artifactsFetched: 0 });
    expect(await rows()).toEqual(before);
  });

  it('deprecates, never removes, a version dropped from the folder (and a pack with none left)', async () => {
    await rm(path.join(folder, 'cert-manager-1.16.1'), { recursive: true });
    await rm(path.join(folder, 'kubernetes-1.30.6'), { recursive: true });
    const run = await seeder.seed();
    expect(run).toMatchObject({ state: 'SUCCEEDED', removed: 2, unchanged: 2 });
    const packs = await rows();
    const summary = packs.map((p) => ({
      name: p.name,
      deprecated: p.deprecated,
      versions: p.versions.map((v) => ({ version: v.version, deprecated: v.deprecated, removed: v.removedAt !== null })),
    }));
    expect(summary).toEqual([
      { name: 'cert-manager', deprecated: true, versions: [{ version: '1.16.1', deprecated: true, removed: false }] },
      {
        name: 'kubernetes',
        deprecated: false,
        versions: [
          { version: '1.30.6', deprecated: true, removed: false },
          { version: '1.31.2', deprecated: false, removed: false },
        ],
      },
      { name: 'ubuntu', deprecated: false, versions: [{ version: '24.04', deprecated: false, removed: false }] },
    ]);
    // Once deprecated, a later start leaves them as they are.
    const again = await seeder.seed();
    expect(again).toMatchObject({ state: 'SUCCEEDED', removed: 0 });
    expect(await rows()).toEqual(packs);
  });

  it('takes the seed over from a replica that died mid-seed once its lease expires', async () => {
    const registry = await t.database.prisma.registry.update({
      where: { name: 'default' },
      data: { leaseOwner: 'replica-that-died', leaseExpiresAt: new Date(Date.now() + 1500), syncState: 'RUNNING' },
    });
    const dead = await t.database.prisma.syncRun.create({ data: { registryId: registry.id, state: 'RUNNING', trigger: 'seed', startedAt: new Date() } });
    // Follows the dead run for 300 ms at a time, then tries to claim again.
    const patient = new DefaultRegistrySeeder(t.services.sync, createLogger({ level: 'silent' }), folder, 300);
    const run = await patient.seed();
    expect(run).toMatchObject({ state: 'SUCCEEDED', trigger: 'seed', unchanged: 2 });
    expect(run.id).not.toBe(dead.id);
    expect(await t.database.prisma.syncRun.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({ state: 'FAILED', message: expect.stringMatching(/Abandoned/) });
    expect(await t.database.prisma.registry.findUniqueOrThrow({ where: { name: 'default' } })).toMatchObject({ leaseOwner: null, syncState: 'SUCCEEDED' });
  });
});
