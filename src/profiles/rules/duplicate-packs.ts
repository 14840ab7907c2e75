/** The same pack twice needs distinct display names (DUPLICATE_PACK). */

import type { IssueSink, LayerContext } from './layer-context.js';
import { readPackAnnotation } from './parsed-values.js';

export function checkDuplicatePacks(layers: LayerContext[], coreDuplicates: Set<number>, add: IssueSink): void {
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
