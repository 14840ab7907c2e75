/**
 * `packctl events [--follow]`: the catalog's events. Without --follow, the most recent ones (the
 * `catalogEvents` query); with it, events as they happen (the `catalogEvents` subscription over
 * WebSocket), one line each (JSON lines with -o json), reconnecting with backoff and resuming after
 * the last event printed, so a dropped connection loses nothing.
 */
import type { Command } from 'commander';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { graphql } from '../generated/gql.js';
import type { CatalogEventFieldsFragment, CatalogEventType } from '../generated/graphql.js';
import { CliError } from '../errors.js';
import type { Output } from '../output.js';
import { connect } from '../session.js';
import { EVENT_TYPES } from '../event-types.js';
import { integer } from './options.js';

graphql(`
  fragment CatalogEventFields on CatalogEvent {
    id
    type
    occurredAt
    registry
    pack
    version
    data
  }
`);

const RECENT_EVENTS = graphql(`
  query RecentEvents($filter: CatalogEventFilterInput, $last: Int) {
    catalogEvents(filter: $filter, last: $last) {
      edges {
        node {
          ...CatalogEventFields
        }
      }
    }
  }
`);

const FOLLOW_EVENTS = graphql(`
  subscription FollowEvents($filter: CatalogEventFilterInput, $after: String) {
    catalogEvents(filter: $filter, after: $after) {
      ...CatalogEventFields
    }
  }
`);

/** Reconnect waits: doubled from 0.5 s up to 30 s, reset by a connection that delivers. */
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** Close codes after which trying again can't help: refused credentials, a request the server rejects. */
const FATAL_CLOSE_CODES = new Set([4400, 4401, 4406, 1009]);

interface EventsOptions {
  follow?: boolean;
  type: string[];
  registry: string[];
  pack: string[];
  limit?: number;
}

type EventView = CatalogEventFieldsFragment;

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerEventsCommand(program: Command): void {
  program
    .command('events')
    .description('Show catalog events: the most recent ones, or with --follow each one as it happens (Ctrl-C stops).')
    .option('-f, --follow', 'print events as they happen, reconnecting and resuming if the connection drops')
    .option('--type <type>', `only this event type (repeatable): ${EVENT_TYPES.join(', ')}`, collect, [])
    .option('--registry <name>', 'only events of this registry (repeatable)', collect, [])
    .option('--pack <name>', 'only events of this pack (repeatable)', collect, [])
    .option('--limit <n>', 'without --follow: how many recent events (default 20, at most 100); with --follow: stop after n events', integer('--limit', 1))
    .addHelpText(
      'after',
      `
Examples:
  $ packctl events
  $ packctl events --follow --type PACK_VERSION_PUBLISHED --registry team
  $ packctl events -f --pack cert-manager -o json | jq .version`,
    )
    .action(async (options: EventsOptions, command: Command) => {
      const types = options.type.map((type) => type.toUpperCase());
      const unknown = types.filter((type) => !EVENT_TYPES.includes(type as CatalogEventType));
      if (unknown.length > 0) throw new CliError(`Unknown event type ${unknown.join(', ')}; one of ${EVENT_TYPES.join(', ')}.`, { exitCode: 2 });
      const filter = {
        ...(types.length > 0 ? { types: types as CatalogEventType[] } : {}),
        ...(options.registry.length > 0 ? { registries: options.registry } : {}),
        ...(options.pack.length > 0 ? { packs: options.pack } : {}),
      };
      const { client, server, out } = await connect(command);
      if (!options.follow) {
        const last = Math.min(options.limit ?? 20, 100);
        const { catalogEvents } = await client.request(RECENT_EVENTS, { filter, last });
        const events = catalogEvents.edges.map((edge) => edge.node);
        if (out.json) out.result(events, () => undefined);
        else if (events.length === 0) out.note('No events match.');
        else for (const event of events) out.line(event, () => describeEvent(event));
        return;
      }
      await follow({ url: server.url, token: server.token, insecure: server.insecure ?? false }, filter, options.limit, out);
    });
}

