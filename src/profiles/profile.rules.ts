/**
 * Cluster profile validation: a pure function over (draft, what the catalog resolved for each
 * layer) that returns every issue it finds, never the first only.
 *
 * Issue codes (stable strings; the first block is the API contract, the rest are ours):
 *
 * | code                        | severity      | when |
 * |-----------------------------|---------------|------|
 * | MISSING_CORE_LAYER          | ERROR         | CLUSTER/INFRA lacks one of OS, K8S, CNI, CSI |
 * | DUPLICATE_CORE_LAYER        | ERROR         | a second pack for a core layer (KERNEL included) |
 * | LAYER_ORDER                 | ERROR         | core layers not KERNEL, OS, K8S, CNI, CSI; an add-on before a core layer |
 * | LAYER_NOT_ALLOWED           | ERROR         | an add-on in INFRA; a core layer in ADDON/SYSTEM |
 * | PACK_NOT_FOUND              | ERROR         | the layer's pack resolves to nothing |
 * | VERSION_NOT_FOUND           | ERROR         | the pack exists but not that version/tag (message lists versions) |
 * | CLOUD_TYPE_MISMATCH         | ERROR         | pack cloudTypes hold neither the profile cloudType nor `all` |
 * | DEPENDENCY_MISSING          | ERROR/WARNING | a `required` dependency is absent (WARNING in ADDON/SYSTEM when it is a core layer, which the cluster's infra profile provides) |
 * | DEPENDENCY_VERSION          | ERROR         | a required / present optional dependency is outside minVersion..maxVersion |
 * | DEPENDENCY_NOT_SUPPORTED    | ERROR         | a `notSupported` dependency is present within its range |
 * | DUPLICATE_PACK              | ERROR         | the same pack twice without distinct display names |
 * | VALUES_INVALID_YAML         | ERROR         | a layer's values are not YAML (or not a mapping); message has line and column |
 * | VALUES_SCHEMA               | ERROR         | values break schema.yaml: required, format, range, list, regex, readonly |
 * | PRESET_UNKNOWN              | ERROR/WARNING | a selected preset the pack lacks (WARNING when it comes from the enabled-presets comment) |
 * | PRESET_GROUP_CONFLICT       | ERROR/WARNING | two selected presets of one group (WARNING from the comment) |
 * | VARIABLE_UNDEFINED          | ERROR         | `{{ .spectro.var.X }}` with no profile variable X |
 * | PACK_REFERENCE_UNKNOWN      | ERROR         | `{{ .spectro.pack.P.* }}` with no layer holding pack P |
 * | CLOUD_TYPE_ALL_NOT_ADDON    | ERROR         | `cloudType: all` on a profile that is not ADDON |
 * | SYSTEM_MACRO_UNKNOWN        | WARNING       | `{{ .spectro.system.X }}` where X is not a documented system macro |
 * | LAYER_MISMATCH              | WARNING       | a dependency names a pack that is present but in another layer than the dependency says |
 * | VALUES_SCHEMA_UNSUPPORTED   | WARNING       | a schema.yaml expression we can't understand (that part is not checked) |
 * | VARIABLE_INVALID            | ERROR         | a variable with a bad/duplicate name, unknown format, bad regex, a default that breaks its format/regex/options, or hidden/read-only + required without default |
 * | VARIABLE_UNUSED             | WARNING       | a profile variable no layer's values use |
 * | INSTALL_PRIORITY_INVALID    | WARNING       | `spectrocloud.com/install-priority` is not an integer (0 is used) |
 * | PROFILE_VERSION_INVALID     | ERROR         | the profile version is not `MAJOR.MINOR.PATCH` |
 * | PROFILE_EMPTY               | ERROR         | an ADDON/SYSTEM profile without layers |
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

import { parseDocument } from 'yaml';

import type { PackDependencySpec, PackLayer, PackPreset } from '../packs/pack.types.js';
import { describeVersionRange, isVersionInRange, sortVersionsDescending } from '../packs/version.js';
import { findMacroReferences, SYSTEM_MACROS } from './profile.macros.js';
import type {
  InstallStep,
  IssueSeverity,
  ProfileDraft,
  ProfileLayerDraft,
  ProfileResources,
  ProfileTypeName,
  ProfileValidationResult,
  ProfileVariableDraft,
  ResolvedLayer,
  ResolvedLayerSummary,
  ResolvedPackLayer,
  ValidationIssue,
} from './profile.model.js';
import { PROFILE_VARIABLE_FORMATS } from './profile.model.js';
import { checkPlaceholder, checkValuesAgainstSchema, compileRe2, valuesAtPath } from './value-schema.js';

export const PROFILE_ISSUE_CODES = [
  'MISSING_CORE_LAYER',
  'DUPLICATE_CORE_LAYER',
  'LAYER_ORDER',
  'LAYER_NOT_ALLOWED',
  'PACK_NOT_FOUND',
  'VERSION_NOT_FOUND',
  'CLOUD_TYPE_MISMATCH',
  'DEPENDENCY_MISSING',
  'DEPENDENCY_VERSION',
  'DEPENDENCY_NOT_SUPPORTED',
  'DUPLICATE_PACK',
  'VALUES_INVALID_YAML',
  'VALUES_SCHEMA',
  'PRESET_UNKNOWN',
  'PRESET_GROUP_CONFLICT',
  'VARIABLE_UNDEFINED',
  'PACK_REFERENCE_UNKNOWN',
  'CLOUD_TYPE_ALL_NOT_ADDON',
  'SYSTEM_MACRO_UNKNOWN',
  'LAYER_MISMATCH',
  'VALUES_SCHEMA_UNSUPPORTED',
  'VARIABLE_INVALID',
  'VARIABLE_UNUSED',
  'INSTALL_PRIORITY_INVALID',
  'PROFILE_VERSION_INVALID',
  'PROFILE_EMPTY',
] as const;
export type ProfileIssueCode = (typeof PROFILE_ISSUE_CODES)[number];

/** Core layers in the order a CLUSTER/INFRA profile stacks them; KERNEL is optional. */
export const CORE_LAYER_ORDER: readonly PackLayer[] = ['kernel', 'os', 'k8s', 'cni', 'csi'];
/** The core layers a CLUSTER/INFRA profile must hold exactly once. */
export const REQUIRED_CORE_LAYERS: readonly PackLayer[] = ['os', 'k8s', 'cni', 'csi'];

