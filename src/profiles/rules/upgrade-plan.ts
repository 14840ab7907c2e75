/**
 * Planning a move from one profile version (or a deployed cluster's layers) to another: which layers
 * are added, removed, re-versioned or re-configured, and which version changes the target packs'
 * `upgrade` constraints forbid. Pure. planProfileUpgrade compares two sides of layers;
 * planDraftUpgrade builds those sides from two stored versions' drafts and what the catalog resolved.
 */

import { parseDocument } from 'yaml';

import type { PackManifest } from '../../packs/pack.types.js';
import { compareVersions, describeVersionRange, isVersionInRange } from '../../packs/version.js';
import type { ProfileDraft, ProfileLayerDraft, ResolvedLayer, ValidationIssue } from '../profile.model.js';

/** One layer of either side of an upgrade. */
export interface UpgradeLayer {
  pack: string;
  /** The exact version. */
  version: string;
  manifest: PackManifest;
  /** The layer's effective values; VALUES_CHANGED is only computed when both sides give them. */
  values?: string | null;
}

export interface UpgradeSide {
  layers: UpgradeLayer[];
}

export type LayerChangeKind = 'ADDED' | 'REMOVED' | 'VERSION_CHANGED' | 'VALUES_CHANGED';

export interface LayerChange {
  kind: LayerChangeKind;
  pack: string;
  /** Index in `from.layers` (absent for ADDED). */
  fromIndex?: number;
  /** Index in `to.layers` (absent for REMOVED). */
  toIndex?: number;
  fromVersion?: string;
  toVersion?: string;
  /** For VERSION_CHANGED: whether the version goes up or down. */
  direction?: 'UPGRADE' | 'DOWNGRADE';
  /** For VERSION_CHANGED: whether the values differ as well (both sides gave values). */
  valuesChanged?: boolean;
}

export interface ProfileUpgradePlan {
  /** Changes in `to` order, then removals in `from` order. Unchanged layers are not listed. */
  changes: LayerChange[];
  /** UPGRADE_NOT_SUPPORTED errors (layerIndex = index in `to.layers`). */
  issues: ValidationIssue[];
  /** No ERROR issue. */
  allowed: boolean;
}

function valuesDiffer(a: string, b: string): boolean {
  if (a === b) return false;
  const pa = parseDocument(a);
  const pb = parseDocument(b);
  // Comments and formatting don't change what deploys; compare the data when both parse.
  if (pa.errors.length === 0 && pb.errors.length === 0) {
    return JSON.stringify(pa.toJS()) !== JSON.stringify(pb.toJS());
  }
  return true;
}

function occurrenceKeys(layers: readonly UpgradeLayer[]): string[] {
  const counts = new Map<string, number>();
  return layers.map((l) => {
    const n = counts.get(l.pack) ?? 0;
    counts.set(l.pack, n + 1);
    return `${l.pack}#${n}`;
  });
}

/**
 * Compare two layer lists.
 *
 * Layers are matched by pack name; when a pack appears several times, the k-th occurrence in `from`
 * matches the k-th in `to`. A matched pair with different versions is VERSION_CHANGED, with equal
 * versions but different values (compared as data, not text) VALUES_CHANGED; unmatched layers are
 * ADDED or REMOVED. Moving a layer is not a change.
 *
 * `upgrade` constraints: for every VERSION_CHANGED layer, each dependency of type `upgrade` in the
 * TARGET version's pack.json names a pack whose version in `from` must lie in minVersion..maxVersion
 * (inclusive, empty bounds open; both empty: no constraint) for the change to be allowed. Usually
 * the dependency names the pack itself (argo-cd 3.26.7 may be reached from argo-cd <= 3.26.7); it
 * may name another pack of `from`, and is skipped when `from` doesn't hold that pack. A violated
 * constraint is an UPGRADE_NOT_SUPPORTED error. The rule applies to downgrades alike.
 */
