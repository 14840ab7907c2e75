/**
 * Cluster profile validation: a pure function over (draft, what the catalog resolved for each
 * layer) that returns every issue it finds, never the first only. One file per concern in this
 * folder (layers, references, cloud-types, dependencies, duplicate-packs, values, presets,
 * variables, macros, install-order, resources, header, signatures, lifecycle); the issue codes and their table are in
 * issue-codes.ts. To add a rule: a `check...(layers, add)` function in the file of its concern (or
 * a new one), its code in issue-codes.ts, one call below.
 *
 * Decisions worth knowing:
 * - A layer's kind is the resolved pack's `manifest.layer`; unresolved layers are reported once
 *   (PACK_NOT_FOUND/VERSION_NOT_FOUND) and skipped by the layer, cloud, dependency and schema rules
 *   (a dependency on a pack whose layer didn't resolve is not reported as missing either).
 * - Effective values = the layer's override when given (even `''`), else the pack's values.yaml.
 *   Presets are not re-applied: Palette writes a selected preset into the values, so the effective
 *   values already carry it.
 * - `readonly` parameters may not differ from the pack's value: ERROR, since the pack author locked
 *   them because a change breaks the pack (tekton-operator's `fullnameOverride`).
 * - Values holding a macro skip format checks (they resolve at deploy time) but count as present.
 */

import type {
  ProfileDraft,
  ProfileValidationResult,
  ResolvedLayer,
  ResolvedLayerSummary,
  ResolvedPackLayer,
  ValidationIssue,
} from '../profile.model.js';
import { checkCloudTypes } from './cloud-types.js';
import { checkDependencies } from './dependencies.js';
import { checkDuplicatePacks } from './duplicate-packs.js';
import { checkProfileHeader } from './header.js';
import { layerValuesView } from './effective-values.js';
import { computeInstallOrder } from './install-order.js';
import { buildContexts, type IssueSink } from './layer-context.js';
import { checkLayerStructure } from './layers.js';
import { checkLifecycle } from './lifecycle.js';
import { checkMacros } from './macros.js';
import { checkPresets } from './presets.js';
import { checkResolution } from './references.js';
import { sumResources } from './resources.js';
import { checkSignatures } from './signatures.js';
import { checkValues } from './values.js';
import { checkVariables } from './variables.js';

export { PROFILE_ISSUE_CODES, type ProfileIssueCode } from './issue-codes.js';
export { CORE_LAYER_ORDER, REQUIRED_CORE_LAYERS } from './layers.js';
export { readPackAnnotation } from './parsed-values.js';

/**
 * Validate a profile draft against what the catalog resolved for each of its layers
 * (`resolved[i]` belongs to `draft.layers[i]`). Pure; returns every issue found, profile-level
 * issues first, then by layer.
 *
 * @throws RangeError when `resolved` doesn't have one entry per layer (a caller bug, not bad input).
 */
export function validateProfileDraft(draft: ProfileDraft, resolved: readonly ResolvedLayer[]): ProfileValidationResult {
  if (resolved.length !== draft.layers.length) {
    throw new RangeError(`validateProfileDraft: ${draft.layers.length} layers but ${resolved.length} resolutions`);
  }
  const issues: ValidationIssue[] = [];
  const add: IssueSink = (issue) => issues.push(issue);
  const layers = buildContexts(draft, resolved);
  const variables = draft.variables ?? [];

  checkProfileHeader(draft, add);
  checkResolution(layers, add);
  const coreDuplicates = checkLayerStructure(draft.type, layers, add);
  checkCloudTypes(draft.cloudType, layers, add);
  checkDependencies(draft.type, layers, add);
  checkDuplicatePacks(layers, coreDuplicates, add);
  checkValues(layers, add);
  checkPresets(layers, add);
  checkVariables(variables, add);
  checkMacros(layers, variables, add);
  checkSignatures(layers, add);
  checkLifecycle(layers, add);
  const installOrder = computeInstallOrder(layers, add);

  const resolvedLayers: ResolvedLayerSummary[] = layers
    .filter((l) => l.pack !== null)
    .map((l) => {
      const pack = l.pack as ResolvedPackLayer;
      const { registry, version, digest } = pack;
      return { layerIndex: l.index, pack: l.name, registry, version, digest, layer: pack.manifest.layer, ...layerValuesView(l) };
    });

  // Stable: profile-level issues first, then per layer, each in the order the rules found them.
  const ordered = issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.layerIndex ?? -1) - (b.issue.layerIndex ?? -1) || a.i - b.i)
    .map(({ issue }) => issue);

  return {
    valid: !ordered.some((i) => i.severity === 'ERROR'),
    issues: ordered,
    resolvedLayers,
    installOrder,
    resources: sumResources(layers),
  };
}
