/**
 * The triggers that move `Pack.versionsRevision` (migration versions_revision) on the embedded
 * database (PGlite, src/platform/database.ts) as on PostgreSQL: the migrations apply, and every
 * statement that writes a pack's versions (insert, update, delete, truncate) moves the revision of
 * the packs it touched, once per statement, and of no other; the listing's one statement (xmin,
 * unnest of the rows it holds) runs there too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/platform/database.js';
import { PackStoreReads } from '../../src/catalog/pack.store.reads.js';
import type { Principal } from '../../src/auth/principal.js';

const ADMIN: Principal = { name: 'embedded', role: 'ADMIN', registries: [], kind: 'token' };

describe('versionsRevision on the embedded database', () => {
  let dataDir: string;
  let db: Database;
  let registryId: string;
  const ids: Record<'a' | 'b', string> = { a: '', b: '' };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-revision-'));
    db = await openDatabase({ dataDir });
    const [registry] = await db.prisma.$queryRawUnsafe<Array<{ id: string }>>(
      `INSERT INTO "Registry" (id, name, kind, "updatedAt") VALUES (gen_random_uuid(), 'revisions', 'HOSTED', now()) RETURNING id`,
    );
    registryId = registry!.id;
    const packs = await db.prisma.$queryRawUnsafe<Array<{ id: string; name: 'a' | 'b' }>>(
      `INSERT INTO "Pack" (id, "registryId", name, "displayName", layer, "updatedAt")
       VALUES (gen_random_uuid(), $1::uuid, 'a', 'a', 'ADDON', now()), (gen_random_uuid(), $1::uuid, 'b', 'b', 'ADDON', now()) RETURNING id, name`,
      registryId,
    );
    for (const p of packs) ids[p.name] = p.id;
    await db.prisma.$executeRawUnsafe(`INSERT INTO "Artifact" (digest, size) VALUES ('sha256:revisions', 1)`);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function revisions(): Promise<Record<'a' | 'b', number>> {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ name: 'a' | 'b'; revision: string }>>(`SELECT name, "versionsRevision"::text AS revision FROM "Pack" WHERE name IN ('a', 'b') ORDER BY name`);
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.revision)])) as Record<'a' | 'b', number>;
  }

  it('runs on the embedded database', () => {
    expect(db.kind).toBe('embedded');
  });

  it('lists through the read model: rows held are left out while unchanged, a raw UPDATE shows on the next page', async () => {
    const [c] = await db.prisma.$queryRawUnsafe<Array<{ id: string }>>(
      `INSERT INTO "Pack" (id, "registryId", name, "displayName", layer, "updatedAt") VALUES (gen_random_uuid(), $1::uuid, 'c', 'c', 'ADDON', now()) RETURNING id`,
      registryId,
    );
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "PackVersion" (id, "packId", "registryId", version, digest, size, "packJson", "updatedAt") VALUES (gen_random_uuid(), $1::uuid, $2::uuid, '2.0.0', 'sha256:revisions', 1, '{}', now())`,
      c!.id,
      registryId,
    );
    const store = new PackStoreReads(db.prisma);
    const first = await store.listingPage(ADMIN, {}, null, 10);
    expect(first.names).toEqual(['c']);
    const again = await store.listingPage(ADMIN, {}, null, 10);
    // Held rows come back as the same objects: the statement left them out.
    expect(again.sources.get('c')![0]).toBe(first.sources.get('c')![0]);
    expect(again.versions.get(c!.id)).toBe(first.versions.get(c!.id));
    await db.prisma.$executeRawUnsafe(`UPDATE "PackVersion" SET message = 'raw' WHERE "packId" = $1::uuid`, c!.id);
    await db.prisma.$executeRawUnsafe(`UPDATE "Pack" SET "displayName" = 'C' WHERE id = $1::uuid`, c!.id);
    const after = await store.listingPage(ADMIN, {}, null, 10);
    expect(after.sources.get('c')![0]!.displayName).toBe('C');
    expect(after.versions.get(c!.id)!.map((v) => v.message)).toEqual(['raw']);
  });

  it('moves once per statement, for the packs the statement touched only', async () => {
    expect(await revisions()).toEqual({ a: 0, b: 0 });
    // Three versions in one statement: one move.
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "PackVersion" (id, "packId", "registryId", version, digest, size, "packJson", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, '1.0.' || i, 'sha256:revisions', 1, '{}', now() FROM generate_series(1, 3) i`,
      ids.a,
      registryId,
    );
    expect(await revisions()).toEqual({ a: 1, b: 0 });
    await db.prisma.$executeRawUnsafe(`UPDATE "PackVersion" SET message = 'lifecycle' WHERE version = '1.0.1'`);
    expect(await revisions()).toEqual({ a: 2, b: 0 });
    // A version moved to another pack changes both.
    await db.prisma.$executeRawUnsafe(`UPDATE "PackVersion" SET "packId" = $1::uuid WHERE version = '1.0.1'`, ids.b);
    expect(await revisions()).toEqual({ a: 3, b: 1 });
    // A statement that writes no row moves nothing.
    await db.prisma.$executeRawUnsafe(`UPDATE "PackVersion" SET message = 'none' WHERE false`);
    expect(await revisions()).toEqual({ a: 3, b: 1 });
    await db.prisma.$executeRawUnsafe(`DELETE FROM "PackVersion" WHERE "packId" = $1::uuid`, ids.a);
    expect(await revisions()).toEqual({ a: 4, b: 1 });
    // TRUNCATE names no rows: every pack moves.
    await db.prisma.$executeRawUnsafe(`TRUNCATE "PackVersion" CASCADE`);
    expect(await revisions()).toEqual({ a: 5, b: 2 });
  });
});
