/** The order layers install in, from `spectrocloud.com/install-priority` (INSTALL_PRIORITY_INVALID). */

import type { InstallStep } from '../profile.model.js';
import { annotationOf, type IssueSink, type LayerContext } from './layer-context.js';
import { isCoreLayer } from './layers.js';

/**
 * Core layers first in profile order (they are the cluster itself), then add-ons by
 * `spectrocloud.com/install-priority` ascending (default 0), ties in profile order.
 */
export function computeInstallOrder(layers: LayerContext[], add: IssueSink): InstallStep[] {
  const steps: Array<InstallStep & { core: boolean }> = [];
  for (const l of layers) {
    if (!l.pack) continue;
    let priority = 0;
    const raw = annotationOf(l, 'install-priority');
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
