/** Registry management: the rules and permission checks; the registry store does the I/O. */
import type { RegistryKind, RegistryVisibility } from '../generated/prisma/enums.js';
import { ConflictError, InvalidInputError, NotFoundError, type InputIssue } from '../errors.js';
import { assertCanRead, assertRole, readableRegistryWhere, type AccessPolicy, type Principal } from '../auth/principal.js';
import {
  DEFAULT_SYNC_INTERVAL_SECONDS,
  UPSTREAM_KINDS,
  URL_USERINFO,
  type RegistryCredentials,
  type RegistryRecord,
  type SyncRunRecord,
} from './registry.model.js';
import type { RegistryStore, RunWindow } from './registry.store.js';
import type { RegistryCredentialsBox } from './registry.credentials.js';
import type { SyncEngine } from './sync/engine.js';
import { parseOrigin } from './adapters/origin-policy.js';

export interface RegistryInput {
  name?: string;
  kind?: RegistryKind;
  endpoint?: string | null;
  basePath?: string | null;
  repositories?: string[] | null;
  priority?: number | null;
  syncIntervalSeconds?: number | null;
  insecure?: boolean | null;
  visibility?: RegistryVisibility | null;
  credentials?: RegistryCredentials | null;
  /** Further origins an HTTP upstream's links, downloads and redirects may point to (see origin-policy.ts). */
  allowedOrigins?: string[] | null;
}

const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MIN_SYNC_INTERVAL = 60;
const MAX_SYNC_INTERVAL = 30 * 24 * 60 * 60;
const MAX_REPOSITORIES = 1000;
const MAX_ALLOWED_ORIGINS = 20;

export class RegistryService {
  constructor(
    private readonly store: RegistryStore,
    private readonly credentials: RegistryCredentialsBox,
    private readonly policy: AccessPolicy,
    private readonly sync: Pick<SyncEngine, 'request'>,
  ) {}

  /** The registries the caller may read (PRIVATE ones only for ADMINs and tokens naming them). */
  async list(actor: Principal): Promise<RegistryRecord[]> {
    assertCanRead(actor, this.policy);
    return this.store.list(readableRegistryWhere(actor));
  }

  /** null both when there is no such registry and when the caller may not read it: existence doesn't leak. */
  async find(actor: Principal, name: string): Promise<RegistryRecord | null> {
    assertCanRead(actor, this.policy);
    return this.store.findByNameWhere(name, readableRegistryWhere(actor));
  }

  /** One registry by id (`node(id:)`), with the rule of `find`. */
  async findById(actor: Principal, id: string): Promise<RegistryRecord | null> {
    assertCanRead(actor, this.policy);
    const [registry] = await this.store.findByIds([id], readableRegistryWhere(actor));
    return registry ?? null;
  }

  /** One sync run by id (`node(id:)`): null too when the caller may not read its registry. */
  async findRun(actor: Principal, id: string): Promise<SyncRunRecord | null> {
    const run = await this.store.findRun(id);
    return run && (await this.findById(actor, run.registryId)) ? run : null;
  }

  /**
   * A page of a registry's runs, newest first, and their count when asked: for `Registry.runs`,
   * reached only through a registry the caller may read.
   */
  runsPage(registryId: string, window: RunWindow, take: number, backward: boolean): Promise<SyncRunRecord[]> {
    return this.store.runsPage(registryId, window, take, backward);
  }

  countRuns(registryId: string): Promise<number> {
    return this.store.countRuns(registryId);
  }

  async get(actor: Principal, name: string): Promise<RegistryRecord> {
    const registry = await this.find(actor, name);
    if (!registry) throw new NotFoundError(`Registry "${name}" does not exist.`);
    return registry;
  }

