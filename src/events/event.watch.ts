/**
 * `catalogEvents(filter, after)` subscriptions: the events a subscriber may read (its registries'
 * rights, as `catalogEvents` the query) that match its filter, as they commit on any replica.
 *
 * With `after` (a cursor of the `catalogEvents` query, or of an event received before), the events
 * missed since are replayed from the outbox first, then the stream goes live with nothing lost in
 * between: live events are held while the replay runs and those it already sent are skipped.
 *
 * The subscriber's rights are read when it subscribes and again every `scopeRefreshMs`, so a
 * registry made PRIVATE (or a new PUBLIC one) is followed within that time.
 */
import type { Principal } from '../auth/principal.js';
import { InvalidInputError, ServiceUnavailableError } from '../errors.js';
import { EventStream } from '../graphql/event-stream.js';
import { decodeCursor } from '../graphql/pagination.js';
import { fromGlobalId } from '../graphql/node.js';
import type { CatalogEventFilter, CatalogEventRecord } from './event.model.js';
import type { EventQueryFilter, EventService } from './event.service.js';
import type { LiveCatalogEvents } from './event.live.js';

export interface CatalogEventWatchOptions {
  /** Events queued for a slow subscriber before its stream ends. Default 1000. */
  maxBuffered?: number;
  /** How often a subscriber's rights are read again. Default 15 s. */
  scopeRefreshMs?: number;
  /** Most events a resume replays; further behind, the client pages `catalogEvents` first. Default 1000. */
  maxReplay?: number;
}

const REPLAY_PAGE = 100;

/** Whether `event` is one the scoped filter lets through (the outbox's WHERE clause, in memory). */
export function eventMatches(scope: CatalogEventFilter, event: CatalogEventRecord): boolean {
  if (scope.types && scope.types.length > 0 && !scope.types.includes(event.type)) return false;
  if (scope.packs && scope.packs.length > 0 && (event.pack === null || !scope.packs.includes(event.pack))) return false;
  if (scope.registryIds && (event.registryId === null || !scope.registryIds.includes(event.registryId))) return false;
  return true;
}

/** The outbox id an `after` argument names: a `catalogEvents` cursor, an event's id, or a bare outbox id. */
export function eventIdOfCursor(after: string): string {
  if (/^\d{1,19}$/.test(after)) return after;
  const id = fromGlobalId(after);
  if (id?.typename === 'CatalogEvent' && /^\d{1,19}$/.test(id.key)) return id.key;
  try {
    return decodeCursor(after, (text) => {
      const position: unknown = JSON.parse(text);
      return typeof position === 'string' && /^\d{1,19}$/.test(position) ? position : null;
    });
  } catch {
    throw new InvalidInputError('Invalid cursor in after: pass a cursor catalogEvents returned.', { field: 'after' });
  }
}

export class CatalogEventWatch {
  private readonly maxBuffered: number;
  private readonly scopeRefreshMs: number;
  private readonly maxReplay: number;

  constructor(
    private readonly events: EventService,
    private readonly live: LiveCatalogEvents,
    options: CatalogEventWatchOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 1_000;
    this.scopeRefreshMs = options.scopeRefreshMs ?? 15_000;
    this.maxReplay = options.maxReplay ?? 1_000;
  }

  async watch(actor: Principal, filter: EventQueryFilter, after: string | null): Promise<EventStream<CatalogEventRecord>> {
    const from = after === null ? null : eventIdOfCursor(after);
    let scope = await this.events.scopedFilter(actor, filter);
    let refresh: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    const stream = new EventStream<CatalogEventRecord>({
      maxBuffered: this.maxBuffered,
      overflowError: () => new ServiceUnavailableError('This subscriber read events slower than they came; subscribe again with `after` set to the last event received.'),
      onClose: () => {
        clearInterval(refresh);
        unsubscribe();
      },
    });
    // Live events wait here while the replay runs.
    let held: CatalogEventRecord[] | null = from === null ? null : [];
    // What the replay sent: an event's NOTIFY can reach this process after the replay read it from the outbox.
    let replayed = new Set<string>();
    unsubscribe = this.live.subscribe((batch) => {
      for (const event of batch) {
        if (!eventMatches(scope, event) || replayed.has(event.id)) continue;
        if (held) held.push(event);
        else stream.push(event);
      }
    });
    refresh = setInterval(() => {
      this.events.scopedFilter(actor, filter).then(
        (next) => (scope = next),
        // The caller's rights are gone (anonymous reads switched off): its stream ends.
        (error: unknown) => {
          stream.push(error instanceof Error ? error : new Error(String(error)));
          stream.end();
        },
      );
    }, this.scopeRefreshMs);
    refresh.unref();
    if (from !== null) {
      try {
        replayed = await this.replay(from, scope, stream);
        const pending = held ?? [];
        held = null;
        for (const event of pending) if (!replayed.has(event.id)) stream.push(event);
      } catch (error) {
        stream.return();
        throw error;
      }
    }
    return stream;
  }

  /** Pushes the events after `from` in outbox order; answers their ids. */
  private async replay(from: string, scope: CatalogEventFilter, stream: EventStream<CatalogEventRecord>): Promise<Set<string>> {
    const sent = new Set<string>();
    let cursor = from;
    for (;;) {
      const page = await this.events.events.listEventsAfter(cursor, scope, REPLAY_PAGE);
      if (sent.size + page.length > this.maxReplay) {
        throw new InvalidInputError(
          `More than ${this.maxReplay} events were missed since that cursor: page through catalogEvents(after:) first, then subscribe from its endCursor.`,
          { field: 'after' },
        );
      }
      for (const event of page) {
        sent.add(event.id);
        stream.push(event);
      }
      if (page.length < REPLAY_PAGE) return sent;
      cursor = page[page.length - 1].id;
    }
  }
}
