/**
 * The one HTTP client: every upstream registry adapter and packctl send their requests through it.
 * Built on fetch, undici's own (a declared dependency, the major Node 20 bundles), so that the
 * undici `Agent` it is given always matches it: that agent verifies TLS or not, bounds the
 * connections per origin, and holds the timeouts (until the response headers, then per idle gap of
 * the body). The timeouts live on the agent rather than in an `AbortSignal.timeout` combined with
 * the caller's signal through `AbortSignal.any`, which on Node 20 keeps every combined signal alive
 * as long as the caller's long-lived one (see inflight.ts).
 *
 * `request` buffers a bounded answer and `download` streams one to a file, hashing it; both retry
 * 429, 5xx and network failures with exponential backoff and jitter, honouring `Retry-After`
 * (capped). 4xx answers other than 429 are returned to the caller, which knows what they mean
 * (401: authenticate; 404: gone). Everything else that goes wrong is an `UpstreamError`.
 *
 * Where a request may go is its {@link RequestPolicy}'s decision (a registry's origin policy, say),
 * checked before the first request and before every redirect hop: redirects are followed here, one
 * hop at a time. The `Authorization` header goes to a hop only when the policy says so, and never
 * past a change of origin (like browsers and curl). The client imports no feature: callers give it
 * their policy with {@link HttpClient.withPolicy}.
 */
import type { LookupFunction } from 'node:net';
import { Agent, fetch, type Response } from 'undici';
import { UpstreamError } from '../errors.js';
import { describeNetworkError, discard, readBody, writeBody, type BufferedDownload, type Download, type DownloadExpectations } from './http-client.body.js';
import { describeUrl, headersOf, type HttpHeaders } from './http-client.headers.js';
import { RetryableError, parseRetryAfter, withRetries } from './http-client.retry.js';

export { parseJsonBody, type BufferedDownload, type Download } from './http-client.body.js';
export { describeUrl, parseAuthChallenge, parseLinkHeader, type AuthChallenge, type HttpHeaders } from './http-client.headers.js';
export { backoffDelay, parseRetryAfter } from './http-client.retry.js';

/** How patient the client is, and how much it takes. */
export interface HttpClientOptions {
  /** Milliseconds until response headers arrive, and the longest silence inside a body. Default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first, for 429, 5xx and network failures. Default 3. */
  retries?: number;
  /** First backoff delay in ms (doubled per attempt, with jitter). Default 500. */
  backoffBaseMs?: number;
  /** Longest backoff delay in ms. Default 10 s. */
  backoffMaxMs?: number;
  /** A `Retry-After` longer than this is cut to this many ms. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Largest buffered response body (JSON, YAML). Default 16 MiB. */
  maxResponseBytes?: number;
  /** Largest download (artifacts). Default 512 MiB. */
  maxDownloadBytes?: number;
  userAgent?: string;
  /** Connections at once per origin; null for no bound. Default 8. */
  connectionsPerOrigin?: number | null;
  /** Resolves host names for the connections (net.connect's `lookup`): a caller's own address rule at connect time. Default: the system's. */
  connectLookup?: LookupFunction | null;
}

/** Where requests may go and where their credentials may go. */
export interface RequestPolicy {
  /** Null when `url` may be contacted; otherwise the error the caller gets (nothing is sent). */
  refusal(url: URL): Error | null;
  /** Whether `url` may receive the request's `Authorization` header. */
  sendsCredentialsTo(url: URL): boolean;
}

/** Any URL, credentials wherever the request goes (until the origin changes): fetch's own rule. */
export const ANY_ORIGIN: RequestPolicy = { refusal: () => null, sendsCredentialsTo: () => true };

/** One exchange as `send` makes it. */
export interface SendInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | AsyncIterable<Uint8Array>;
  signal?: AbortSignal;
  /**
   * `manual` (the default): redirects of GET and HEAD are followed here, each hop checked against
   * the policy; other methods get the 3xx itself. `follow`: fetch follows them (the policy is asked
   * about the first URL only; fetch drops `Authorization` when a hop changes origin).
   */
  redirect?: 'manual' | 'follow';
}

export interface HttpRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Overrides `maxResponseBytes` for this request. */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: HttpHeaders;
  /** The URL that answered (after redirects). */
  url: string;
  body: Buffer;
}

