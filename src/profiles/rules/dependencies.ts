/**
 * `constraints.dependencies` of each resolved pack against the other layers: DEPENDENCY_MISSING,
 * DEPENDENCY_VERSION, DEPENDENCY_NOT_SUPPORTED, LAYER_MISMATCH.
 */

import type { PackDependencySpec } from '../../packs/pack.types.js';
import { describeVersionRange, isVersionInRange } from '../../packs/version.js';
import type { ProfileTypeName } from '../profile.model.js';
import { layerLabel } from './labels.js';
import type { IssueSink, KnownLayer, LayerContext } from './layer-context.js';

function hasBounds(dep: PackDependencySpec): boolean {
  return (dep.minVersion?.trim() ?? '') !== '' || (dep.maxVersion?.trim() ?? '') !== '';
}

export function checkDependencies(type: ProfileTypeName, layers: LayerContext[], add: IssueSink): void {
  const present = new Map<string, KnownLayer[]>();
  const unresolvedNames = new Set<string>();
  for (const l of layers) {
    if (l.pack) present.set(l.name, [...(present.get(l.name) ?? []), l as KnownLayer]);
    else unresolvedNames.add(l.draft.pack);
  }
  for (const l of layers) {
    if (!l.pack) continue;
    const owner = `${l.name} ${l.pack.version}`;
    for (const dep of l.pack.manifest.constraints.dependencies) {
      // `upgrade` constraints concern version changes (planProfileUpgrade); unknown types are ignored.
      if (dep.type !== 'required' && dep.type !== 'optional' && dep.type !== 'notSupported') continue;
      const targets = (present.get(dep.packName) ?? []).filter((t) => t.index !== l.index);
      if (targets.length === 0) {
        if (dep.type !== 'required' || unresolvedNames.has(dep.packName)) continue;
        const providedElsewhere = (type === 'ADDON' || type === 'SYSTEM') && dep.layer !== undefined && dep.layer !== 'addon';
        add({
          code: 'DEPENDENCY_MISSING',
          severity: providedElsewhere ? 'WARNING' : 'ERROR',
          layerIndex: l.index,
          pack: l.name,
          message:
            `${owner} requires ${dep.layer ? `${layerLabel(dep.layer)} pack ` : ''}"${dep.packName}"` +
            (hasBounds(dep) ? ` ${describeVersionRange(dep.minVersion, dep.maxVersion)}` : '') +
            ', which the profile lacks' +
            (providedElsewhere ? ' (it must come from the cluster\'s infrastructure profile)' : ''),
        });
        continue;
      }
      for (const t of targets) {
        if (dep.layer && t.pack.manifest.layer !== dep.layer) {
          add({
            code: 'LAYER_MISMATCH',
            severity: 'WARNING',
            layerIndex: l.index,
            pack: l.name,
            message: `${owner} expects "${dep.packName}" in the ${layerLabel(dep.layer)} layer, but layer ${t.index} holds it as ${layerLabel(t.pack.manifest.layer)}`,
          });
        }
        if (!hasBounds(dep)) continue;
        const inRange = isVersionInRange(t.pack.version, dep.minVersion, dep.maxVersion);
        const range = describeVersionRange(dep.minVersion, dep.maxVersion);
        if (dep.type === 'notSupported' && inRange) {
          add({
            code: 'DEPENDENCY_NOT_SUPPORTED',
            severity: 'ERROR',
            layerIndex: l.index,
            pack: l.name,
            message: `${owner} does not support "${dep.packName}" ${range}; layer ${t.index} has ${t.pack.version}`,
          });
        } else if (dep.type !== 'notSupported' && !inRange) {
          add({
            code: 'DEPENDENCY_VERSION',
            severity: 'ERROR',
            layerIndex: l.index,
            pack: l.name,
            message: `${owner} needs "${dep.packName}" ${range} (${dep.type}); layer ${t.index} has ${t.pack.version}`,
          });
        }
      }
    }
  }
}