/** One event as a line: when, what, where, and its data. */
export function describeEvent(event: EventView): string {
  const subject = event.pack ? `${event.pack}${event.version ? `@${event.version}` : ''}` : '-';
  const data = event.data && typeof event.data === 'object' && Object.keys(event.data).length > 0 ? `  ${JSON.stringify(event.data)}` : '';
  return `${event.occurredAt}  ${event.type}  ${event.registry ?? '-'}  ${subject}${data}`;
}

interface FollowTarget {
  url: string;
  token?: string;
  insecure: boolean;
}

/** Subscribes until stopped (Ctrl-C), `limit` events came, or the server refuses for good. */
async function follow(target: FollowTarget, filter: Record<string, unknown>, limit: number | undefined, out: Output): Promise<void> {
  const wsUrl = `${target.url.replace(/^http/, 'ws').replace(/\/+$/, '')}/graphql`;
  const insecure = target.insecure;
  class PackctlWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { rejectUnauthorized: !insecure });
    }
  }
  let after: string | null = null;
  let printed = 0;
  let backoff = BACKOFF_MIN_MS;
  let stopped = false;
  let current: Client | undefined;
  const stop = () => {
    stopped = true;
    void current?.dispose();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopped) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: PackctlWebSocket,
        retryAttempts: 0,
        lazy: true,
        connectionParams: target.token ? { authorization: `Bearer ${target.token}` } : {},
      });
      current = client;
      let delivered = false;
      const outcome = await new Promise<{ done: true } | { error: unknown }>((resolve) => {
        const unsubscribe = client.subscribe<{ catalogEvents: EventView }>(
          { query: FOLLOW_EVENTS.toString(), variables: { filter, after } },
          {
            next: (result) => {
              if (result.errors?.length) return resolve({ error: result.errors });
              const event = result.data?.catalogEvents;
              if (!event) return;
              delivered = true;
              // The event's id resumes the feed after it on a reconnect.
              after = event.id;
              out.line(event, () => describeEvent(event));
              printed++;
              if (limit !== undefined && printed >= limit) {
                unsubscribe();
                resolve({ done: true });
              }
            },
            error: (error) => resolve({ error }),
            complete: () => resolve({ done: true }),
          },
        );
      });
      await client.dispose();
      if ('done' in outcome) return;
      if (stopped) return;
      const fatal = fatalError(outcome.error);
      if (fatal) throw fatal;
      if (delivered) backoff = BACKOFF_MIN_MS;
      out.note(`Connection lost (${describeClose(outcome.error)}); reconnecting in ${(backoff / 1000).toFixed(1)} s...`);
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** A refusal that a retry would meet again, as the error packctl reports; undefined for a dropped connection. */
function fatalError(error: unknown): CliError | undefined {
  if (Array.isArray(error)) {
    const first = error[0] as { message?: string; extensions?: { code?: string } } | undefined;
    return new CliError(first?.message ?? 'The server refused the subscription.', { code: first?.extensions?.code });
  }
  const close = error as { code?: number; reason?: string };
  if (typeof close?.code === 'number' && FATAL_CLOSE_CODES.has(close.code)) {
    if (close.code === 4401) {
      return new CliError(close.reason || 'The server refused the credentials.', {
        code: 'UNAUTHENTICATED',
        hint: 'Log in again: packctl login <url> --token <token>',
      });
    }
    return new CliError(`The server closed the connection: ${close.reason || close.code}.`);
  }
  return undefined;
}

function describeClose(error: unknown): string {
  const close = error as { code?: number; reason?: string; message?: string };
  if (typeof close?.code === 'number') return `${close.code}${close.reason ? ` ${close.reason}` : ''}`;
  return close?.message ?? String(error);
}
