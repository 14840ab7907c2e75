/** Pure helpers of the registries pages: how states, times and kinds read. */

export type SyncStateName = 'FAILED' | 'NEVER' | 'PARTIAL' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED';
export type RegistryKindName = 'CATALOG' | 'DEFAULT' | 'DIRECTORY' | 'HELM' | 'HOSTED' | 'OCI';

/** The badge style of a sync state: green when done, amber part-way, red failed. */
export function stateBadgeClass(state: SyncStateName): string {
  switch (state) {
    case 'SUCCEEDED':
      return 'badge ok';
    case 'PARTIAL':
      return 'badge warn';
    case 'FAILED':
      return 'badge danger';
    case 'RUNNING':
    case 'QUEUED':
      return 'badge accent';
    default:
      return 'badge';
  }
}

/**
 * Only upstream registries sync (the service refuses a sync of a registry it stores itself: the
 * DEFAULT registry is seeded from the shipped packs at start, HOSTED ones take pushes).
 */
export const SYNCING_KINDS: readonly RegistryKindName[] = ['OCI', 'HELM', 'DIRECTORY', 'CATALOG'];

export function syncs(kind: RegistryKindName): boolean {
  return SYNCING_KINDS.includes(kind);
}

export const KIND_LABEL: Record<RegistryKindName, string> = {
  DEFAULT: 'Default (shipped packs)',
  HOSTED: 'Hosted here',
  OCI: 'OCI registry',
  HELM: 'Helm repository',
  DIRECTORY: 'Directory',
  CATALOG: 'Pack catalog',
};

/** `2026-11-26 17:04 UTC`: one zone for everyone reading the same page. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `3 min ago`, `2 h ago`, `4 d ago`; `in 5 min` for a time ahead. */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((now - then) / 1000);
  const ahead = seconds < 0;
  const s = Math.abs(seconds);
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : s < 86_400 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} d`;
  return ahead ? `in ${text}` : `${text} ago`;
}

/** How long a run took (or has taken so far): `850 ms`, `12 s`, `3 min 4 s`. */
export function duration(startedAt: string | null | undefined, finishedAt: string | null | undefined, now: number = Date.now()): string {
  if (!startedAt) return '—';
  const start = new Date(startedAt).getTime();
  const end = finishedAt ? new Date(finishedAt).getTime() : now;
  const ms = Math.max(0, end - start);
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Interval in seconds as people say it: `6 h`, `15 min`, `45 s`; 0 is no schedule. */
export function interval(seconds: number): string {
  if (seconds <= 0) return 'not scheduled';
  if (seconds % 86_400 === 0) return `every ${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}
