/**
 * A layer's pack version in a late stage of its lifecycle (issue 16, section 3), Palette's model:
 * Active -> Deprecated (still selectable, warned: PACK_VERSION_DEPRECATED) -> Disabled (no new
 * profiles: PACK_VERSION_DISABLED, an ERROR) -> Deleted (gone: VERSION_NOT_FOUND). The state is
 * pack.json's `annotations.system_state` (Palette's own spelling), which the catalog's `deprecated`
 * flag also sets (manifestOf: e.g. a version the DEFAULT registry seeding dropped). A version past
 * its pack.json `eol` date (YYYY-MM-DD; blank means none) is warned too (PACK_VERSION_PAST_EOL):
 * Kubernetes minors past upstream end of life. A `replacedBy`/`replaced_by` annotation is named.
 */

import type { IssueSink, LayerContext } from './layer-context.js';

const EOL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The eol date as a UTC day, or null when blank or not a date (pack-central writes `""` and `" "`). */
export function eolDayOf(eol: string | undefined): Date | null {
  const match = EOL_DATE.exec((eol ?? '').trim());
  if (!match) return null;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(day.getTime()) || day.getUTCDate() !== Number(match[3]) ? null : day;
}

/** `now` (default: the current time) is a parameter so tests pin the day the rule compares `eol` with. */
export function checkLifecycle(layers: LayerContext[], add: IssueSink, now: Date = new Date()): void {
  for (const l of layers) {
    if (!l.pack) continue;
    const { annotations, eol } = l.pack.manifest;
    const what = `${l.name} ${l.pack.version} from registry "${l.pack.registry}"`;
    const replacedBy = annotations.replacedBy ?? annotations.replaced_by;
    const instead = replacedBy ? `; use ${replacedBy} instead` : '; choose a newer version';
    const state = annotations.system_state;
    const where = { layerIndex: l.index, pack: l.name, path: `layers[${l.index}].version` };
    if (state === 'disabled') {
      add({ code: 'PACK_VERSION_DISABLED', severity: 'ERROR', ...where, message: `${what} is disabled: no new profiles may use it${instead}` });
    } else if (state === 'deprecated') {
      add({ code: 'PACK_VERSION_DEPRECATED', severity: 'WARNING', ...where, message: `${what} is deprecated${instead}` });
    }
    const eolDay = eolDayOf(eol);
    if (eolDay && eolDay.getTime() < now.getTime()) {
      add({
        code: 'PACK_VERSION_PAST_EOL',
        severity: 'WARNING',
        ...where,
        message: `${what} reached its end of life on ${eol!.trim()}${instead}`,
      });
    }
  }
}
