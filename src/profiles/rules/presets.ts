/** Selected presets exist in the pack and pick one per group (PRESET_UNKNOWN, PRESET_GROUP_CONFLICT). */

import type { PackPreset } from '../../packs/pack.types.js';
import type { IssueSeverity } from '../profile.model.js';
import type { IssueSink, LayerContext } from './layer-context.js';

const ENABLED_PRESETS_COMMENT = /^\s*#\s*spectrocloud\.com\/enabled-presets:\s*(.*)$/;

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
export function checkPresets(layers: LayerContext[], add: IssueSink): void {
  for (const l of layers) {
    if (!l.pack) continue;
    const available = l.pack.presets ?? [];
    let selected: string[];
    let severity: IssueSeverity;
    if (l.draft.presets !== null && l.draft.presets !== undefined) {
      selected = l.draft.presets;
      severity = 'ERROR';
    } else {
      // The first line (up to "\n" or "\r\n"), without splitting the caller's whole text.
      const text = l.valuesText ?? '';
      const newline = text.indexOf('\n');
      const firstLine = newline < 0 ? text : text.slice(0, newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline);
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
