/** Effective values: valid YAML (VALUES_INVALID_YAML) that the pack's schema.yaml accepts (VALUES_SCHEMA*). */

import type { IssueSink, LayerContext } from './layer-context.js';
import { parsePackValues, parseValues } from './parsed-values.js';
import { checkValuesAgainstSchema } from './value-schema/index.js';

export function checkValues(layers: LayerContext[], add: IssueSink): void {
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
