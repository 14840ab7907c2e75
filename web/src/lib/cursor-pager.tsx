/**
 * Paging a Relay connection one way (newest first) with a "back" that needs no paging the other
 * way: the trail keeps the cursor of every page shown, the last one is the page on screen (null:
 * the first page). The tables of runs, packs, registries, tokens and audit events page this way.
 */
import { useCallback, useState } from 'react';

export interface CursorTrail {
  /** The cursor of the page on screen (null: the first page). */
  cursor: string | null;
  /** 1 for the first page. */
  pageNumber: number;
  /** Opens the page after the one on screen, from its cursor. */
  forward(cursor: string | null): void;
  /** Goes back to the page before. */
  back(): void;
  /** Back to the first page (a filter changed, or the list was read again). */
  reset(): void;
}

export function useCursorTrail(): CursorTrail {
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const forward = useCallback((cursor: string | null) => setTrail((t) => [...t, cursor]), []);
  const back = useCallback(() => setTrail((t) => t.slice(0, -1)), []);
  const reset = useCallback(() => setTrail([null]), []);
  return { cursor: trail[trail.length - 1], pageNumber: trail.length, forward, back, reset };
}

/**
 * The buttons under a table ("Newer runs", "Older runs"), shown when there is somewhere to go:
 * `more` says whether the connection has a page past this one, `nextCursor` is where it starts.
 */
export function CursorPager(props: { trail: CursorTrail; more: boolean; nextCursor: string | null | undefined; label: string; backText: string; forwardText: string }) {
  const { trail, more, nextCursor } = props;
  if (trail.pageNumber === 1 && !more) return null;
  return (
    <nav className="pager" aria-label={props.label}>
      {trail.pageNumber > 1 && (
        <button type="button" className="button secondary" onClick={trail.back}>
          {props.backText}
        </button>
      )}
      {more && (
        <button type="button" className="button secondary" onClick={() => trail.forward(nextCursor ?? null)}>
          {props.forwardText}
        </button>
      )}
    </nav>
  );
}
