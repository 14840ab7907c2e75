/** Each resolved pack supports the profile's cloud type (CLOUD_TYPE_MISMATCH). */

import type { IssueSink, LayerContext } from './layer-context.js';

export function checkCloudTypes(cloudType: string, layers: LayerContext[], add: IssueSink): void {
  const wanted = cloudType.trim().toLowerCase();
  for (const l of layers) {
    if (!l.pack) continue;
    const supported = l.pack.manifest.cloudTypes.map((c) => c.trim().toLowerCase());
    // An empty cloudTypes list means the pack doesn't restrict cloud types: treated as `all`.
    if (supported.length === 0 || supported.includes('all') || supported.includes(wanted)) continue;
    add({
      code: 'CLOUD_TYPE_MISMATCH',
      severity: 'ERROR',
      layerIndex: l.index,
      pack: l.name,
      message: `pack "${l.name}" ${l.pack.version} supports cloud types ${supported.join(', ')}, not "${cloudType}"`,
    });
  }
}
