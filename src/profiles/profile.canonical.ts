/**
 * "Same content" of a profile version, for immutability and idempotent apply (issue 16, section 4).
 *
 * The canonical form is what the repository writes (`writeOf`: references and cloud type trimmed,
 * an empty registry or regex is none, a variable's format lower-cased, omitted booleans false, omitted
 * lists empty) and nothing else: name, version, type, cloudType, description, then every layer in
 * order (pack, version reference as written — a tag stays a tag —, registry, values text byte for
 * byte, presets in order) and every variable in order with all its fields. Ids, owner, createdBy and
 * dates are not content. Two inputs are the same content when their canonical forms are equal: a
 * re-indented `values` text is a change (the stored text is what export gives back).
 */
import type { ProfileWrite, StoredProfile } from './profile.repository.js';

/** The stored version in the shape of a write, so both sides compare field by field. */
export function canonicalOfStored(profile: StoredProfile): ProfileWrite {
  return {
    name: profile.name,
    version: profile.version,
    type: profile.type,
    cloudType: profile.cloudType,
    description: profile.description,
    layers: profile.layers.map(({ position: _p, ...layer }) => layer),
    variables: profile.variables.map(({ position: _p, ...variable }) => variable),
  };
}

/** The path (API spelling, under `argument`) of the first field where `next` differs from `stored`; null when the same content. */
export function firstContentDifference(stored: ProfileWrite, next: ProfileWrite, argument = 'input'): string | null {
  for (const key of ['name', 'version', 'type', 'cloudType', 'description'] as const) {
    if (stored[key] !== next[key]) return `${argument}.${key}`;
  }
  // Every stored field of a layer is content (a field added to layers later is compared too), by its API name.
  const apiName: Record<string, string> = { packName: 'pack', versionRef: 'version', registryName: 'registry' };
  for (let i = 0; i < Math.max(stored.layers.length, next.layers.length); i++) {
    const [a, b] = [stored.layers[i], next.layers[i]] as Array<Record<string, unknown> | undefined>;
    if (!a || !b) return `${argument}.layers[${i}]`;
    for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!same(a[field] ?? null, b[field] ?? null)) return `${argument}.layers[${i}].${apiName[field] ?? field}`;
    }
  }
  for (let i = 0; i < Math.max(stored.variables.length, next.variables.length); i++) {
    const [a, b] = [stored.variables[i], next.variables[i]];
    if (!a || !b) return `${argument}.variables[${i}]`;
    for (const field of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof typeof a>) {
      if (!same(a[field] ?? null, b[field] ?? null)) return `${argument}.variables[${i}].${field === 'defaultValue' ? 'default' : field}`;
    }
  }
  return null;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
