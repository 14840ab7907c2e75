/** Effective values: valid YAML (VALUES_INVALID_YAML) that the pack's schema.yaml accepts (VALUES_SCHEMA*). */

import type { IssueSink, LayerContext } from './layer-context.js';
import { readCallerValues } from './caller-values.js';
import { checkValuesAgainstCompiledSchema } from './value-schema/index.js';
import { touchedByOverride } from './values-merge.js';

/** Under a `valuesOverride`, an issue at a path the caller did not write says where it comes from. */
function origin(l: LayerContext, path: string): string {
  return l.merged && !touchedByOverride(path, l.merged.overridden) ? " (from the pack's defaults, not your override)" : '';
}

export function checkValues(layers: LayerContext[], add: IssueSink): void {
  for (const l of layers) {
    if (l.overrideError !== null) {
      add({
        code: 'VALUES_INVALID_YAML',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.name,
        message: `valuesOverride is not valid YAML: ${l.overrideError}`,
      });
      continue;
    }
    if (l.valuesText === null) continue;
    if (!l.valuesParsed) {
      // The same read as buildContexts' (a cache hit for the caller's text), for its message.
      const parsed = readCallerValues(l.valuesText);
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
    const schema = l.facts?.schema;
    if (!l.pack || !schema) continue;
    // The pack's own values against its own schema depend on the pack version alone: checked once per version.
    const result = l.usesOverride
      ? checkValuesAgainstCompiledSchema(l.values, schema, l.facts!.defaults.ok ? l.facts!.defaults.value : undefined)
      : l.facts!.defaultsSchemaCheck();
    if (!result) continue;
    const { violations, unsupported } = result;
    for (const v of violations) {
      add({ code: 'VALUES_SCHEMA', severity: 'ERROR', layerIndex: l.index, pack: l.name, path: v.path, message: v.message + origin(l, v.path) });
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
