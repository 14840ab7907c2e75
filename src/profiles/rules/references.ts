/** Layers whose pack or version the catalog did not find (PACK_NOT_FOUND, VERSION_NOT_FOUND). */

import { didYouMean } from '../../packs/name-suggestions.js';
import { sortVersionsDescending } from '../../packs/version.js';
import type { IssueSink, LayerContext } from './layer-context.js';

export function checkResolution(layers: LayerContext[], add: IssueSink): void {
  for (const l of layers) {
    const where = l.draft.registry ? `registry "${l.draft.registry}"` : 'any registry';
    if (l.resolved.status === 'PACK_NOT_FOUND') {
      add({
        code: 'PACK_NOT_FOUND',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.draft.pack,
        message: `pack "${l.draft.pack}" was not found in ${where}${didYouMean(l.resolved.suggestions ?? [])}`,
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
