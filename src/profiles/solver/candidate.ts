/** A resolved pack version as a solver candidate: the manifest facts the rules read, one mapping for the service, tests and benches. */
import { lifecycleOf } from '../../packs/pack-lifecycle.js';
import type { PackManifest } from '../../packs/pack.types.js';
import type { CandidateVersion } from './solver.model.js';

/** A chart's `kubeVersion` the pack carries: pack.json's `kubeVersion` (Helm-style packs write it there), or an annotation. */
export function kubeVersionOf(manifest: PackManifest): string | null {
  const raw = manifest.raw.kubeVersion ?? manifest.annotations.kubeVersion;
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
}

export function candidateOf(
  manifest: PackManifest,
  source: { version: string; registry: string; registryPriority: number; tags?: string[] },
  now: Date = new Date(),
): CandidateVersion {
  // Read as the lifecycle rule reads it (rules/lifecycle.ts): the manifest carries the catalog's state.
  const lifecycle = lifecycleOf({ deprecated: false, annotations: manifest.annotations, eol: manifest.eol }, now);
  return {
    pack: manifest.name,
    version: source.version,
    registry: source.registry,
    registryPriority: source.registryPriority,
    layer: manifest.layer,
    cloudTypes: manifest.cloudTypes.map((c) => c.trim().toLowerCase()),
    dependencies: manifest.constraints.dependencies,
    kubeVersion: kubeVersionOf(manifest),
    lifecycle: lifecycle.state,
    pastEol: lifecycle.pastEol,
    tags: source.tags ?? [],
  };
}