const ENABLED_PRESETS_COMMENT = /^\s*#\s*spectrocloud\.com\/enabled-presets:\s*(.*)$/;
const PROFILE_VERSION_PATTERN = /^\d+\.\d+\.\d+$/;
const VARIABLE_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

interface LayerContext {
  index: number;
  draft: ProfileLayerDraft;
  resolved: ResolvedLayer;
  /** The resolved pack, when the catalog found it. */
  pack: ResolvedPackLayer | null;
  /** manifest.name when resolved, else the draft's pack reference. */
  name: string;
  usesOverride: boolean;
  valuesText: string | null;
  /** Parsed effective values; undefined when there are none or they don't parse. */
  values: unknown;
  valuesParsed: boolean;
}

type IssueSink = (issue: ValidationIssue) => void;

function layerLabel(layer: PackLayer): string {
  return layer.toUpperCase();
}

const AN_LABELS = new Set(['OS', 'ADDON', 'INFRA']);

/** "a CSI", "an OS". */
function withArticle(label: string): string {
  return `${AN_LABELS.has(label) ? 'an' : 'a'} ${label}`;
}

function aProfile(type: ProfileTypeName): string {
  return `${withArticle(type)} profile`;
}

function isCoreLayer(layer: PackLayer): boolean {
  return layer !== 'addon';
}

function hasBounds(dep: PackDependencySpec): boolean {
  return (dep.minVersion?.trim() ?? '') !== '' || (dep.maxVersion?.trim() ?? '') !== '';
}

type ParsedValues = { ok: true; value: unknown } | { ok: false; message: string };

function parseValues(text: string): ParsedValues {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, message: `${where}${reason}` };
  }
  try {
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
      return { ok: false, message: 'values must be a YAML mapping (key: value), not a single value or a list' };
    }
    return { ok: true, value: value ?? {} };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/**
 * Parsed pack values (a pack's own values.yaml) by their text. They are catalog data that every
 * validation of a profile using the pack parses again, and YAML parsing is most of a validation's
 * cost (about 85% for a 12-layer profile). Memoising keeps the function pure: the same text always
 * parses to the same value, and entries are deeply frozen, so no rule can change what another call
 * reads. Bounded by total text size, least recently used out first. Override values (user input) are
 * not cached.
 */
