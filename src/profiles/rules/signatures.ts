/**
 * A layer's pack version lacks a signature its registry's trust policy asks for (UNSIGNED_PACK).
 * Only a warning, whatever the policy: under REQUIRE such a version could not have been pushed or
 * synced after the policy was set, so it predates the policy (or a key was dropped from it since);
 * refusing the profile would block clusters over packs the registry still serves.
 */

import type { IssueSink, LayerContext } from './layer-context.js';

export function checkSignatures(layers: LayerContext[], add: IssueSink): void {
  for (const l of layers) {
    if (!l.pack) continue;
    const { verified, enforce } = l.pack.signature;
    if (verified || enforce === 'NONE') continue;
    add({
      code: 'UNSIGNED_PACK',
      severity: 'WARNING',
      layerIndex: l.index,
      pack: l.name,
      path: `layers[${l.index}]`,
      message: `${l.name} ${l.pack.version} from registry "${l.pack.registry}" has no signature verified by its trust policy (${enforce})`,
    });
  }
}