export function planProfileUpgrade(from: UpgradeSide, to: UpgradeSide): ProfileUpgradePlan {
  const changes: LayerChange[] = [];
  const issues: ValidationIssue[] = [];
  const fromKeys = occurrenceKeys(from.layers);
  const toKeys = occurrenceKeys(to.layers);
  const fromByKey = new Map(fromKeys.map((key, index) => [key, index]));
  const matchedFrom = new Set<number>();

  toKeys.forEach((key, toIndex) => {
    const target = to.layers[toIndex];
    const fromIndex = fromByKey.get(key);
    if (fromIndex === undefined) {
      changes.push({ kind: 'ADDED', pack: target.pack, toIndex, toVersion: target.version });
      return;
    }
    matchedFrom.add(fromIndex);
    const source = from.layers[fromIndex];
    const bothValues =
      source.values !== undefined && source.values !== null && target.values !== undefined && target.values !== null;
    const valuesChanged = bothValues && valuesDiffer(source.values as string, target.values as string);
    if (source.version === target.version) {
      if (valuesChanged) {
        changes.push({ kind: 'VALUES_CHANGED', pack: target.pack, fromIndex, toIndex, fromVersion: source.version, toVersion: target.version });
      }
      return;
    }
    changes.push({
      kind: 'VERSION_CHANGED',
      pack: target.pack,
      fromIndex,
      toIndex,
      fromVersion: source.version,
      toVersion: target.version,
      direction: compareVersions(target.version, source.version) >= 0 ? 'UPGRADE' : 'DOWNGRADE',
      valuesChanged,
    });
    for (const dep of target.manifest.constraints.dependencies) {
      if (dep.type !== 'upgrade') continue;
      if ((dep.minVersion?.trim() ?? '') === '' && (dep.maxVersion?.trim() ?? '') === '') continue;
      const current = dep.packName === target.pack ? source : from.layers.find((l) => l.pack === dep.packName);
      if (!current || isVersionInRange(current.version, dep.minVersion, dep.maxVersion)) continue;
      issues.push({
        code: 'UPGRADE_NOT_SUPPORTED',
        severity: 'ERROR',
        layerIndex: toIndex,
        pack: target.pack,
        message:
          `${target.pack} ${target.version} can only be reached from ${dep.packName} ` +
          `${describeVersionRange(dep.minVersion, dep.maxVersion)}; the current version is ${current.version}`,
      });
    }
  });

  from.layers.forEach((source, fromIndex) => {
    if (!matchedFrom.has(fromIndex)) {
      changes.push({ kind: 'REMOVED', pack: source.pack, fromIndex, fromVersion: source.version });
    }
  });

  return { changes, issues, allowed: !issues.some((i) => i.severity === 'ERROR') };
}

/** One end of an upgrade between stored profile versions: the version (for messages) and its draft. */
export interface UpgradeEnd {
  version: string;
  draft: ProfileDraft;
}

/**
 * The plan between two profile versions whose layers the catalog resolved: `resolved` holds
 * `from`'s layers, then `to`'s. A layer that no longer resolves is reported (an ERROR on the target
 * side, which can't be deployed; a WARNING on the source side, compared as written).
 */
export function planDraftUpgrade(from: UpgradeEnd, to: UpgradeEnd, resolved: readonly ResolvedLayer[]): ProfileUpgradePlan {
  const issues: ValidationIssue[] = [];
  const side = (layers: ProfileLayerDraft[], offset: number, isTarget: boolean): UpgradeLayer[] =>
    layers.map((layer, i) => {
      const found = resolved[offset + i];
      if (found.status === 'OK') {
        return { pack: found.manifest.name, version: found.version, manifest: found.manifest, values: layer.values ?? found.defaultValues };
      }
      issues.push({
        code: found.status,
        severity: isTarget ? 'ERROR' : 'WARNING',
        ...(isTarget ? { layerIndex: i } : {}),
        pack: layer.pack,
        path: `${isTarget ? 'to' : 'from'}.layers[${i}]`,
        message:
          `${layer.pack}:${layer.version} of version ${isTarget ? to.version : from.version} no longer resolves` +
          (isTarget ? '; the target profile cannot be deployed' : '; its upgrade constraints are compared with the reference as written'),
      });
      return { pack: layer.pack, version: layer.version, manifest: unresolvedManifest(layer), values: layer.values ?? null };
    });
  const fromLayers = from.draft.layers;
  const toLayers = to.draft.layers;
  const plan = planProfileUpgrade({ layers: side(fromLayers, 0, false) }, { layers: side(toLayers, fromLayers.length, true) });
  // A version change of a layer that keeps the pack's own values on both sides changes no values of
  // the author's: the packs' defaults differ from version to version by nature.
  const changes = plan.changes.map((c) =>
    c.kind === 'VERSION_CHANGED' && fromLayers[c.fromIndex!].values == null && toLayers[c.toIndex!].values == null
      ? { ...c, valuesChanged: false }
      : c,
  );
  const all = [...issues, ...plan.issues];
  return { changes, issues: all, allowed: !all.some((i) => i.severity === 'ERROR') };
}

/** A stand-in for a layer that no longer resolves: no constraints, so nothing is checked against it. */
function unresolvedManifest(layer: ProfileLayerDraft): PackManifest {
  return {
    name: layer.pack,
    displayName: layer.pack,
    version: layer.version,
    layer: 'addon',
    cloudTypes: [],
    charts: [],
    kubeManifests: [],
    ansibleRoles: [],
    annotations: {},
    constraints: { dependencies: [], resources: [] },
    raw: {},
  };
}
