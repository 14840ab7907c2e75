/** The same pack twice needs distinct display names (DUPLICATE_PACK). */

import { annotationOf, type IssueSink, type LayerContext } from './layer-context.js';

export function checkDuplicatePacks(layers: LayerContext[], coreDuplicates: Set<number>, add: IssueSink): void {
  const seen = new Map<string, LayerContext[]>();
  // Each layer's display name read once, not once per later layer of the same pack.
  const displayNames = new Map<LayerContext, unknown>();
  const displayNameOf = (l: LayerContext): unknown => {
    if (!displayNames.has(l)) displayNames.set(l, annotationOf(l, 'display-name'));
    return displayNames.get(l);
  };
  for (const l of layers) {
    const earlier = seen.get(l.name) ?? [];
    seen.set(l.name, [...earlier, l]);
    if (earlier.length === 0 || coreDuplicates.has(l.index)) continue;
    const displayName = displayNameOf(l);
    const clash = earlier.find((e) => {
      const other = displayNameOf(e);
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
