/**
 * A pack version's lifecycle (issue 16, section 3), Palette's model: Active -> Deprecated (still
 * selectable, warned) -> Disabled (no new profiles) -> Deleted (gone). Read from what the catalog
 * already holds: pack.json's `annotations.system_state` (Palette's spelling: deprecated, disabled),
 * the catalog's `deprecated` flag (set from that annotation on import, and by the DEFAULT seeding
 * for a version dropped from the shipped set), pack.json's `eol` date and a `replacedBy` (or
 * `replaced_by`) annotation. A publisher's setPackVersionLifecycle (the `override`) wins over all
 * of these. One reading for the catalog field and the validation rule.
 */

export type PackLifecycleState = 'ACTIVE' | 'DEPRECATED' | 'DISABLED';

export interface PackLifecycle {
  state: PackLifecycleState;
  /** pack.json `eol` as written (YYYY-MM-DD), when it is a date; blank or other text is none. */
  eol: string | null;
  pastEol: boolean;
  /** What to use instead, as the annotation says (free text, e.g. `cert-manager:1.16.1`). */
  replacedBy: string | null;
  /** When a publisher deprecated or disabled it (setPackVersionLifecycle); null otherwise. */
  deprecatedAt: string | null;
}

/** What setPackVersionLifecycle stores (PackVersion.lifecycle): each field present wins over pack.json. */
export interface PackLifecycleOverride {
  state?: PackLifecycleState;
  deprecatedAt?: string | null;
  eol?: string | null;
  replacedBy?: string | null;
  setBy?: string;
}

function overrideOf(value: unknown): PackLifecycleOverride {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as PackLifecycleOverride) : {};
}

const EOL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The eol date as a UTC day, or null when blank or not a date (pack-central writes `""` and `" "`). */
export function eolDayOf(eol: unknown): Date | null {
  const match = EOL_DATE.exec(typeof eol === 'string' ? eol.trim() : '');
  if (!match) return null;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.getUTCDate() !== Number(match[3]) ? null : day;
}

/** `now` is a parameter so tests pin the day `eol` is compared with. */
export function lifecycleOf(
  version: { deprecated: boolean; annotations: Record<string, unknown> | null; eol: unknown; override?: unknown },
  now: Date = new Date(),
): PackLifecycle {
  const annotations = version.annotations ?? {};
  const override = overrideOf(version.override);
  const systemState = annotations.system_state;
  const state: PackLifecycleState =
    override.state ?? (systemState === 'disabled' ? 'DISABLED' : version.deprecated || systemState === 'deprecated' ? 'DEPRECATED' : 'ACTIVE');
  const eolText = 'eol' in override ? override.eol : version.eol;
  const eolDay = eolDayOf(eolText);
  const replacedBy = 'replacedBy' in override ? override.replacedBy : (annotations.replacedBy ?? annotations.replaced_by);
  return {
    state,
    eol: eolDay ? (eolText as string).trim() : null,
    pastEol: eolDay !== null && eolDay.getTime() < now.getTime(),
    replacedBy: typeof replacedBy === 'string' && replacedBy.trim() ? replacedBy.trim() : null,
    deprecatedAt: override.deprecatedAt ?? null,
  };
}

/** Palette's annotation spelling of a state, for the manifest validation reads (manifestOf). */
export const SYSTEM_STATE_OF: Record<PackLifecycleState, string | undefined> = { ACTIVE: undefined, DEPRECATED: 'deprecated', DISABLED: 'disabled' };
