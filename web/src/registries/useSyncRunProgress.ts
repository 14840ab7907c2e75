/**
 * A sync run's live progress: the `syncRun(id)` subscription over WebSocket (graphql-ws,
 * graphql-transport-ws on the same origin's /graphql). The browser sends the HttpOnly session cookie
 * with the upgrade, which the service authenticates as it does over HTTP; no token is handled here.
 * One socket per watched run, closed when the run ends or the page leaves.
 */
import { createClient, type Client } from 'graphql-ws';
import { print } from 'graphql';
import { useEffect, useState } from 'react';
import type { ApiProblem } from '../lib/api-error';
import type { ConsoleSyncRunProgressSubscription } from '../generated/graphql';
import { SyncRunProgressSubscription } from './queries';

export type SyncRunProgress = ConsoleSyncRunProgressSubscription['syncRun'];

export interface LiveRun {
  progress: SyncRunProgress | null;
  /** True once the stream completed (the run ended) or failed. */
  done: boolean;
  problem: ApiProblem | null;
}

const QUERY = print(SyncRunProgressSubscription);

/** ws(s)://<this host>/graphql: same origin, so `connect-src 'self'` allows it. */
export function graphqlSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}

/** What a failed stream says: GraphQL errors (with their code), a close frame, or a socket error. */
export function streamProblem(error: unknown): ApiProblem {
  if (Array.isArray(error) && error.length > 0) {
    const first = error[0] as { message?: string; extensions?: { code?: unknown } };
    return { message: first.message ?? 'The subscription was refused.', code: typeof first.extensions?.code === 'string' ? first.extensions.code : null };
  }
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    const close = error as { code: number; reason: string };
    return { message: `The live connection closed (${close.code}${close.reason ? `: ${close.reason}` : ''}).`, code: null };
  }
  if (error instanceof Error) return { message: error.message, code: null };
  return { message: 'The live connection failed.', code: null };
}

export function useSyncRunProgress(runId: string | null): LiveRun {
  const [live, setLive] = useState<LiveRun>({ progress: null, done: false, problem: null });

  useEffect(() => {
    setLive({ progress: null, done: false, problem: null });
    if (!runId) return;
    let client: Client | null = createClient({ url: graphqlSocketUrl(window.location), lazy: true, retryAttempts: 3 });
    let ended = false;
    // Unsubscribing completes the sink: a stream this effect let go of must not say the run ended.
    let active = true;
    const unsubscribe = client.subscribe<ConsoleSyncRunProgressSubscription>(
      { query: QUERY, variables: { id: runId } },
      {
        next: (result) => {
          if (!active) return;
          if (result.errors?.length) {
            setLive((l) => ({ ...l, problem: streamProblem(result.errors) }));
            return;
          }
          const progress = result.data?.syncRun;
          if (progress) setLive((l) => ({ ...l, progress }));
        },
        error: (error) => {
          if (!active) return;
          ended = true;
          setLive((l) => ({ ...l, done: true, problem: streamProblem(error) }));
        },
        complete: () => {
          if (!active) return;
          ended = true;
          setLive((l) => ({ ...l, done: true }));
        },
      },
    );
    return () => {
      active = false;
      if (!ended) unsubscribe();
      void client?.dispose();
      client = null;
    };
  }, [runId]);

  return live;
}
