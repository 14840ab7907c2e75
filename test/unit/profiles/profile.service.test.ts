/**
 * The profile service's pure parts and its catalog resolution over in-memory loaders: input bounds,
 * manifests from stored rows, the issue shape of refusals, and a constant number of loader batches.
 */
import DataLoader from 'dataloader';
import type { CatalogLoaders, VersionDetails } from '../../../src/catalog/catalog.loaders.js';
import { sortSources, type PackRow, type TrustedVersionRow, type VersionRow } from '../../../src/catalog/catalog.model.js';
import { PackQueryService } from '../../../src/catalog/pack.query.service.js';
import { manifestOf } from '../../../src/catalog/pack.store.columns.js';
import type { PackStore } from '../../../src/catalog/pack.store.js';
import { InvalidInputError } from '../../../src/errors.js';
import type { RegistryRecord } from '../../../src/registries/registry.model.js';
import type { ProfileRepository } from '../../../src/profiles/profile.repository.js';
import { validateProfileDraft } from '../../../src/profiles/rules/index.js';
import { checkProfileInput, toInputIssues, type ProfileInputData } from '../../../src/profiles/profile.input.js';
import { draftOf } from '../../../src/profiles/profile.mapping.js';
import type { LayerReference } from '../../../src/profiles/profile.resolution.js';
import { ProfileService } from '../../../src/profiles/profile.service.js';
import type { ProfileDraft, ResolvedPackLayer } from '../../../src/profiles/profile.model.js';
import { kubernetes, ubuntu } from './fixture-packs.js';

function registry(name: string, priority: number): RegistryRecord {
  const at = new Date(0);
  return {
    id: `r-${name}`,
    name,
    kind: name === 'default' ? 'DEFAULT' : 'HOSTED',
    endpoint: null,
    basePath: null,
    repositories: [],
    priority,
    syncIntervalSeconds: 86400,
    insecure: false,
    allowedOrigins: [],
    visibility: 'PUBLIC',
    credentials: null,
    createdAt: at,
    updatedAt: at,
    syncState: 'NEVER',
    lastRunAt: null,
    lastSuccessAt: null,
    syncMessage: null,
  };
}

const DEFAULT = registry('default', -100);
const TEAM = registry('team', 50);

function packRow(name: string, reg: RegistryRecord, layer: PackRow['layer'] = 'ADDON'): PackRow {
  const at = new Date(0);
  return {
    id: `p-${reg.name}-${name}`,
    registryId: reg.id,
    name,
    displayName: name,
    layer,
    addonType: null,
    addonSubType: null,
    cloudTypes: ['all'],
    group: null,
    logoDigest: null,
    deprecated: false,
    createdAt: at,
    updatedAt: at,
    registry: reg,
  };
}

/** The JSON columns of a stored version, as the details loader returns them. */
const DETAILS_JSON = {
  constraints: { dependencies: [{ packName: 'kubernetes', layer: 'k8s', type: 'optional', minVersion: '1.27' }], resources: [] },
  annotations: { source: 'test' },
};

