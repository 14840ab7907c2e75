/**
 * `valuesOverride`: the caller's YAML deep-merged onto the pack's own values.yaml, Helm's `-f`
 * semantics: maps merge key by key, lists and scalars replace, `null` deletes the key. Validation
 * then reads the merged values as if the caller had written them whole, so keys the caller never
 * touched keep the pack's values (and the pack's install priority).
 *
 * Also answers where each value came from (`valueSources`), kept simple: one entry per top-level key
 * of the effective values (PACK_DEFAULT: untouched; OVERRIDE: written whole by the override;
 * MERGED: a map both contributed to), and one OVERRIDE entry per path the override wrote below a
 * MERGED key. Deleted keys are absent (they are not in the effective values).
 */

export type ValueSourceKind = 'PACK_DEFAULT' | 'OVERRIDE' | 'MERGED';

export interface ValueSource {
  /** Dotted path from the root (`prometheus.prometheusSpec.retention`). */
  path: string;
  source: ValueSourceKind;
}

export interface MergedValues {
  /** The effective values (new objects where the override reached; the defaults' own subtrees elsewhere, shared, never changed). */
  value: Record<string, unknown>;
  /** The dotted paths the override wrote (set, replaced or deleted): leaves of the override. */
  overridden: string[];
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function mergeInto(base: Record<string, unknown>, over: Record<string, unknown>, prefix: string, overridden: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const path = join(prefix, key);
    if (value === null) {
      delete out[key];
      overridden.push(path);
    } else if (isMap(value) && isMap(base[key])) {
      out[key] = mergeInto(base[key] as Record<string, unknown>, value, path, overridden);
    } else if (isMap(value)) {
      // A new map (or one replacing a scalar/list) is written whole; nulls inside it delete nothing, so they are dropped as Helm does.
      out[key] = mergeInto({}, value, path, []);
      overridden.push(path);
    } else {
      out[key] = value;
      overridden.push(path);
    }
  }
  return out;
}

/** Deep-merge `override` onto `defaults` (both parsed mappings; `defaults` may be frozen: it is not changed). */
export function mergeValues(defaults: unknown, override: unknown): MergedValues {
  const overridden: string[] = [];
  const base = isMap(defaults) ? defaults : {};
  const value = isMap(override) ? mergeInto(base, override, '', overridden) : { ...base };
  return { value, overridden };
}

/** Whether `path` is, or lies under or above, a path the override wrote (so the caller wrote what it names). */
export function touchedByOverride(path: string, overridden: readonly string[]): boolean {
  return overridden.some((o) => o === path || path.startsWith(`${o}.`) || o.startsWith(`${path}.`));
}

/** Where each top-level value of the effective values came from (see the file comment). */
export function valueSourcesOf(merged: MergedValues): ValueSource[] {
  const sources: ValueSource[] = [];
  for (const key of Object.keys(merged.value)) {
    const whole = merged.overridden.includes(key);
    const below = merged.overridden.filter((o) => o.startsWith(`${key}.`));
    if (whole) sources.push({ path: key, source: 'OVERRIDE' });
    else if (below.length === 0) sources.push({ path: key, source: 'PACK_DEFAULT' });
    else {
      sources.push({ path: key, source: 'MERGED' });
      for (const path of below) sources.push({ path, source: 'OVERRIDE' });
    }
  }
  return sources;
}
