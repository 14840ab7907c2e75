/**
 * Reading catalog events with the reader's rights: an event is visible to whoever may read its
 * registry (ADMINs see all; others the PUBLIC registries and the PRIVATE ones their token names).
 */
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';
import { InvalidInputError } from '../errors.js';
import type { CatalogEventFilter, CatalogEventRecord, CatalogEventType } from './event.model.js';
import type { EventStore } from './event.store.js';

/** The registries a caller may read (the registries feature answers; plugged in by the composition root). */
export interface ReadableRegistries {
  list(actor: Principal): Promise<Array<{ id: string; name: string }>>;
}

/** A reader's filter as the API takes it: registries by name. */
export interface EventQueryFilter {
  types?: readonly CatalogEventType[] | null;
  registries?: readonly string[] | null;
  packs?: readonly string[] | null;
}

export class EventService {
  constructor(
    private readonly store: EventStore,
    private readonly registries: ReadableRegistries,
    private readonly policy: AccessPolicy,
  ) {}

  /**
   * The store's filter for `filter` within what `actor` may read: registry ids (null: every
   * registry, for ADMINs with no registry filter). A registry named in the filter that the caller
   * can't read matches nothing, as one that doesn't exist.
   */
  async scopedFilter(actor: Principal, filter: EventQueryFilter = {}): Promise<CatalogEventFilter> {
    assertCanRead(actor, this.policy);
    if ((filter.packs?.length ?? 0) > 100 || (filter.registries?.length ?? 0) > 100) {
      throw new InvalidInputError('An event filter names at most 100 registries and 100 packs.', { field: 'filter' });
    }
    const wanted = filter.registries && filter.registries.length > 0 ? new Set(filter.registries) : null;
    let registryIds: string[] | null = null;
    if (actor.role !== 'ADMIN' || wanted) {
      const readable = await this.registries.list(actor);
      registryIds = readable.filter((r) => !wanted || wanted.has(r.name)).map((r) => r.id);
    }
    return { types: filter.types ?? null, packs: filter.packs ?? null, registryIds };
  }

  /** Events after `cursor` (an event id) the caller may read, oldest first. */
  async listAfter(actor: Principal, cursor: string | null, filter: EventQueryFilter, limit: number): Promise<CatalogEventRecord[]> {
    return this.store.listEventsAfter(cursor, await this.scopedFilter(actor, filter), limit);
  }

  /** One event, when the caller may read its registry. */
  async get(actor: Principal, id: string): Promise<CatalogEventRecord | null> {
    const event = await this.store.find(id);
    if (!event) return null;
    const scope = await this.scopedFilter(actor);
    const ids = scope.registryIds;
    return !ids || (event.registryId !== null && ids.includes(event.registryId)) ? event : null;
  }

  /** The store, for readers that apply a filter already scoped with `scopedFilter` (connections, subscriptions). */
  get events(): Pick<EventStore, 'listEventsAfter' | 'count'> {
    return this.store;
  }
}
