/**
 * The one mapping between a `PackManifest` and the columns the catalog stores it in, both ways:
 * ingestion takes a read pack apart into Pack and PackVersion columns (`packColumnsOf`,
 * `versionColumnsOf`); profile resolution puts a stored version back together (`manifestOf`).
 * Pure: the store runs the SQL, this only says which column holds what.
 */
import { Prisma } from '../generated/prisma/client.js';
import type { Layer } from '../generated/prisma/enums.js';
import { PACK_LAYERS, type PackConstraintsSpec, type PackLayer, type PackManifest, type ReadPack } from '../packs/pack.types.js';
import { lifecycleOf, SYSTEM_STATE_OF, type PackLifecycleOverride } from '../packs/pack-lifecycle.js';
import type { PackRow, VersionRow } from './catalog.model.js';

/** The JSON columns of a version that only a detailed read (profile resolution, the version page) needs. */
export interface VersionDetails {
  values: string;
  presets: unknown;
  schema: unknown;
  readme: string | null;
  packJson: unknown;
  constraints: unknown;
  annotations: unknown;
}

const LAYER_OF: Record<PackManifest['layer'], Layer> = {
  kernel: 'KERNEL',
  os: 'OS',
  k8s: 'K8S',
  cni: 'CNI',
  csi: 'CSI',
  addon: 'ADDON',
};

export function isDeprecated(manifest: PackManifest): boolean {
  return manifest.annotations.system_state === 'deprecated';
}

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

/** The Pack row's copy of a version's metadata (the newest version's wins), logo digest aside. */
export function packColumnsOf(m: PackManifest) {
  return {
    displayName: m.displayName,
    layer: LAYER_OF[m.layer],
    addonType: m.addonType ?? null,
    addonSubType: m.addonSubType ?? null,
    cloudTypes: m.cloudTypes,
    group: m.group ?? null,
    deprecated: isDeprecated(m),
  };
}

/** The PackVersion columns that come from the pack itself (not from who stored it, or where). */
export function versionColumnsOf(pack: ReadPack) {
  return {
    values: pack.values,
    presets: json(pack.presets),
    schema: json(pack.schema),
    readme: pack.readme,
    annotations: json(pack.manifest.annotations),
    constraints: json(pack.manifest.constraints),
    charts: pack.manifest.charts,
    manifests: pack.manifest.kubeManifests,
    cloudTypes: pack.manifest.cloudTypes,
    packJson: pack.manifest.raw as Prisma.InputJsonValue,
    deprecated: isDeprecated(pack.manifest),
  };
}

function isPackLayer(value: unknown): value is PackLayer {
  return typeof value === 'string' && (PACK_LAYERS as readonly string[]).includes(value);
}

function optionalText(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The manifest of a stored version, from the columns ingestion normalised (cloud types, constraints,
 * charts, manifests, annotations) and the pack.json as published for the rest.
 */
/**
 * The version's annotations with its lifecycle (packs/pack-lifecycle.ts: the catalog's `deprecated`
 * flag, a publisher's setPackVersionLifecycle) spelled as pack.json spells it (`system_state`,
 * `replacedBy`), so rules read one lifecycle: a version the DEFAULT seeding dropped is deprecated
 * though its pack.json says nothing. `deleted` (pack-central's spelling for gone) is kept as it is.
 */
function lifecycleAnnotations(annotations: Record<string, string>, row: VersionRow, eol: unknown): Record<string, string> {
  // Nothing set by the catalog: pack.json's annotations as they are.
  if (annotations.system_state === 'deleted' || (!row.deprecated && !row.lifecycle)) return annotations;
  const lifecycle = lifecycleOf({ deprecated: row.deprecated, annotations, eol, override: row.lifecycle });
  const { system_state: _state, replacedBy: _r, replaced_by: _rb, ...rest } = annotations;
  const systemState = SYSTEM_STATE_OF[lifecycle.state];
  return { ...rest, ...(systemState ? { system_state: systemState } : {}), ...(lifecycle.replacedBy ? { replacedBy: lifecycle.replacedBy } : {}) };
}

export function manifestOf(
  pack: PackRow,
  row: VersionRow,
  details: Pick<VersionDetails, 'packJson' | 'constraints' | 'annotations'>,
): PackManifest {
  const { packJson } = details;
  const raw = (packJson && typeof packJson === 'object' && !Array.isArray(packJson) ? packJson : {}) as Record<string, unknown>;
  const constraints = (details.constraints ?? {}) as Partial<PackConstraintsSpec>;
  const manifest: PackManifest = {
    name: pack.name,
    displayName: optionalText(raw, 'displayName') ?? pack.displayName,
    version: row.version,
    layer: isPackLayer(raw.layer) ? raw.layer : (pack.layer.toLowerCase() as PackLayer),
    cloudTypes: row.cloudTypes,
    charts: row.charts,
    kubeManifests: row.manifests,
    ansibleRoles: Array.isArray(raw.ansibleRoles) ? raw.ansibleRoles.map(String) : [],
    annotations: lifecycleAnnotations((details.annotations ?? {}) as Record<string, string>, row, raw.eol),
    constraints: { dependencies: constraints.dependencies ?? [], resources: constraints.resources ?? [] },
    raw,
  };
  for (const key of ['group', 'eol', 'addonType', 'addonSubType'] as const) {
    const value = optionalText(raw, key);
    if (value !== undefined) manifest[key] = value;
  }
  // A publisher's eol (setPackVersionLifecycle) replaces pack.json's; null clears it.
  const override = row.lifecycle as PackLifecycleOverride | null | undefined;
  if (override && typeof override === 'object' && 'eol' in override) {
    if (override.eol) manifest.eol = override.eol;
    else delete manifest.eol;
  }
  return manifest;
}
