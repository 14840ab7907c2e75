/**
 * Palette macros in layer values: `{{ .spectro.var.X }}` (profile variables),
 * `{{ .spectro.pack.P.path }}` (another layer's values) and `{{ .spectro.system.* }}` (filled in by
 * the platform). Macros are found in the parsed values (keys and string values), so a macro in a
 * YAML comment is ignored: real packs document macros in comments (`# password: {{ .spectro.pack.x }}`)
 * that never render. checkMacros reports VARIABLE_UNDEFINED, PACK_REFERENCE_UNKNOWN,
 * SYSTEM_MACRO_UNKNOWN and VARIABLE_UNUSED.
 */

import type { ProfileVariableDraft, ValidationIssue } from '../profile.model.js';
import { derivedFromTree } from './caller-values.js';
import type { IssueSink, LayerContext } from './layer-context.js';

/**
 * The system macros Palette documents ("Pack Constraints" > "Pack Macros" > "System Macros").
 * Anything else under `.spectro.system.` is reported as a warning, not an error: Palette adds
 * macros over time and a newer one is not necessarily a mistake.
 */
export const SYSTEM_MACROS: ReadonlySet<string> = new Set([
  'user.name',
  'user.uid',
  'user.email',
  'tenant.uid',
  'project.name',
  'project.uid',
  'clusterprofile.name',
  'clusterprofile.uid',
  'clusterprofile.version',
  'clusterprofile.infra.name',
  'clusterprofile.infra.uid',
  'clusterprofile.infra.version',
  'cluster.name',
  'cluster.uid',
  'cluster.kubevip',
  'cloudaccount.name',
  'cloudaccount.uid',
  'kubernetes.version',
  'reverseproxy.server',
  'reverseproxy.port',
  'reverseproxy.protocol',
  'reverseproxy.vhostport',
  'cloud.type',
  'cloud.region',
]);

export type MacroReference =
  | { kind: 'var'; name: string; path: string; text: string }
  | { kind: 'pack'; pack: string; parameter: string; path: string; text: string }
  | { kind: 'system'; name: string; path: string; text: string };

const TEMPLATE_PATTERN = /\{\{([\s\S]*?)\}\}/g;
const REFERENCE_PATTERN = /\.spectro\.(var|pack|system)\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)/g;

function referencesIn(text: string, path: string): MacroReference[] {
  const found: MacroReference[] = [];
  for (const template of text.matchAll(TEMPLATE_PATTERN)) {
    for (const ref of template[1].matchAll(REFERENCE_PATTERN)) {
      const [, kind, rest] = ref;
      const macro = template[0];
      if (kind === 'var') {
        found.push({ kind: 'var', name: rest.split('.')[0], path, text: macro });
      } else if (kind === 'pack') {
        const [pack, ...parameter] = rest.split('.');
        found.push({ kind: 'pack', pack, parameter: parameter.join('.'), path, text: macro });
      } else {
        found.push({ kind: 'system', name: rest, path, text: macro });
      }
    }
  }
  return found;
}

/** A values path from its segments (keys and list indexes), as findMacroReferences reports it. */
function pathOf(segments: ReadonlyArray<string | number>): string {
  let path = '';
  for (const segment of segments) path = typeof segment === 'number' ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`;
  return path;
}

/**
 * Every macro reference in a parsed values tree, with the values path where it appears. The path
 * is spelled only where a macro is found: most of a tree holds none.
 */
export function findMacroReferences(values: unknown): MacroReference[] {
  const found: MacroReference[] = [];
  const segments: Array<string | number> = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      if (node.includes('{{')) found.push(...referencesIn(node, pathOf(segments)));
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        segments.push(i);
        walk(node[i]);
        segments.pop();
      }
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        segments.push(key);
        if (key.includes('{{')) found.push(...referencesIn(key, pathOf(segments)));
        walk((node as Record<string, unknown>)[key]);
        segments.pop();
      }
    }
  };
  walk(values);
  return found;
}

export function checkMacros(layers: LayerContext[], variables: readonly ProfileVariableDraft[], add: IssueSink): void {
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
    // The pack's own values hold the same macros every time: found once per pack version (a caller's cached text: once per text).
    const references = !l.usesOverride && l.facts ? l.facts.defaultMacros() : derivedFromTree(l.values, 'macros', () => findMacroReferences(l.values));
    for (const ref of references) {
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