export interface DownloadRequest extends Omit<HttpRequest, 'method' | 'body'>, DownloadExpectations {}

const MIB = 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// undici's own connect timeout; a request's timeout only shortens it.
const MAX_CONNECT_MS = 10_000;
const DEFAULTS: Required<HttpClientOptions> = {
  timeoutMs: 30_000,
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
  maxRetryAfterMs: 30_000,
  maxResponseBytes: 16 * MIB,
  maxDownloadBytes: 512 * MIB,
  userAgent: 'pack-catalog-sync/1',
  connectionsPerOrigin: 8,
  connectLookup: null,
};

/** The connection pools one client and all its policy views share. */
class Transport {
  private verified?: Agent;
  private unverified?: Agent;

  constructor(readonly options: Required<HttpClientOptions>) {}

  dispatcher(insecureTls: boolean): Agent {
    if (insecureTls) return (this.unverified ??= this.agent(false));
    return (this.verified ??= this.agent(true));
  }

  async close(): Promise<void> {
    const agents = [this.verified, this.unverified];
    this.verified = this.unverified = undefined;
    await Promise.all(agents.map((agent) => agent?.close()));
  }

  private agent(rejectUnauthorized: boolean): Agent {
    const { timeoutMs, connectionsPerOrigin, connectLookup } = this.options;
    return new Agent({
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connections: connectionsPerOrigin,
      connect: { timeout: Math.min(timeoutMs, MAX_CONNECT_MS), rejectUnauthorized, ...(connectLookup ? { lookup: connectLookup } : {}) },
    });
  }
}

/** What a view adds to the shared transport. */
interface Scope<P extends RequestPolicy> {
  policy: P;
  insecureTls: boolean;
}

export class HttpClient<P extends RequestPolicy = RequestPolicy> {
  private readonly transport: Transport;
  private readonly scope: Scope<P>;

  /** Built once by the composition root (or packctl); features take a view with their policy. */
  constructor(options?: HttpClientOptions);
  constructor(options: HttpClientOptions | Transport = {}, scope?: Scope<P>) {
    this.transport = options instanceof Transport ? options : new Transport({ ...DEFAULTS, ...stripUndefined(options) });
    this.scope = scope ?? { policy: ANY_ORIGIN as P, insecureTls: false };
  }

  /** The policy this view enforces. */
  get policy(): P {
    return this.scope.policy;
  }

  /**
   * A view of this client (same connections and options) that sends every request under `policy`;
   * `insecureTls` accepts TLS certificates that don't verify (default: as this view does).
   */
  withPolicy<Q extends RequestPolicy>(policy: Q, options: { insecureTls?: boolean } = {}): HttpClient<Q> {
    const scope: Scope<Q> = { policy, insecureTls: options.insecureTls ?? this.scope.insecureTls };
    // The constructor's second form (a shared transport) is for views only, so it is not public.
    const View = HttpClient as new (transport: Transport, scope: Scope<Q>) => HttpClient<Q>;
    return new View(this.transport, scope);
  }

  /** Closes the kept-alive connections of this client and all its views. */
  close(): Promise<void> {
    return this.transport.close();
  }

  /**
   * One exchange under the policy, no retry: the caller reads or cancels the body. Failures are
   * fetch's own errors (the socket's in `cause`), refusals the policy's.
   */
  send(url: string | URL, init: SendInit = {}): Promise<Response> {
    return this.exchange(url, init, (error) => error);
  }

  /** Sends a request and buffers the (bounded) answer; retries 429/5xx/network failures. */
  async request(url: string, init: HttpRequest = {}): Promise<HttpResponse> {
    const { timeoutMs, maxResponseBytes } = this.transport.options;
    return withRetries(this.transport.options, init.signal, async () => {
      const response = await this.open(url, init);
      const answered = response.url || url;
      if (response.status === 429 || response.status >= 500) throw await this.retryable(response, answered);
      const body = await readBody(response, answered, init.maxBytes ?? maxResponseBytes, timeoutMs, init.method === 'HEAD');
      return { status: response.status, headers: headersOf(response.headers), url: answered, body };
    });
  }