function versionRow(pack: PackRow, version: string, removed = false): VersionRow {
  const at = new Date(0);
  return {
    id: `v-${pack.id}-${version}`,
    packId: pack.id,
    registryId: pack.registryId,
    version,
    digest: `sha256:${pack.id}-${version}`,
    size: 10n,
    charts: [],
    manifests: [],
    cloudTypes: ['all'],
    deprecated: false,
    removedAt: removed ? at : null,
    message: null,
    publishedBy: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** A catalog in memory: one CatalogLoaders per "request", counting the batches each loader runs. */
function memoryCatalog(packs: PackRow[], versions: VersionRow[], tags: Array<{ packId: string; tag: string; versionId: string }> = []) {
  const batches: Record<string, number> = { packRowsByName: 0, versionsByPackId: 0, trustedVersionsByPackId: 0, tagsByPackId: 0, versionDetailsById: 0 };
  const loader = <K, V>(name: string, fn: (keys: readonly K[]) => V[]) =>
    new DataLoader<K, V>(async (keys) => {
      batches[name] = (batches[name] ?? 0) + 1;
      return fn(keys);
    });
  const loaders = {
    packRowsByName: loader<string, PackRow[]>('packRowsByName', (names) => names.map((n) => sortSources(packs.filter((p) => p.name === n)))),
    versionsByPackId: loader<string, VersionRow[]>('versionsByPackId', (ids) => ids.map((id) => versions.filter((v) => v.packId === id))),
    // Resolution reads versions with their signature state (no policy in this catalog).
    trustedVersionsByPackId: loader<string, TrustedVersionRow[]>('trustedVersionsByPackId', (ids) =>
      ids.map((id) => versions.filter((v) => v.packId === id).map((v) => ({ ...v, trust: { verified: false, enforce: 'NONE' as const } }))),
    ),
    tagsByPackId: loader<string, Array<{ tag: string; versionId: string }>>('tagsByPackId', (ids) => ids.map((id) => tags.filter((t) => t.packId === id))),
    versionDetailsById: loader<string, VersionDetails | null>('versionDetailsById', (ids) =>
      ids.map((id) => {
        const row = versions.find((v) => v.id === id);
        if (!row) return null;
        const pack = packs.find((p) => p.id === row.packId)!;
        const packJson = { name: pack.name, displayName: `${pack.name} (json)`, version: row.version, layer: pack.layer.toLowerCase(), group: 'grp', eol: '' };
        return { values: `pack:\n  namespace: ${pack.name}\n`, presets: null, schema: null, readme: null, packJson, ...DETAILS_JSON };
      }),
    ),
    packRowById: loader<string, PackRow | null>('packRowById', (ids) => ids.map((id) => packs.find((p) => p.id === id) ?? null)),
  } as unknown as CatalogLoaders;
  return { loaders, batches };
}

function service(): ProfileService {
  const policy = { allowAnonymousRead: false };
  return new ProfileService({} as ProfileRepository, new PackQueryService({} as PackStore, policy), policy);
}

function input(overrides: Partial<ProfileInputData> = {}): ProfileInputData {
  return { name: 'web', type: 'CLUSTER', cloudType: 'aws', layers: [{ pack: 'ubuntu', version: '22.04' }], ...overrides };
}

function boundIssues(data: ProfileInputData): Array<{ path?: string; message: string }> {
  try {
    checkProfileInput(data);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).issues;
  }
  return [];
}

describe('checkProfileInput', () => {
  it('accepts a plain profile', () => {
    expect(boundIssues(input())).toEqual([]);
  });

  it('reports every bound broken at once, each with its argument path', () => {
    const issues = boundIssues(
      input({
        name: 'n'.repeat(101),
        cloudType: ' ',
        layers: [
          { pack: '', version: '1.0.0' },
          { pack: 'big', version: 'v'.repeat(101), values: 'x'.repeat(1024 * 1024 + 1), presets: [''] },
        ],
        variables: [{ name: '' }],
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'input.name',
      'input.cloudType',
      'input.layers[0].pack',
      'input.layers[1].version',
      'input.layers[1].values',
      'input.layers[1].presets[0]',
      'input.variables[0].name',
    ]);
  });

  it('caps layers at 50 and variables at 100', () => {
    const layers = Array.from({ length: 51 }, () => ({ pack: 'a', version: '1.0.0' }));
    const variables = Array.from({ length: 101 }, (_, i) => ({ name: `v${i}` }));
    expect(boundIssues(input({ layers, variables })).map((i) => i.path)).toEqual(['input.layers', 'input.variables']);
    expect(boundIssues(input({ layers: layers.slice(1), variables: variables.slice(1) }))).toEqual([]);
  });

  it('counts the values bound in UTF-8 bytes', () => {
    const multiByte = 'é'.repeat(512 * 1024 + 1); // 1 MiB + 2 bytes
    expect(boundIssues(input({ layers: [{ pack: 'a', version: '1', values: multiByte }] })).map((i) => i.path)).toEqual([
      'input.layers[0].values',
    ]);
  });
});

describe('toInputIssues', () => {
  it('keeps code, message, path, layer index and pack, with the Severity enum spelling validateProfile answers', () => {
    expect(
      toInputIssues([
        { code: 'LAYER_ORDER', severity: 'ERROR', layerIndex: 1, pack: 'ubuntu', message: 'm' },
        { code: 'VARIABLE_UNUSED', severity: 'WARNING', path: 'x', message: 'n' },
      ]),
    ).toEqual([
      { code: 'LAYER_ORDER', severity: 'ERROR', layerIndex: 1, pack: 'ubuntu', message: 'm' },
      { code: 'VARIABLE_UNUSED', severity: 'WARNING', path: 'x', message: 'n' },
    ]);
  });
});

describe('manifestOf', () => {
  it('takes the normalised columns from the version row and the rest from pack.json', () => {
    const pack = packRow('cert-manager', DEFAULT);
    const row = versionRow(pack, '1.16.1');
    const manifest = manifestOf(pack, row, {
      ...DETAILS_JSON,
      packJson: { name: 'cert-manager', displayName: 'cert-manager (json)', layer: 'addon', group: 'tls', eol: ' ' },
    });
    expect(manifest).toMatchObject({
      name: 'cert-manager',
      displayName: 'cert-manager (json)',
      version: '1.16.1',
      layer: 'addon',
      cloudTypes: ['all'],
      group: 'tls',
      annotations: { source: 'test' },
      constraints: { dependencies: [{ packName: 'kubernetes', type: 'optional' }], resources: [] },
    });
    expect(manifest.eol).toBeUndefined();
  });

  it('falls back to the pack row when pack.json lacks a field', () => {
    const pack = packRow('ubuntu', DEFAULT, 'OS');
    const manifest = manifestOf(pack, versionRow(pack, '22.04'), { packJson: null, constraints: null, annotations: null });
    expect(manifest).toMatchObject({ displayName: 'ubuntu', layer: 'os', constraints: { dependencies: [], resources: [] } });
  });
});

describe('ProfileService.resolveLayers', () => {
  const defaultCert = packRow('cert-manager', DEFAULT);
  const teamCert = packRow('cert-manager', TEAM);
  const defaultK8s = packRow('kubernetes', DEFAULT, 'K8S');
  const versions = [
    versionRow(defaultCert, '1.15.0'),
    versionRow(defaultCert, '1.16.1'),
    versionRow(teamCert, '1.14.0'),
    versionRow(teamCert, '1.13.0', true),
    versionRow(defaultK8s, '1.30.6'),
    versionRow(defaultK8s, '1.31.2'),
  ];
  const tags = [{ packId: teamCert.id, tag: 'lts__1.14', versionId: versions[2].id }];

  it('resolves by registry priority, falling back to the next source, or in the registry given', async () => {
    const { loaders } = memoryCatalog([defaultCert, teamCert, defaultK8s], versions, tags);
    const refs: LayerReference[] = [
      { pack: 'cert-manager', version: 'latest' }, // team (priority 50) holds 1.14.0
      { pack: 'cert-manager', version: '1.16.1' }, // team lacks it: default answers
      { pack: 'cert-manager', version: 'latest', registry: 'default' },
      { pack: 'cert-manager', version: 'lts__1.14' },
      { pack: 'kubernetes', version: '1.31.x' },
      { pack: 'cert-manager', version: '1.13.0', registry: 'team' }, // removed upstream, still exact
    ];
    const resolved = (await service().resolveLayers(loaders, refs)) as ResolvedPackLayer[];
    expect(resolved.map((r) => `${r.status} ${r.registry}:${r.version}`)).toEqual([
      'OK team:1.14.0',
      'OK default:1.16.1',
      'OK default:1.16.1',
      'OK team:1.14.0',
      'OK default:1.31.2',
      'OK team:1.13.0',
    ]);
    expect(resolved[1]).toMatchObject({ digest: versions[1].digest, defaultValues: 'pack:\n  namespace: cert-manager\n', presets: null, schema: null });
    expect(resolved[4].manifest).toMatchObject({ name: 'kubernetes', layer: 'k8s', displayName: 'kubernetes (json)', group: 'grp' });
  });

  it('answers PACK_NOT_FOUND and VERSION_NOT_FOUND with the live versions of every candidate source', async () => {
    const { loaders } = memoryCatalog([defaultCert, teamCert, defaultK8s], versions, tags);
    const resolved = await service().resolveLayers(loaders, [
      { pack: 'nope', version: '1.0.0' },
      { pack: 'kubernetes', version: '1.31.2', registry: 'team' },
      { pack: 'cert-manager', version: '2.x' },
    ]);
    expect(resolved[0]).toEqual({ status: 'PACK_NOT_FOUND' });
    expect(resolved[1]).toEqual({ status: 'PACK_NOT_FOUND' });
    expect(resolved[2]).toEqual({ status: 'VERSION_NOT_FOUND', availableVersions: ['1.14.0', '1.15.0', '1.16.1'] });
  });

  it('runs one batch per loader whatever the number of layers', async () => {
    const many = Array.from({ length: 12 }, (_, i) => packRow(`addon-${i}`, DEFAULT));
    const manyVersions = many.map((p) => versionRow(p, '1.0.0'));
    const catalogPacks = [defaultCert, teamCert, defaultK8s, ...many];
    const refsOf = (n: number): LayerReference[] => many.slice(0, n).map((p, i) => ({ pack: p.name, version: i % 2 ? 'latest' : '1.x' }));
    const small = memoryCatalog(catalogPacks, [...versions, ...manyVersions], tags);
    await service().resolveLayers(small.loaders, refsOf(3));
    const large = memoryCatalog(catalogPacks, [...versions, ...manyVersions], tags);
    await service().resolveLayers(large.loaders, refsOf(12));
    // Versions come with their signature state from one batch (trustedVersionsByPackId), never a second versions batch.
    expect(small.batches).toEqual({ packRowsByName: 1, versionsByPackId: 0, trustedVersionsByPackId: 1, tagsByPackId: 1, versionDetailsById: 1 });
    expect(large.batches).toEqual(small.batches);
  });
});

describe('stored profiles', () => {
  it('turn back into the draft they were saved from (an empty preset list reads as "no explicit selection")', () => {
    const at = new Date(0);
    const draft = draftOf({
      id: 'id',
      name: 'web',
      version: '1.2.3',
      type: 'CLUSTER',
      cloudType: 'aws',
      description: null,
      createdBy: 'ci',
      owner: 'ci',
      createdAt: at,
      updatedAt: at,
      layers: [
        { position: 0, packName: 'ubuntu', versionRef: '22.04', registryName: null, values: null, presets: [] },
        { position: 1, packName: 'cni-cilium-oss', versionRef: '1.16.x', registryName: 'team', values: 'a: 1\n', presets: ['p'] },
      ],
      variables: [
        {
          position: 0,
          name: 'ns',
          displayName: null,
          description: null,
          format: 'string',
          defaultValue: 'x',
          required: true,
          regex: null,
          options: [],
          hidden: false,
          readonly: false,
        },
      ],
    });
    expect(draft.layers).toEqual([
      { pack: 'ubuntu', version: '22.04', registry: null, values: null, presets: null },
      { pack: 'cni-cilium-oss', version: '1.16.x', registry: 'team', values: 'a: 1\n', presets: ['p'] },
    ]);
    expect(draft.variables![0]).toMatchObject({ name: 'ns', default: 'x', required: true });
  });
});

describe('validation over memoised pack values', () => {
  it('gives the same answer when the pack values come from the memo', () => {
    const draft: ProfileDraft = {
      name: 'p',
      version: '1.0.0',
      type: 'CLUSTER',
      cloudType: 'aws',
      layers: [{ pack: 'ubuntu', version: '22.04' }, { pack: 'kubernetes', version: '1.31.2' }],
    };
    const resolved = [ubuntu(), kubernetes()];
    const first = validateProfileDraft(draft, resolved);
    const second = validateProfileDraft(draft, resolved);
    expect(second).toEqual(first);
  });
});