const parsedPackValues = new Map<string, ParsedValues>();
const PACK_VALUES_CACHE_CHARS = 8 * 1024 * 1024;
let cachedChars = 0;

function parsePackValues(text: string): ParsedValues {
  const hit = parsedPackValues.get(text);
  if (hit) {
    parsedPackValues.delete(text);
    parsedPackValues.set(text, hit);
    return hit;
  }
  const parsed = parseValues(text);
  if (text.length > PACK_VALUES_CACHE_CHARS / 8) return parsed;
  if (parsed.ok) deepFreeze(parsed.value);
  parsedPackValues.set(text, parsed);
  cachedChars += text.length;
  for (const oldest of parsedPackValues.keys()) {
    if (cachedChars <= PACK_VALUES_CACHE_CHARS) break;
    parsedPackValues.delete(oldest);
    cachedChars -= oldest.length;
  }
  return parsed;
}

/**
 * A `pack.*` annotation of the values. Real packs write `pack: { spectrocloud.com/<name>: ... }`;
 * the spelling `pack.spectrocloud.com/<name>` (flat, or inside `pack:`) is accepted as well.
 */
export function readPackAnnotation(values: unknown, name: string): unknown {
  for (const path of [`pack.spectrocloud.com/${name}`, `pack.pack.spectrocloud.com/${name}`]) {
    const [hit] = valuesAtPath(values, path);
    if (hit?.found && hit.value !== null && hit.value !== undefined) return hit.value;
  }
  return undefined;
}

function buildContexts(draft: ProfileDraft, resolved: readonly ResolvedLayer[]): LayerContext[] {
  return draft.layers.map((layer, index) => {
    const found = resolved[index];
    const pack = found.status === 'OK' ? found : null;
    const usesOverride = layer.values !== null && layer.values !== undefined;
    const valuesText = usesOverride ? (layer.values as string) : (pack?.defaultValues ?? null);
    let values: unknown;
    let valuesParsed = false;
    if (valuesText !== null) {
      const parsed = usesOverride ? parseValues(valuesText) : parsePackValues(valuesText);
      if (parsed.ok) {
        values = parsed.value;
        valuesParsed = true;
      }
    }
    const name = pack?.manifest.name ?? layer.pack;
    return { index, draft: layer, resolved: found, pack, name, usesOverride, valuesText, values, valuesParsed };
  });
}

function checkProfileHeader(draft: ProfileDraft, add: IssueSink): void {
  if (draft.cloudType.trim().toLowerCase() === 'all' && draft.type !== 'ADDON') {
    add({
      code: 'CLOUD_TYPE_ALL_NOT_ADDON',
      severity: 'ERROR',
      message: `cloudType "all" is only for ADDON profiles; ${aProfile(draft.type)} needs a specific cloud type`,
    });
  }
  if (draft.version !== null && draft.version !== undefined && !PROFILE_VERSION_PATTERN.test(draft.version.trim())) {
    add({
      code: 'PROFILE_VERSION_INVALID',
      severity: 'ERROR',
      message: `profile version "${draft.version}" is not MAJOR.MINOR.PATCH (e.g. 1.0.0)`,
    });
  }
  if ((draft.type === 'ADDON' || draft.type === 'SYSTEM') && draft.layers.length === 0) {
    add({ code: 'PROFILE_EMPTY', severity: 'ERROR', message: `${aProfile(draft.type)} needs at least one layer` });
  }
}

function checkResolution(layers: LayerContext[], add: IssueSink): void {
  for (const l of layers) {
    const where = l.draft.registry ? `registry "${l.draft.registry}"` : 'any registry';
    if (l.resolved.status === 'PACK_NOT_FOUND') {
      add({
        code: 'PACK_NOT_FOUND',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.draft.pack,
        message: `pack "${l.draft.pack}" was not found in ${where}`,
      });
    } else if (l.resolved.status === 'VERSION_NOT_FOUND') {
      const available = sortVersionsDescending(l.resolved.availableVersions, (v) => v);
      const shown = available.slice(0, 10).join(', ') + (available.length > 10 ? `, ... (${available.length} in all)` : '');
      add({
        code: 'VERSION_NOT_FOUND',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.draft.pack,
        message: `pack "${l.draft.pack}" has no version "${l.draft.version}" in ${where}; available: ${shown || 'none'}`,
      });
    }
  }
}