  /**
   * Streams a GET into a new file under `dir` with a size cap, hashing as it goes. A body shorter
   * than its Content-Length (a dropped connection), longer than the cap, or hashing to something
   * other than `expectedDigest` is an error and leaves no file behind. Retried like `request`.
   */
  async download(url: string, init: DownloadRequest & { inMemoryBytes?: undefined | 0 }): Promise<Download>;
  /** With `inMemoryBytes`, a body declared no larger comes back as bytes (no file written). */
  async download(url: string, init: DownloadRequest): Promise<Download | BufferedDownload>;
  async download(url: string, init: DownloadRequest): Promise<Download | BufferedDownload> {
    const { timeoutMs, maxDownloadBytes } = this.transport.options;
    return withRetries(this.transport.options, init.signal, async () => {
      const response = await this.open(url, { headers: init.headers, signal: init.signal });
      const answered = response.url || url;
      if (response.status === 429 || response.status >= 500) throw await this.retryable(response, answered);
      if (response.status < 200 || response.status >= 300) {
        await discard(response);
        throw new UpstreamError(`${describeUrl(answered)} answered HTTP ${response.status}.`, response.status);
      }
      const limit = Math.min(init.maxBytes ?? maxDownloadBytes, maxDownloadBytes);
      return writeBody(response, answered, limit, timeoutMs, init);
    });
  }

  /** `send` for `request` and `download`: the bytes as sent (no content coding), failures said for the caller. */
  private open(url: string, init: HttpRequest): Promise<Response> {
    const headers = { 'accept-encoding': 'identity', ...init.headers };
    return this.exchange(url, { ...init, headers }, (error, at) => describeNetworkError(error, at, this.transport.options.timeoutMs));
  }

  private async exchange(url: string | URL, init: SendInit, failed: (error: unknown, at: URL) => unknown): Promise<Response> {
    let current = parseUrl(url);
    const { policy, insecureTls } = this.scope;
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { 'user-agent': this.transport.options.userAgent };
    let authorization: string | undefined;
    for (const [key, value] of Object.entries(init.headers ?? {})) {
      if (key.toLowerCase() === 'authorization') authorization = value;
      else headers[key.toLowerCase()] = value;
    }
    const credentialOrigin = current.origin;
    for (let hop = 0; ; hop++) {
      checkScheme(current);
      const refusal = policy.refusal(current);
      if (refusal) throw refusal;
      // Once a hop may not have the credentials, later hops don't get them either.
      if (current.origin !== credentialOrigin || !policy.sendsCredentialsTo(current)) authorization = undefined;
      let response: Response;
      try {
        response = await fetch(current, {
          method,
          headers: authorization !== undefined ? { ...headers, authorization } : headers,
          body: init.body,
          signal: init.signal,
          redirect: init.redirect ?? 'manual',
          dispatcher: this.transport.dispatcher(insecureTls),
          // A streamed body goes out as it is read (fetch requires saying so).
          ...(isStream(init.body) ? { duplex: 'half' as const } : {}),
        });
      } catch (error) {
        throw failed(error, current);
      }
      const location = response.headers.get('location');
      if (init.redirect === 'follow' || !REDIRECT_STATUSES.has(response.status) || !location || (method !== 'GET' && method !== 'HEAD')) {
        return response;
      }
      await discard(response);
      if (hop >= MAX_REDIRECTS) throw new UpstreamError(`Too many redirects from ${describeUrl(url)}.`);
      try {
        current = new URL(location, current);
      } catch {
        throw new UpstreamError(`${describeUrl(current)} redirected to something that is not a URL.`);
      }
    }
  }

  private async retryable(response: Response, url: string): Promise<RetryableError> {
    await discard(response);
    const wait = parseRetryAfter(response.headers.get('retry-after'), Date.now(), this.transport.options.maxRetryAfterMs);
    return new RetryableError(`${describeUrl(url)} answered HTTP ${response.status}`, response.status, wait);
  }
}

function parseUrl(url: string | URL): URL {
  try {
    return new URL(url);
  } catch {
    throw new UpstreamError(`${describeUrl(String(url))} is not a URL.`);
  }
}

function checkScheme(url: URL): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UpstreamError(`Unsupported URL scheme ${url.protocol} in ${describeUrl(url)}.`);
  }
}

function isStream(body: SendInit['body']): boolean {
  return body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
