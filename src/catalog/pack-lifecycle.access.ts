/**
 * Who may set a pack version's lifecycle (setPackVersionLifecycle): the one rule, pure.
 *
 * - HOSTED registries: their publishers (a PUBLISHER whose token may publish there, or an ADMIN).
 *   They push the packs, so they retire them, as a Palette publisher does in its own registry.
 * - Every other kind (DEFAULT, OCI, HELM, DIRECTORY, CATALOG): a version's lifecycle comes with it
 *   from its source (pack.json's `system_state`, `replacedBy` and `eol`; a Helm chart's
 *   `deprecated`), and a sync keeps it current. Only an ADMIN may override it for this installation
 *   (a version upstream still offers but the platform team retires, or the reverse); the override
 *   outlives later syncs until an ADMIN sets it again. A PUBLISHER is refused even when its token
 *   names the registry: it does not own what the upstream publishes.
 */
import { ForbiddenError } from '../errors.js';
import { assertCanPublish, assertRole, type Principal } from '../auth/principal.js';
import type { RegistryRecord } from '../registries/registry.model.js';

export function assertMaySetLifecycle(actor: Principal, registry: Pick<RegistryRecord, 'name' | 'kind'>): void {
  if (registry.kind === 'HOSTED') {
    assertCanPublish(actor, registry.name);
    return;
  }
  assertRole(actor, 'PUBLISHER');
  if (actor.role === 'ADMIN') return;
  throw new ForbiddenError(
    `Registry "${registry.name}" is ${registry.kind}: its versions' lifecycle comes from ${registry.kind === 'DEFAULT' ? 'the packs this service ships' : 'its upstream'} ` +
      `(pack.json system_state, replacedBy, eol); only an ADMIN may override it. Publishers set it in HOSTED registries.`,
  );
}