/** Returns the layer indexes reported as DUPLICATE_CORE_LAYER (DUPLICATE_PACK doesn't repeat them). */
function checkLayerStructure(type: ProfileTypeName, layers: LayerContext[], add: IssueSink): Set<number> {
  const duplicates = new Set<number>();
  const known = layers.filter((l) => l.pack !== null) as Array<LayerContext & { pack: ResolvedPackLayer }>;
  const unresolved = layers.length - known.length;

  if (type === 'ADDON' || type === 'SYSTEM') {
    for (const l of known) {
      if (isCoreLayer(l.pack.manifest.layer)) {
        add({
          code: 'LAYER_NOT_ALLOWED',
          severity: 'ERROR',
          layerIndex: l.index,
          pack: l.name,
          message: `${aProfile(type)} holds add-on layers only; "${l.name}" is ${withArticle(layerLabel(l.pack.manifest.layer))} layer`,
        });
      }
    }
    return duplicates;
  }

  const firstOf = new Map<PackLayer, LayerContext>();
  for (const l of known) {
    const kind = l.pack.manifest.layer;
    if (kind === 'addon') {
      if (type === 'INFRA') {
        add({
          code: 'LAYER_NOT_ALLOWED',
          severity: 'ERROR',
          layerIndex: l.index,
          pack: l.name,
          message: `an INFRA profile holds core layers only; "${l.name}" is an add-on (use a CLUSTER or ADDON profile)`,
        });
      }
      continue;
    }
    const first = firstOf.get(kind);
    if (first) {
      duplicates.add(l.index);
      add({
        code: 'DUPLICATE_CORE_LAYER',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.name,
        message: `a second ${layerLabel(kind)} layer: "${l.name}" (layer ${first.index} is already "${first.name}")`,
      });
    } else {
      firstOf.set(kind, l);
    }
  }
  for (const kind of REQUIRED_CORE_LAYERS) {
    if (!firstOf.has(kind)) {
      add({
        code: 'MISSING_CORE_LAYER',
        severity: 'ERROR',
        message:
          `${aProfile(type)} needs ${withArticle(layerLabel(kind))} layer` +
          (unresolved > 0 ? ` (${unresolved} layer(s) could not be resolved, so their kind is unknown)` : ''),
      });
    }
  }

  const rank = (layer: PackLayer): number => (layer === 'addon' ? CORE_LAYER_ORDER.length : CORE_LAYER_ORDER.indexOf(layer));
  let highest: (LayerContext & { pack: ResolvedPackLayer }) | null = null;
  for (const l of known) {
    const kind = l.pack.manifest.layer;
    if (type === 'INFRA' && kind === 'addon') continue;
    if (highest && rank(kind) < rank(highest.pack.manifest.layer)) {
      const before = highest.pack.manifest.layer;
      add({
        code: 'LAYER_ORDER',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.name,
        message:
          before === 'addon'
            ? `${layerLabel(kind)} layer "${l.name}" comes after add-on "${highest.name}" (layer ${highest.index}); add-ons go after the core layers`
            : `${layerLabel(kind)} layer "${l.name}" comes after ${layerLabel(before)} layer "${highest.name}" (layer ${highest.index}); core layers go KERNEL, OS, K8S, CNI, CSI`,
      });
    }
    if (!highest || rank(kind) > rank(highest.pack.manifest.layer)) highest = l;
  }
  return duplicates;
}

