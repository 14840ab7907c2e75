/**
 * Whether a webhook's owner may still read an event's registry. A webhook's registries are checked
 * against its creator's token when it is created or updated only; the token may since have been
 * revoked, narrowed or expired. So each delivery asks again: some active token of the owner (its
 * team, or its name when it has none: `profileOwnerOf`) must pass `canReadRegistry` — the one read
 * rule — for the registry. An event of no registry is read by ADMINs only (as `catalogEvents`).
 * Answers are cached per owner and per registry for `ttlMs` (15 s, as subscriptions' rights).
 */
import { BOOTSTRAP_ADMIN } from '../auth/token.service.js';
import { canReadRegistry, profileOwnerOf, type Principal } from '../auth/principal.js';
import type { RegistryVisibility, Role } from '../generated/prisma/enums.js';

/** What the rights are read from (the token and registry stores; plugged in by the composition root). */
export interface OwnerRightsSource {
  /** Tokens not revoked nor expired at `now` whose team, or name, is `owner` (checked here with `profileOwnerOf`). */
  activeTokensOf(owner: string, now: Date): Promise<Array<{ id: string; name: string; role: Role; registries: string[]; team: string | null; expiresAt: Date | null }>>;
  registryOf(id: string): Promise<{ name: string; visibility: RegistryVisibility } | null>;
}

interface OwnerTokens {
  /** Each token's principal and its expiry (checked at each use: the cache outlives some expiries). */
  tokens: Array<{ principal: Principal; expiresAt: Date | null }>;
  until: number;
}

interface RegistryEntry {
  registry: { name: string; visibility: RegistryVisibility } | null;
  until: number;
}

/** The cache is dropped past this many entries (owners and registries are few; this bounds a surprise). */
const MAX_ENTRIES = 10_000;

export class WebhookOwnerRights {
  private readonly owners = new Map<string, OwnerTokens>();
  private readonly registries = new Map<string, RegistryEntry>();

  constructor(
    private readonly source: OwnerRightsSource,
    /** `bootstrapAdmin`: ADMIN_TOKEN is configured, so the owner "admin" (its webhooks) is an ADMIN with no token row. */
    private readonly options: { bootstrapAdmin: boolean; ttlMs?: number },
  ) {}

  /** Null when `owner` may read the event's registry; otherwise why not (kept in the delivery log). */
  async refusal(owner: string, event: { registryId: string | null; registryName: string | null }): Promise<string | null> {
    const now = Date.now();
    const principals = (await this.tokensOf(owner, now)).filter((t) => t.expiresAt === null || t.expiresAt.getTime() > now).map((t) => t.principal);
    if (principals.length === 0) return `The webhook's owner "${owner}" has no active token: its events are no longer delivered.`;
    if (principals.some((p) => p.role === 'ADMIN')) return null;
    const registry = event.registryId === null ? null : await this.registryOf(event.registryId, now);
    if (registry && principals.some((p) => canReadRegistry(p, registry))) return null;
    const name = registry?.name ?? event.registryName ?? event.registryId ?? '(none)';
    return `The webhook's owner "${owner}" may no longer read registry "${name}": no active token of it may.`;
  }

  private async tokensOf(owner: string, now: number): Promise<OwnerTokens['tokens']> {
    const cached = this.owners.get(owner);
    if (cached && cached.until > now) return cached.tokens;
    const rows = await this.source.activeTokensOf(owner, new Date(now));
    const tokens: OwnerTokens['tokens'] = rows
      .map((r) => ({ principal: { name: r.name, role: r.role, registries: r.registries, team: r.team, tokenId: r.id, kind: 'token' as const }, expiresAt: r.expiresAt }))
      .filter((t) => profileOwnerOf(t.principal) === owner);
    if (this.options.bootstrapAdmin && owner === profileOwnerOf(BOOTSTRAP_ADMIN)) tokens.push({ principal: BOOTSTRAP_ADMIN, expiresAt: null });
    if (this.owners.size >= MAX_ENTRIES) this.owners.clear();
    this.owners.set(owner, { tokens, until: now + (this.options.ttlMs ?? 15_000) });
    return tokens;
  }

  private async registryOf(id: string, now: number): Promise<RegistryEntry['registry']> {
    const cached = this.registries.get(id);
    if (cached && cached.until > now) return cached.registry;
    const registry = await this.source.registryOf(id);
    if (this.registries.size >= MAX_ENTRIES) this.registries.clear();
    this.registries.set(id, { registry, until: now + (this.options.ttlMs ?? 15_000) });
    return registry;
  }
}
