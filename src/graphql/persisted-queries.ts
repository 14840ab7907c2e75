/**
 * Automatic persisted queries (Apollo Server's own APQ: a hash first, the document on a miss,
 * PERSISTED_QUERY_NOT_FOUND in between). Where registered documents live:
 *  - REDIS_URL set: Redis, through Keyv, so every replica knows a document any of them registered;
 *  - otherwise: an in-memory LRU cache bounded by PERSISTED_QUERIES_CACHE_BYTES;
 *  - PERSISTED_QUERIES_ONLY: a fixed allow-list read at start (PERSISTED_QUERIES_FILE), and a plugin
 *    that refuses every other document, whether sent as text or by hash. Nothing registers.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorsAreMissesCache, InMemoryLRUCache, PrefixingKeyValueCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import type { Logger } from '../platform/logger.js';

export interface PersistedQueryOptions {
  redisUrl?: string;
  cacheBytes: number;
  only: boolean;
  file?: string;
}

export interface PersistedQueries {
  /** Apollo Server's `persistedQueries` option. */
  apollo: { cache: KeyValueCache<string>; ttl: number | null };
  plugins: ApolloServerPlugin<BaseContext>[];
  close(): Promise<void>;
}

/** Documents registered in Redis expire after a week unused... or used: a client re-registers on its next miss. */
const REDIS_TTL_SECONDS = 7 * 24 * 3600;

/** The APQ hash of a document: sha256 of its exact text, in hex. */
export function persistedQueryHash(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/** The allow-list as a cache: lookups by hash find its documents; registrations are dropped. */
class AllowListCache implements KeyValueCache<string> {
  constructor(private readonly documents: ReadonlyMap<string, string>) {}
  async get(key: string): Promise<string | undefined> {
    return this.documents.get(key);
  }
  async set(): Promise<void> {}
  async delete(): Promise<boolean> {
    return false;
  }
}

/**
 * Reads an allow-list file: a JSON object from the sha256 hex of each document to the document.
 * @throws Error naming the file and the first bad entry: a start with a wrong list must fail loudly.
 */
export async function readAllowList(file: string): Promise<Map<string, string>> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected a JSON object of sha256 hex -> GraphQL document.`);
  }
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string' || persistedQueryHash(document) !== hash) {
      throw new Error(`${file}: the entry "${hash}" is not the sha256 of its document.`);
    }
    documents.set(hash, document);
  }
  return documents;
}

/** Refuses, before execution, every document the allow-list does not hold. */
function allowListPlugin(documents: ReadonlyMap<string, string>): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          if (request.queryHash && documents.has(request.queryHash)) return;
          throw new GraphQLError('This service runs registered documents only (PERSISTED_QUERIES_ONLY): send the hash of one of them.', {
            extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', http: { status: 400 } },
          });
        },
      };
    },
  };
}

/** keyv ships ESM and CJS typings; the adapter names the CJS one: the same class at run time. */
function keyvForAdapter(keyv: Keyv<string>): ConstructorParameters<typeof KeyvAdapter<string>>[0] {
  return keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0];
}

export async function createPersistedQueries(options: PersistedQueryOptions, logger: Logger): Promise<PersistedQueries> {
  if (options.only) {
    if (!options.file) throw new Error('PERSISTED_QUERIES_ONLY needs PERSISTED_QUERIES_FILE.');
    const documents = await readAllowList(options.file);
    logger.info({ documents: documents.size }, 'persisted queries only: the allow-list is loaded');
    // Keyed by the bare hash: Apollo's own `apq:` prefix would miss every entry.
    const cache = PrefixingKeyValueCache.cacheDangerouslyDoesNotNeedPrefixesForIsolation(new AllowListCache(documents));
    return { apollo: { cache, ttl: null }, plugins: [allowListPlugin(documents)], close: async () => {} };
  }
  if (options.redisUrl) {
    // A Redis that is down (at start or later) degrades to misses: the client sends the document and the
    // request runs; Apollo would answer 500 on a cache error otherwise. Registrations lost meanwhile are logged.
    const store = new KeyvRedis(options.redisUrl, { throwOnConnectError: false, connectionTimeout: 1000 });
    const keyv = new Keyv<string>({ store, namespace: 'pack-catalog:apq', useKeyPrefix: false });
    let lastWarning = 0;
    keyv.on('error', (error: unknown) => {
      // One line a minute at most: while Redis is down every request fails the same way.
      if (Date.now() - lastWarning < 60_000) return;
      lastWarning = Date.now();
      logger.warn({ err: error }, 'persisted query cache (Redis) unavailable: documents are neither found nor registered');
    });
    return {
      apollo: { cache: new ErrorsAreMissesCache(new KeyvAdapter(keyvForAdapter(keyv), { disableBatchReads: true })), ttl: REDIS_TTL_SECONDS },
      plugins: [],
      close: () => store.disconnect().catch(() => undefined),
    };
  }
  return {
    apollo: { cache: new InMemoryLRUCache<string>({ maxSize: options.cacheBytes, sizeCalculation: (value, key) => value.length + key.length }), ttl: null },
    plugins: [],
    close: async () => {},
  };
}
