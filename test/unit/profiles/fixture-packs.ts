/**
 * Test helper: real packs from ../shared/fixtures/pack-central/meta as ResolvedLayer values, plus
 * tiny synthetic core packs (pack-central has no OS or K8S packs). A deliberately simple mapping of
 * pack.json/values.yaml/presets.yaml/schema.yaml, independent of the real pack parser in src/packs.
 */

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import type {
  PackDependencySpec,
  PackLayer,
  PackManifest,
  PackPreset,
  PackValueSchema,
  ResourceConstraintSpec,
} from '../../../src/packs/pack.types.js';
import type { ResolvedLayer, ResolvedPackLayer } from '../../../src/profiles/profile.model.js';

export const PACK_CENTRAL = fileURLToPath(new URL('../../../../shared/fixtures/pack-central/meta/', import.meta.url));

type Json = Record<string, unknown>;

function readOptional(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

export function manifestFromJson(raw: Json): PackManifest {
  const constraints = (raw.constraints ?? {}) as Json;
  const cloudTypes = Array.isArray(raw.cloudTypes)
    ? (raw.cloudTypes as string[])
    : typeof raw.cloudType === 'string'
      ? [raw.cloudType]
      : [];
  return {
    name: String(raw.name),
    displayName: String(raw.displayName ?? raw.name),
    version: String(raw.version),
    layer: raw.layer as PackLayer,
    group: raw.group as string | undefined,
    addonType: raw.addonType as string | undefined,
    cloudTypes,
    charts: (raw.charts as string[] | undefined) ?? [],
    kubeManifests: (raw.kubeManifests as string[] | undefined) ?? [],
    ansibleRoles: (raw.ansibleRoles as string[] | undefined) ?? [],
    annotations: (raw.annotations as Record<string, string> | undefined) ?? {},
    constraints: {
      dependencies: (constraints.dependencies as PackDependencySpec[] | undefined) ?? [],
      resources: (constraints.resources as ResourceConstraintSpec[] | undefined) ?? [],
    },
    raw,
  };
}

/** Load `meta/<folder>/` as an OK ResolvedLayer (folder names are not always NAME-VERSION). */
export function loadFixturePack(folder: string, registry = 'pack-central'): ResolvedPackLayer {
  const dir = join(PACK_CENTRAL, folder);
  const packJson = readFileSync(join(dir, 'pack.json'), 'utf8');
  const manifest = manifestFromJson(JSON.parse(packJson) as Json);
  const presetsText = readOptional(join(dir, 'presets.yaml'));
  const schemaText = readOptional(join(dir, 'schema.yaml'));
  const presets = presetsText === null ? null : (((parse(presetsText) as Json | null)?.presets as PackPreset[] | undefined) ?? []);
  let schema: PackValueSchema | null = null;
  if (schemaText !== null) {
    schema = {};
    for (const [path, entry] of Object.entries((parse(schemaText) as Json | null) ?? {})) {
      schema[path] = String((entry as Json).schema);
    }
  }
  return {
    status: 'OK',
    registry,
    version: manifest.version,
    digest: `sha256:${createHash('sha256').update(packJson).digest('hex')}`,
    manifest,
    defaultValues: readOptional(join(dir, 'values.yaml')) ?? '',
    presets,
    schema,
    signature: { verified: false, enforce: 'NONE' },
  };
}

export interface SyntheticPackOptions {
  name: string;
  version: string;
  layer: PackLayer;
  cloudTypes?: string[];
  values?: string;
  dependencies?: PackDependencySpec[];
  resources?: ResourceConstraintSpec[];
  presets?: PackPreset[] | null;
  schema?: PackValueSchema | null;
}

/** A made-up pack, for what pack-central lacks (OS and K8S packs) or doesn't exercise. */
export function syntheticPack(options: SyntheticPackOptions): ResolvedPackLayer {
  const raw: Json = {
    name: options.name,
    displayName: options.name,
    version: options.version,
    layer: options.layer,
    cloudTypes: options.cloudTypes ?? ['all'],
    constraints: { dependencies: options.dependencies ?? [], resources: options.resources ?? [] },
  };
  return {
    status: 'OK',
    registry: 'synthetic',
    version: options.version,
    digest: `sha256:${createHash('sha256').update(JSON.stringify(raw)).digest('hex')}`,
    manifest: manifestFromJson(raw),
    defaultValues: options.values ?? '',
    presets: options.presets ?? null,
    schema: options.schema ?? null,
    signature: { verified: false, enforce: 'NONE' },
  };
}

/** A copy of a resolved pack with its manifest changed (e.g. an extra dependency). */
export function withManifest(pack: ResolvedPackLayer, change: (m: PackManifest) => PackManifest): ResolvedPackLayer {
  return { ...pack, manifest: change(structuredClone(pack.manifest)) };
}

export const ubuntu = (version = '22.04'): ResolvedPackLayer =>
  syntheticPack({ name: 'ubuntu-vsphere', version, layer: 'os', cloudTypes: ['vsphere'], values: 'kubeadmconfig:\n  preKubeadmCommands: []\n' });

export const kubernetes = (version = '1.29.4'): ResolvedPackLayer =>
  syntheticPack({
    name: 'kubernetes',
    version,
    layer: 'k8s',
    cloudTypes: ['all'],
    values: `pack:\n  k8sHardening: True\n  podCIDR: "192.168.0.0/16"\ncluster:\n  config: |\n    clusterName: "{{ .spectro.system.cluster.name }}"\n`,
    resources: [
      { type: 'cpu', minLimit: 2000 },
      { type: 'memory', minLimit: 4096 },
      { type: 'diskSize', minLimit: 60 },
    ],
  });

export const notFound = (): ResolvedLayer => ({ status: 'PACK_NOT_FOUND' });
export const versionNotFound = (availableVersions: string[]): ResolvedLayer => ({ status: 'VERSION_NOT_FOUND', availableVersions });
