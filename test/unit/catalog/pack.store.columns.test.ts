/**
 * The one mapping between a PackManifest and the stored columns: a pack read by the pack reader,
 * taken apart into Pack and PackVersion columns the way ingestion stores it, comes back whole.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackRow, VersionRow } from '../../../src/catalog/catalog.model.js';
import { Prisma } from '../../../src/generated/prisma/client.js';
import { manifestOf, packColumnsOf, versionColumnsOf } from '../../../src/catalog/pack.store.columns.js';
import { readPackDirectory } from '../../../src/packs/pack.reader.js';
import type { ReadPack } from '../../../src/packs/pack.types.js';
import type { RegistryRecord } from '../../../src/registries/registry.model.js';

const FULL = fileURLToPath(new URL('../../../../shared/fixtures/pack-central/full/', import.meta.url));

/** A JSON column as PostgreSQL gives it back: plain data, SQL NULL as null. */
function stored(value: unknown): unknown {
  return value === Prisma.DbNull ? null : value;
}

function rowsOf(pack: ReadPack): { pack: PackRow; row: VersionRow; details: { packJson: unknown; constraints: unknown; annotations: unknown } } {
  const at = new Date(0);
  const packColumns = packColumnsOf(pack.manifest);
  const version = versionColumnsOf(pack);
  return {
    pack: {
      id: 'p',
      registryId: 'r',
      name: pack.manifest.name,
      ...packColumns,
      logoDigest: null,
      createdAt: at,
      updatedAt: at,
      registry: { id: 'r', name: 'default' } as RegistryRecord,
    },
    row: {
      id: 'v',
      packId: 'p',
      registryId: 'r',
      version: pack.manifest.version,
      digest: 'sha256:0',
      size: 0n,
      charts: version.charts,
      manifests: version.manifests,
      cloudTypes: version.cloudTypes,
      deprecated: version.deprecated,
      removedAt: null,
      message: null,
      publishedBy: null,
      createdAt: at,
      updatedAt: at,
    },
    details: { packJson: stored(version.packJson), constraints: stored(version.constraints), annotations: stored(version.annotations) },
  };
}

describe('pack.store.columns: PackManifest <-> stored columns', () => {
  const folders = readdirSync(FULL, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

  it('has real packs to read', () => {
    expect(folders.length).toBeGreaterThan(3);
  });

  it.each(folders)('%s comes back as the manifest that was stored', async (folder) => {
    const read = await readPackDirectory(path.join(FULL, folder), { lenient: true });
    if (!read.ok) throw new Error(`fixture ${folder} did not read: ${JSON.stringify(read.issues)}`);
    const { pack, row, details } = rowsOf(read.pack);
    expect(manifestOf(pack, row, details)).toEqual(read.pack.manifest);
  });
});