function checkCloudTypes(cloudType: string, layers: LayerContext[], add: IssueSink): void {
  const wanted = cloudType.trim().toLowerCase();
  for (const l of layers) {
    if (!l.pack) continue;
    const supported = l.pack.manifest.cloudTypes.map((c) => c.trim().toLowerCase());
    // An empty cloudTypes list means the pack doesn't restrict cloud types: treated as `all`.
    if (supported.length === 0 || supported.includes('all') || supported.includes(wanted)) continue;
    add({
      code: 'CLOUD_TYPE_MISMATCH',
      severity: 'ERROR',
      layerIndex: l.index,
      pack: l.name,
      message: `pack "${l.name}" ${l.pack.version} supports cloud types ${supported.join(', ')}, not "${cloudType}"`,
    });
  }
}

function checkDependencies(type: ProfileTypeName, layers: LayerContext[], add: IssueSink): void {
  const present = new Map<string, Array<LayerContext & { pack: ResolvedPackLayer }>>();
  const unresolvedNames = new Set<string>();
  for (const l of layers) {
    if (l.pack) present.set(l.name, [...(present.get(l.name) ?? []), l as LayerContext & { pack: ResolvedPackLayer }]);
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

function checkDuplicatePacks(layers: LayerContext[], coreDuplicates: Set<number>, add: IssueSink): void {
  const seen = new Map<string, LayerContext[]>();
  for (const l of layers) {
    const earlier = seen.get(l.name) ?? [];
    seen.set(l.name, [...earlier, l]);
    if (earlier.length === 0 || coreDuplicates.has(l.index)) continue;
    const displayName = l.valuesParsed ? readPackAnnotation(l.values, 'display-name') : undefined;
    const clash = earlier.find((e) => {
      const other = e.valuesParsed ? readPackAnnotation(e.values, 'display-name') : undefined;
      return displayName === undefined || other === undefined || String(displayName) === String(other);
    });
    if (!clash) continue;
    add({
      code: 'DUPLICATE_PACK',
      severity: 'ERROR',
      layerIndex: l.index,
      pack: l.name,
      path: 'pack.spectrocloud.com/display-name',
      message:
        `pack "${l.name}" is already layer ${clash.index}; to use it twice give each layer a distinct ` +
        '`pack: { spectrocloud.com/display-name: ... }` in its values',
    });
  }
}

function checkValues(layers: LayerContext[], add: IssueSink): void {
  for (const l of layers) {
    if (l.valuesText === null) continue;
    if (!l.valuesParsed) {
      const parsed = parseValues(l.valuesText);
      const message = parsed.ok ? 'values could not be read' : parsed.message;
      add({
        code: 'VALUES_INVALID_YAML',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.name,
        message: `${l.usesOverride ? 'values' : "the pack's own values.yaml"} is not valid YAML: ${message}`,
      });
      continue;
    }
    if (!l.pack?.schema) continue;
    let defaults: unknown;
    if (l.usesOverride) {
      const parsed = parsePackValues(l.pack.defaultValues);
      if (parsed.ok) defaults = parsed.value;
    }
    const { violations, unsupported } = checkValuesAgainstSchema(l.values, l.pack.schema, defaults);
    for (const v of violations) {
      add({ code: 'VALUES_SCHEMA', severity: 'ERROR', layerIndex: l.index, pack: l.name, path: v.path, message: v.message });
    }
    for (const u of unsupported) {
      add({
        code: 'VALUES_SCHEMA_UNSUPPORTED',
        severity: 'WARNING',
        layerIndex: l.index,
        pack: l.name,
        path: u.path,
        message: `schema.yaml entry for ${u.path} is not fully understood (${u.message}); that part is not checked`,
      });
    }
  }
}

function findPreset(available: readonly PackPreset[], reference: string): PackPreset | undefined {
  const byName = available.find((p) => p.name === reference);
  if (byName) return byName;
  const colon = reference.lastIndexOf(':');
  if (colon < 0) return undefined;
  const group = reference.slice(0, colon).trim();
  const name = reference.slice(colon + 1).trim();
  return available.find((p) => p.name === name && p.group === group);
}

/**
 * Presets: an explicit `presets` list is authoritative (ERRORs). Without one, the values' first-line
 * `# spectrocloud.com/enabled-presets: group:preset,group:preset` comment is the selection, checked
 * only for packs that ship presets and reported as WARNINGs: real packs carry comments copied from
 * other packs (csi-driver-nfs names Cilium presets), which Palette ignores.
 */
function checkPresets(layers: LayerContext[], add: IssueSink): void {
  for (const l of layers) {
    if (!l.pack) continue;
    const available = l.pack.presets ?? [];
    let selected: string[];
    let severity: IssueSeverity;
    if (l.draft.presets !== null && l.draft.presets !== undefined) {
      selected = l.draft.presets;
      severity = 'ERROR';
    } else {
      const firstLine = (l.valuesText ?? '').split(/\r?\n/, 1)[0];
      const comment = ENABLED_PRESETS_COMMENT.exec(firstLine);
      if (!comment || available.length === 0) continue;
      selected = comment[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
      severity = 'WARNING';
    }
    const fromComment = severity === 'WARNING' ? ' (from the enabled-presets comment)' : '';
    const chosenByGroup = new Map<string, PackPreset>();
    for (const reference of [...new Set(selected)]) {
      const preset = findPreset(available, reference);
      if (!preset) {
        add({
          code: 'PRESET_UNKNOWN',
          severity,
          layerIndex: l.index,
          pack: l.name,
          path: reference,
          message:
            `pack "${l.name}" ${l.pack.version} has no preset "${reference}"${fromComment}; ` +
            (available.length ? `presets: ${available.map((p) => `${p.group}:${p.name}`).join(', ')}` : 'it has no presets'),
        });
        continue;
      }
      const other = chosenByGroup.get(preset.group);
      if (other && other.name !== preset.name) {
        add({
          code: 'PRESET_GROUP_CONFLICT',
          severity,
          layerIndex: l.index,
          pack: l.name,
          path: reference,
          message: `presets "${other.name}" and "${preset.name}" are both in group "${preset.group}"${fromComment}; choose one`,
        });
      } else {
        chosenByGroup.set(preset.group, preset);
      }
    }
  }
}

function checkVariables(variables: readonly ProfileVariableDraft[], add: IssueSink): void {
  const seen = new Set<string>();
  for (const variable of variables) {
    const name = variable.name;
    const invalid = (message: string): void =>
      add({ code: 'VARIABLE_INVALID', severity: 'ERROR', path: name, message: `variable "${name}": ${message}` });
    if (!VARIABLE_NAME_PATTERN.test(name)) invalid('a name holds letters, digits, "_" and "-" only');
    if (seen.has(name)) invalid('defined more than once');
    seen.add(name);
    const format = (variable.format ?? 'string').trim().toLowerCase();
    const knownFormat = (PROFILE_VARIABLE_FORMATS as readonly string[]).includes(format);
    if (!knownFormat) invalid(`unknown format "${variable.format}" (one of ${PROFILE_VARIABLE_FORMATS.join(', ')})`);
    let regex: RegExp | null = null;
    if (variable.regex) {
      try {
        regex = compileRe2(variable.regex);
      } catch {
        invalid(`regex /${variable.regex}/ is not a valid regular expression`);
      }
    }
    const hasDefault = variable.default !== null && variable.default !== undefined && variable.default !== '';
    if ((variable.hidden || variable.readonly) && variable.required && !hasDefault) {
      invalid(`a ${variable.hidden ? 'hidden' : 'read-only'} required variable needs a default, since nobody can enter it`);
    }
    if (!hasDefault) continue;
    const value = variable.default as string;
    if (knownFormat) {
      const problem = checkPlaceholder(format, undefined, value);
      if (problem) invalid(`default ${JSON.stringify(value)} ${problem}`);
    }
    if (regex && !regex.test(value)) invalid(`default ${JSON.stringify(value)} does not match /${variable.regex}/`);
    const options = variable.options ?? [];
    if (options.length > 0 && !options.includes(value)) {
      invalid(`default ${JSON.stringify(value)} is not one of its options (${options.join(', ')})`);
    }
  }
}

function checkMacros(layers: LayerContext[], variables: readonly ProfileVariableDraft[], add: IssueSink): void {
  const variableNames = new Set(variables.map((v) => v.name));
  const packNames = new Set(layers.flatMap((l) => [l.name, l.draft.pack]));
  const used = new Set<string>();
  for (const l of layers) {
    if (!l.valuesParsed) continue;
    const reported = new Set<string>();
    const once = (issue: ValidationIssue, key: string): void => {
      if (reported.has(key)) return;
      reported.add(key);
      add(issue);
    };
    for (const ref of findMacroReferences(l.values)) {
      const base = { layerIndex: l.index, pack: l.name, path: ref.path };
      if (ref.kind === 'var') {
        used.add(ref.name);
        if (!variableNames.has(ref.name)) {
          once(
            {
              ...base,
              code: 'VARIABLE_UNDEFINED',
              severity: 'ERROR',
              message: `${ref.path} uses ${ref.text}, but the profile defines no variable "${ref.name}"`,
            },
            `var:${ref.path}:${ref.name}`,
          );
        }
      } else if (ref.kind === 'pack') {
        if (!packNames.has(ref.pack)) {
          once(
            {
              ...base,
              code: 'PACK_REFERENCE_UNKNOWN',
              severity: 'ERROR',
              message: `${ref.path} uses ${ref.text}, but no layer holds pack "${ref.pack}"`,
            },
            `pack:${ref.path}:${ref.pack}`,
          );
        }
      } else if (!SYSTEM_MACROS.has(ref.name)) {
        once(
          {
            ...base,
            code: 'SYSTEM_MACRO_UNKNOWN',
            severity: 'WARNING',
            message: `${ref.path} uses ${ref.text}: "${ref.name}" is not a documented system macro`,
          },
          `system:${ref.path}:${ref.name}`,
        );
      }
    }
  }
  for (const v of variables) {
    if (!used.has(v.name)) {
      add({ code: 'VARIABLE_UNUSED', severity: 'WARNING', path: v.name, message: `variable "${v.name}" is not used by any layer` });
    }
  }
}

/**
 * Core layers first in profile order (they are the cluster itself), then add-ons by
 * `spectrocloud.com/install-priority` ascending (default 0), ties in profile order.
 */
function computeInstallOrder(layers: LayerContext[], add: IssueSink): InstallStep[] {
  const steps: Array<InstallStep & { core: boolean }> = [];
  for (const l of layers) {
    if (!l.pack) continue;
    let priority = 0;
    const raw = l.valuesParsed ? readPackAnnotation(l.values, 'install-priority') : undefined;
    if (raw !== undefined) {
      const n = Number(String(raw).trim());
      if (Number.isInteger(n) && String(raw).trim() !== '') {
        priority = n;
      } else {
        add({
          code: 'INSTALL_PRIORITY_INVALID',
          severity: 'WARNING',
          layerIndex: l.index,
          pack: l.name,
          path: 'pack.spectrocloud.com/install-priority',
          message: `install priority ${JSON.stringify(raw)} is not an integer; 0 is used`,
        });
      }
    }
    steps.push({ layerIndex: l.index, pack: l.name, priority, core: isCoreLayer(l.pack.manifest.layer) });
  }
  steps.sort((a, b) => Number(b.core) - Number(a.core) || (a.core ? 0 : a.priority - b.priority) || a.layerIndex - b.layerIndex);
  return steps.map(({ layerIndex, pack, priority }) => ({ layerIndex, pack, priority }));
}

/** Sums of `constraints.resources[].minLimit`: cpu in millicores, memory in MiB, diskSize in GiB. */
function sumResources(layers: LayerContext[]): ProfileResources {
  const resources: ProfileResources = { cpuMillicores: 0, memoryMi: 0 };
  for (const l of layers) {
    for (const r of l.pack?.manifest.constraints.resources ?? []) {
      const limit = typeof r.minLimit === 'number' && Number.isFinite(r.minLimit) ? r.minLimit : 0;
      if (r.type === 'cpu') resources.cpuMillicores += limit;
      else if (r.type === 'memory') resources.memoryMi += limit;
      else if (r.type === 'diskSize') resources.diskGi = (resources.diskGi ?? 0) + limit;
    }
  }
  return resources;
}

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
  const installOrder = computeInstallOrder(layers, add);

  const resolvedLayers: ResolvedLayerSummary[] = layers
    .filter((l) => l.pack !== null)
    .map((l) => {
      const pack = l.pack as ResolvedPackLayer;
      const { registry, version, digest } = pack;
      return { layerIndex: l.index, pack: l.name, registry, version, digest, layer: pack.manifest.layer };
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