  async create(actor: Principal, input: RegistryInput & { name: string; kind: RegistryKind }): Promise<RegistryRecord> {
    assertRole(actor, 'ADMIN');
    if (input.kind === 'DEFAULT') {
      throw new InvalidInputError('The DEFAULT registry is built in; create a HOSTED or upstream registry instead.', {
        field: 'kind',
      });
    }
    const data = this.checkInput(input, input.kind, true);
    const existing = await this.store.findByName(input.name);
    if (existing) throw new ConflictError(`Registry "${input.name}" already exists.`);
    try {
      return await this.store.create({
        ...data,
        name: input.name,
        kind: input.kind,
        nextSyncAt: UPSTREAM_KINDS.includes(input.kind) ? new Date() : null,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ConflictError(`Registry "${input.name}" already exists.`);
      throw error;
    }
  }

  async update(actor: Principal, name: string, input: RegistryInput): Promise<RegistryRecord> {
    assertRole(actor, 'ADMIN');
    const registry = await this.store.findByName(name);
    if (!registry) throw new NotFoundError(`Registry "${name}" does not exist.`);
    if (input.kind && input.kind !== registry.kind) {
      throw new InvalidInputError('A registry\'s kind cannot change; create a new registry instead.', { field: 'kind' });
    }
    const data = this.checkInput({ ...input, endpoint: input.endpoint === undefined ? registry.endpoint : input.endpoint }, registry.kind, false);
    if (registry.kind === 'DEFAULT' && input.visibility === 'PRIVATE') {
      // The shipped packs are the baseline every profile may build on; hide packs in a HOSTED registry instead.
      throw new InvalidInputError('The DEFAULT registry stays PUBLIC: put packs to hide in a PRIVATE HOSTED registry.', { field: 'visibility' });
    }
    // Another source (or other eyes on it) may look unchanged by the old marker: the next sync diffs every item.
    const sourceChanged = (['endpoint', 'basePath', 'repositories', 'insecure', 'credentials', 'allowedOrigins'] as const).some((key) => input[key] !== undefined);
    return this.store.update(registry.id, { ...data, ...(sourceChanged ? { upstreamMarker: null } : {}) });
  }

  async delete(actor: Principal, name: string): Promise<boolean> {
    assertRole(actor, 'ADMIN');
    const registry = await this.store.findByName(name);
    if (!registry) throw new NotFoundError(`Registry "${name}" does not exist.`);
    if (registry.kind === 'DEFAULT') throw new ConflictError('The DEFAULT registry is built in and cannot be deleted.');
    // Rows go; the artifacts they pointed at become garbage for the collector (never the reverse).
    await this.store.delete(registry.id);
    return true;
  }

  /** The built-in DEFAULT registry row, created at first start. */
  async ensureDefaultRegistry(): Promise<RegistryRecord> {
    return this.store.ensureDefault();
  }

  /**
   * `syncRegistry`: ADMIN only. Starts a run (or joins the one already running) and, with `wait`,
   * waits for it up to the engine's bound; the answer is the run as it stands then.
   */
  async requestSync(actor: Principal, name: string, options: { force?: boolean; wait?: boolean } = {}): Promise<SyncRunRecord> {
    assertRole(actor, 'ADMIN');
    return this.sync.request(name, options);
  }

  /** The decrypted credentials of an upstream registry, for adapters only; never for the API. */
  openCredentials(registry: Pick<RegistryRecord, 'credentials'>): RegistryCredentials | null {
    return this.credentials.openCredentials(registry);
  }

  private checkInput(input: RegistryInput, kind: RegistryKind, creating: boolean) {
    const issues: InputIssue[] = [];
    const problem = (path: string, message: string) => issues.push({ code: 'INVALID_FIELD', path, message });
    if (creating && (!input.name || !NAME_PATTERN.test(input.name))) {
      problem('name', 'must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit');
    }
    const endpoint = input.endpoint?.trim() || null;
    if (kind === 'HOSTED' && endpoint) problem('endpoint', 'a HOSTED registry is stored by this service and takes no endpoint');
    if (UPSTREAM_KINDS.includes(kind)) {
      if (!endpoint) problem('endpoint', `is required for a ${kind} registry`);
      else if (URL_USERINFO.test(endpoint)) {
        // Endpoints are shown to every reader and kept in the audit trail; credentials are sealed and never shown.
        problem('endpoint', 'must not hold credentials (user:password@): put them in `credentials`, which are stored encrypted and never returned');
      } else if (kind === 'DIRECTORY') {
        if (!endpoint.startsWith('/') && !endpoint.startsWith('file://')) problem('endpoint', 'must be an absolute path or a file:// URL');
      } else if (!/^https?:\/\/[^\s/]+/.test(endpoint) || !URL.canParse(endpoint)) problem('endpoint', 'must be an http:// or https:// URL');
    }
    const allowedOrigins = input.allowedOrigins == null ? input.allowedOrigins : input.allowedOrigins.map((origin) => parseOrigin(origin));
    if (allowedOrigins && allowedOrigins.length > 0) {
      if (kind !== 'OCI' && kind !== 'HELM' && kind !== 'CATALOG') problem('allowedOrigins', `apply to upstreams reached over HTTP; a ${kind} registry takes none`);
      else if (allowedOrigins.length > MAX_ALLOWED_ORIGINS) problem('allowedOrigins', `must be at most ${MAX_ALLOWED_ORIGINS} origins`);
      for (const [index, origin] of allowedOrigins.entries()) {
        // The value is not repeated: it may be a URL with credentials in it.
        if (origin === null) problem(`allowedOrigins.${index}`, 'must be an origin, scheme://host[:port] (http or https), with no path, query or credentials');
      }
    }
    if (input.priority != null && (!Number.isInteger(input.priority) || Math.abs(input.priority) > 1000)) {
      problem('priority', 'must be an integer between -1000 and 1000');
    }
    if (
      input.syncIntervalSeconds != null &&
      (!Number.isInteger(input.syncIntervalSeconds) || input.syncIntervalSeconds < MIN_SYNC_INTERVAL || input.syncIntervalSeconds > MAX_SYNC_INTERVAL)
    ) {
      problem('syncIntervalSeconds', `must be between ${MIN_SYNC_INTERVAL} and ${MAX_SYNC_INTERVAL} seconds`);
    }
    const repositories = input.repositories ?? undefined;
    if (repositories && (repositories.length > MAX_REPOSITORIES || repositories.some((r) => !/^[a-z0-9._/-]{1,255}$/.test(r)))) {
      problem('repositories', `must be at most ${MAX_REPOSITORIES} repository names of lowercase letters, digits and ._/-`);
    }
    if (input.basePath != null && !/^[a-z0-9._/-]{0,255}$/.test(input.basePath)) {
      problem('basePath', 'must be lowercase letters, digits and ._/-');
    }
    const credentials = input.credentials;
    if (credentials) {
      for (const [key, value] of Object.entries(credentials)) {
        if (value != null && (typeof value !== 'string' || value.length > 4096)) problem(`credentials.${key}`, 'must be at most 4096 characters');
      }
      if (credentials.password && !credentials.username) problem('credentials.username', 'is required with a password');
    }
    if (issues.length > 0) {
      throw new InvalidInputError(`Invalid registry: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, {
        field: issues[0].path,
        issues,
      });
    }
    const hasCredentials = credentials && Object.values(credentials).some((v) => v != null && v !== '');
    return {
      ...(input.endpoint !== undefined ? { endpoint } : {}),
      ...(input.basePath !== undefined ? { basePath: input.basePath?.replace(/^\/+|\/+$/g, '') || null } : {}),
      ...(repositories !== undefined ? { repositories } : {}),
      ...(input.priority != null ? { priority: input.priority } : {}),
      ...(input.syncIntervalSeconds != null
        ? { syncIntervalSeconds: input.syncIntervalSeconds }
        : creating
          ? { syncIntervalSeconds: DEFAULT_SYNC_INTERVAL_SECONDS }
          : {}),
      ...(input.insecure != null ? { insecure: input.insecure } : {}),
      // Stored canonical (lowercase host, no default port, no duplicates): the client compares origins exactly.
      ...(allowedOrigins !== undefined ? { allowedOrigins: [...new Set((allowedOrigins ?? []) as string[])] } : {}),
      ...(input.visibility != null ? { visibility: input.visibility } : {}),
      // Write-only: an explicit null clears them; absent leaves them as they are.
      ...(credentials !== undefined
        ? { credentials: hasCredentials ? this.credentials.seal(credentials) : null }
        : {}),
    };
  }
}
