/** Plain registry data shared by the service, the sync engine and the GraphQL types. */
import type { RegistryKind, RegistryVisibility, SyncState } from '../generated/prisma/enums.js';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  token?: string;
}

export interface RegistryRecord {
  id: string;
  name: string;
  kind: RegistryKind;
  endpoint: string | null;
  basePath: string | null;
  repositories: string[];
  priority: number;
  syncIntervalSeconds: number;
  insecure: boolean;
  /** Origins besides the endpoint's own that an upstream's links, downloads and redirects may use. */
  allowedOrigins: string[];
  visibility: RegistryVisibility;
  credentials: Uint8Array | null;
  createdAt: Date;
  updatedAt: Date;
  syncState: SyncState;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  syncMessage: string | null;
}

/** A SyncRun row as stored. */
export interface SyncRunRecord {
  id: string;
  registryId: string;
  state: SyncState;
  force: boolean;
  trigger: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  artifactsFetched: number;
  message: string | null;
  createdAt: Date;
}

/** Credentials written into a URL (`http://robot:secret@host`): scheme, then everything up to `@` in the authority. */
export const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/**
 * An endpoint as it may be shown or recorded: without credentials written into it. New endpoints
 * can't hold any (RegistryService refuses them); rows stored before that rule may.
 */
export function endpointWithoutCredentials(endpoint: string): string {
  return endpoint.replace(URL_USERINFO, '$1');
}

export const DEFAULT_REGISTRY_NAME = 'default';
/** Palette syncs registries daily. */
export const DEFAULT_SYNC_INTERVAL_SECONDS = 24 * 60 * 60;
export const UPSTREAM_KINDS: readonly RegistryKind[] = ['OCI', 'HELM', 'DIRECTORY', 'CATALOG'];
