/**
 * A layer's pack version in a late stage of its lifecycle (issue 16, section 3; the reading is
 * packs/pack-lifecycle.ts): DEPRECATED is still selectable but warned (PACK_VERSION_DEPRECATED),
 * DISABLED takes no new profiles (PACK_VERSION_DISABLED, an ERROR), a version past its pack.json
 * `eol` is warned (PACK_VERSION_PAST_EOL: Kubernetes minors past upstream end of life). Deleted
 * versions do not resolve (VERSION_NOT_FOUND). The catalog's `deprecated` flag reaches the
 * manifest as `system_state: deprecated` (manifestOf). A `replacedBy` annotation is named.
 */

import { lifecycleOf } from '../../packs/pack-lifecycle.js';
import type { IssueSink, LayerContext } from './layer-context.js';

export { eolDayOf } from '../../packs/pack-lifecycle.js';

/** `now` (default: the current time) is a parameter so tests pin the day the rule compares `eol` with. */
export function checkLifecycle(layers: LayerContext[], add: IssueSink, now: Date = new Date()): void {
  for (const l of layers) {
    if (!l.pack) continue;
    const { annotations, eol } = l.pack.manifest;
    const lifecycle = lifecycleOf({ deprecated: false, annotations, eol }, now);
    const what = `${l.name} ${l.pack.version} from registry "${l.pack.registry}"`;
    const instead = lifecycle.replacedBy ? `; use ${lifecycle.replacedBy} instead` : '; choose a newer version';
    const where = { layerIndex: l.index, pack: l.name, path: `layers[${l.index}].version` };
    if (lifecycle.state === 'DISABLED') {
      add({ code: 'PACK_VERSION_DISABLED', severity: 'ERROR', ...where, message: `${what} is disabled: no new profiles may use it${instead}` });
    } else if (lifecycle.state === 'DEPRECATED') {
      add({ code: 'PACK_VERSION_DEPRECATED', severity: 'WARNING', ...where, message: `${what} is deprecated${instead}` });
    }
    if (lifecycle.pastEol) {
      add({ code: 'PACK_VERSION_PAST_EOL', severity: 'WARNING', ...where, message: `${what} reached its end of life on ${lifecycle.eol}${instead}` });
    }
  }
}
