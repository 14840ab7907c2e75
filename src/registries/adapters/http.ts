/**
 * The one HTTP client every upstream adapter uses. Built on `node:http`/`node:https` rather than
 * `fetch` because `undici` (fetch's engine) is not importable here and unverified TLS needs an agent.
 *
 * Every request has a timeout (until the response headers, then per idle gap of the body), a size
 * bound, and retries with exponential backoff and jitter on 429, 5xx and network failures, honouring
 * `Retry-After` (capped). 4xx answers other than 429 are returned to the caller, which knows what
 * they mean (401: authenticate; 404: gone). Everything else that goes wrong is an `UpstreamError`.
 *
 * A client is made for one registry and enforces its {@link OriginPolicy} on every request and every
 * redirect hop: other origins than the registry's own and its `allowedOrigins` are refused before
 * any connection, and the `Authorization` header goes only to the registry's own origin. Adapters
 * may pass their credentials on every request; the client decides where they may go.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UpstreamError } from '../../errors.js';
import type { AdapterRegistry } from './adapter.js';
import { OriginPolicy } from './origin-policy.js';

/** How patient and how trusting the client is. */
export interface HttpClientOptions {
  /** Allow plain HTTP to non-loopback hosts and TLS certificates that don't verify. */
  insecure?: boolean;
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
}

export interface HttpRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Overrides `maxResponseBytes` for this request. */
  maxBytes?: number;
  /**
   * This request goes to the token service the registry's own 401 challenge named (the Bearer
   * token flow): its origin is allowed for this request and receives its `Authorization` header.
   * Redirects from it follow the registry's policy. Only the OCI client sets this.
   */
  tokenRealm?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: IncomingMessage['headers'];
  /** The URL that answered (after redirects). */
  url: string;
  body: Buffer;
}

export interface DownloadRequest extends Omit<HttpRequest, 'method' | 'body'> {
  /** Folder the file is written to; the caller removes the file. */
  dir: string;
  /** `sha256:<hex>` the bytes must hash to. */
  expectedDigest?: string;
  expectedSize?: number;
}

export interface Download {
  path: string;
  size: number;
  /** `sha256:<hex>` of the bytes written. */
  digest: string;
}

const MIB = 1024 * 1024;
const MAX_REDIRECTS = 5;
const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
  maxRetryAfterMs: 30_000,
  maxResponseBytes: 16 * MIB,
  maxDownloadBytes: 512 * MIB,
  userAgent: 'pack-catalog-sync/1',
};

/** A failure worth another attempt (the caller's budget permitting), with the server's wish if it stated one. */
class RetryableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * `Retry-After` in milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent
 * or unreadable. Negative waits (a date in the past) become 0; `capMs` bounds the result.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now(), capMs = Infinity): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // An HTTP date names its month (`Wed, 21 Oct 2015 07:28:00 GMT`); `-1` or `1.5` is neither form.
    const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, capMs);
}

/**
 * The links of an RFC 8288 `Link` header by relation (`next`, `prev`...), resolved against `base`.
 * Registries send `</v2/_catalog?last=x&n=100>; rel="next"`.
 */
export function parseLinkHeader(value: string | string[] | undefined, base: string): Record<string, string> {
  const links: Record<string, string> = {};
  const text = Array.isArray(value) ? value.join(',') : value;
  if (!text) return links;
  const pattern = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
  for (const match of text.matchAll(pattern)) {
    const params = match[2];
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    if (!rel) continue;
    let target: string;
    try {
      target = new URL(match[1], base).toString();
    } catch {
      continue;
    }
    for (const name of (rel[1] ?? rel[2]).split(/\s+/).filter(Boolean)) links[name.toLowerCase()] ??= target;
  }
  return links;
}

/** One `WWW-Authenticate` challenge: its scheme and parameters (quoted values unquoted). */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="https://a/token",service="reg",scope="repository:x:pull,push"` (first challenge only). */
export function parseAuthChallenge(value: string | string[] | undefined): AuthChallenge | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  const scheme = /^([A-Za-z][\w-]*)\s*/.exec(text);
  if (!scheme) return null;
  const params: Record<string, string> = {};
  const pattern = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/gy;
  pattern.lastIndex = scheme[0].length;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null && match[0] !== '') {
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return { scheme: scheme[1].toLowerCase(), params };
}

/** Full-jitter-ish exponential backoff: between half and all of base * 2^attempt, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Cuts a URL to what a message may show: no credentials, no query. */
export function describeUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new UpstreamError('The sync was cancelled.');
}

/** The client for one registry: requests only to its endpoint's origin and its `allowedOrigins`, TLS as its `insecure` says. */
export function createRegistryHttpClient(
  registry: Pick<AdapterRegistry, 'endpoint' | 'allowedOrigins' | 'insecure'>,
  options: HttpClientOptions = {},
): HttpClient {
  if (!registry.endpoint) throw new UpstreamError('The registry has no endpoint.');
  return new HttpClient(new OriginPolicy(registry.endpoint, registry.allowedOrigins), { ...options, insecure: registry.insecure });
}

export class HttpClient {
  private readonly options: Required<Omit<HttpClientOptions, 'insecure'>> & { insecure: boolean };
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;

  constructor(
    private readonly policy: OriginPolicy,
    options: HttpClientOptions = {},
  ) {
    this.options = { ...DEFAULTS, insecure: false, ...stripUndefined(options) };
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: !this.options.insecure });
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  /** The registry origin and allowed origins this client enforces. */
  get originPolicy(): OriginPolicy {
    return this.policy;
  }

  /** Frees kept-alive sockets. */
  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  /** Sends a request and buffers the (bounded) answer; retries 429/5xx/network failures. */
  async request(url: string, init: HttpRequest = {}): Promise<HttpResponse> {
    return this.withRetries(url, init.signal, () => this.once(url, init));
  }

  /** GET as JSON; any status but 2xx is an UpstreamError, a body that isn't JSON too. */
  async getJson<T>(url: string, init: HttpRequest = {}): Promise<{ data: T; response: HttpResponse }> {
    const response = await this.request(url, init);
    if (response.status < 200 || response.status >= 300) throw statusError(response);
    return { data: parseJsonBody<T>(response), response };
  }

  /**
   * Streams a GET into a new file under `dir` with a size cap, hashing as it goes. A body shorter
   * than its Content-Length (a dropped connection), longer than the cap, or hashing to something
   * other than `expectedDigest` is an error and leaves no file behind. Retried like `request`.
   */
  async download(url: string, init: DownloadRequest): Promise<Download> {
    return this.withRetries(url, init.signal, () => this.downloadOnce(url, init));
  }

  private async withRetries<T>(url: string, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    const { retries, backoffBaseMs, backoffMaxMs } = this.options;
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        if (!(error instanceof RetryableError)) throw error;
        if (tries >= retries) {
          throw new UpstreamError(`${error.message} (gave up after ${tries + 1} attempts)`, error.status, error.retryAfterMs);
        }
        await sleep(error.retryAfterMs ?? backoffDelay(tries, backoffBaseMs, backoffMaxMs), signal);
      }
    }
  }

  private checkUrl(url: URL): void {
    if (url.protocol === 'https:') return;
    if (url.protocol !== 'http:') throw new UpstreamError(`Unsupported URL scheme ${url.protocol} in ${describeUrl(url)}.`);
    // Like Docker: plain HTTP is fine on loopback, anywhere else only when the registry says insecure.
    if (!this.options.insecure && !isLoopback(url.hostname)) {
      throw new UpstreamError(`${describeUrl(url)} uses plain HTTP; set the registry's "insecure" option to allow it.`);
    }
  }

  /** One exchange, following redirects; resolves with the response still unread. */
  private async open(url: string, init: HttpRequest): Promise<{ response: IncomingMessage; url: string; done: () => void }> {
    let current = new URL(url);
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent };
    let authorization: string | undefined;
    for (const [key, value] of Object.entries(init.headers ?? {})) {
      if (key.toLowerCase() === 'authorization') authorization = value;
      else headers[key] = value;
    }
    // The token service a registry's challenge named gets the credentials; anywhere else only the registry does.
    const realmOrigin = init.tokenRealm ? current.origin : undefined;
    const credentialOrigin = realmOrigin ?? this.policy.origin;
    const method = init.method ?? 'GET';
    for (let hop = 0; ; hop++) {
      this.checkUrl(current);
      this.policy.check(current, realmOrigin);
      // Like browsers and curl: once a hop leaves the credentials' origin, they are gone for good.
      if (current.origin !== credentialOrigin) authorization = undefined;
      const sent = authorization !== undefined ? { ...headers, authorization } : headers;
      const opened = await this.exchange(current, method, sent, init.body, init.signal);
      const status = opened.response.statusCode ?? 0;
      const location = opened.response.headers.location;
      if (![301, 302, 303, 307, 308].includes(status) || !location || (method !== 'GET' && method !== 'HEAD')) {
        return { ...opened, url: current.toString() };
      }
      opened.response.resume();
      opened.done();
      if (hop >= MAX_REDIRECTS) throw new UpstreamError(`Too many redirects from ${describeUrl(url)}.`);
      try {
        current = new URL(location, current);
      } catch {
        throw new UpstreamError(`${describeUrl(current)} redirected to something that is not a URL.`);
      }
    }
  }

  private exchange(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ response: IncomingMessage; done: () => void }> {
    const { timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(url, {
        method,
        headers: body !== undefined ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers,
        agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
      });
      let settled = false;
      const headerTimer = setTimeout(() => {
        request.destroy(new RetryableError(`${describeUrl(url)} did not answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const onAbort = () => request.destroy(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(headerTimer);
        signal?.removeEventListener('abort', onAbort);
      };
      request.on('response', (response) => {
        clearTimeout(headerTimer);
        // From here on the timeout is per silence: a slow but steady download is fine.
        response.setTimeout(timeoutMs, () => {
          response.destroy(new RetryableError(`${describeUrl(url)} stalled for ${timeoutMs / 1000} s mid-response`));
        });
        settled = true;
        resolve({ response, done });
      });
      request.on('error', (error) => {
        done();
        if (settled) return;
        settled = true;
        reject(describeNetworkError(error, url));
      });
      request.end(body);
    });
  }

  private async once(url: string, init: HttpRequest): Promise<HttpResponse> {
    const { response, url: finalUrl, done } = await this.open(url, init);
    try {
      const status = response.statusCode ?? 0;
      if (status === 429 || status >= 500) {
        response.resume();
        throw this.retryable(status, response, finalUrl);
      }
      const limit = init.maxBytes ?? this.options.maxResponseBytes;
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        response.destroy();
        throw new UpstreamError(`${describeUrl(finalUrl)} answered ${declared} bytes, more than the ${limit} allowed.`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of response) {
          size += (chunk as Buffer).length;
          if (size > limit) {
            response.destroy();
            throw new UpstreamError(`${describeUrl(finalUrl)} answered more than the ${limit} bytes allowed.`);
          }
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        if (error instanceof UpstreamError || error instanceof RetryableError) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new RetryableError(`${describeUrl(finalUrl)} broke off after ${size} bytes (${code}; truncated)`);
      }
      if (Number.isFinite(declared) && init.method !== 'HEAD' && size !== declared) {
        throw new RetryableError(`${describeUrl(finalUrl)} sent ${size} of ${declared} bytes`);
      }
      return { status, headers: response.headers, url: finalUrl, body: Buffer.concat(chunks) };
    } finally {
      done();
    }
  }

  private async downloadOnce(url: string, init: DownloadRequest): Promise<Download> {
    const { response, url: finalUrl, done } = await this.open(url, { ...init, method: 'GET' });
    const file = path.join(init.dir, `${randomUUID()}.download`);
    try {
      const status = response.statusCode ?? 0;
      if (status === 429 || status >= 500) {
        response.resume();
        throw this.retryable(status, response, finalUrl);
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new UpstreamError(`${describeUrl(finalUrl)} answered HTTP ${status}.`, status);
      }
      const limit = Math.min(init.maxBytes ?? this.options.maxDownloadBytes, this.options.maxDownloadBytes);
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        response.destroy();
        throw new UpstreamError(`${describeUrl(finalUrl)} offers ${declared} bytes, more than the ${limit} allowed.`);
      }
      const hash = createHash('sha256');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size > limit) return callback(new UpstreamError(`${describeUrl(finalUrl)} sent more than the ${limit} bytes allowed.`));
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      try {
        await pipeline(response, counter, createWriteStream(file, { flags: 'wx' }));
      } catch (error) {
        if (error instanceof UpstreamError || error instanceof RetryableError) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        const of = Number.isFinite(declared) ? ` of ${declared}` : '';
        throw new RetryableError(`${describeUrl(finalUrl)} broke off after ${size}${of} bytes (${code}; truncated)`);
      }
      if (Number.isFinite(declared) && size !== declared) {
        throw new RetryableError(`${describeUrl(finalUrl)} sent ${size} of ${declared} bytes (truncated)`);
      }
      if (init.expectedSize !== undefined && size !== init.expectedSize) {
        throw new UpstreamError(`${describeUrl(finalUrl)} sent ${size} bytes where ${init.expectedSize} were expected (truncated or altered).`);
      }
      const digest = `sha256:${hash.digest('hex')}`;
      if (init.expectedDigest && digest !== init.expectedDigest.toLowerCase()) {
        throw new UpstreamError(`${describeUrl(finalUrl)} sent bytes hashing to ${digest}, not the expected ${init.expectedDigest}.`);
      }
      return { path: file, size, digest };
    } catch (error) {
      await rm(file, { force: true }).catch(() => undefined);
      throw error;
    } finally {
      done();
    }
  }

  private retryable(status: number, response: IncomingMessage, url: string): RetryableError {
    const wait = parseRetryAfter(response.headers['retry-after'], Date.now(), this.options.maxRetryAfterMs);
    return new RetryableError(`${describeUrl(url)} answered HTTP ${status}`, status, wait);
  }
}

function describeNetworkError(error: unknown, url: URL): Error {
  if (error instanceof RetryableError || error instanceof UpstreamError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    // A certificate problem won't fix itself by retrying.
    return new UpstreamError(`TLS verification failed for ${describeUrl(url)} (${code}); set "insecure" only if you trust this network.`);
  }
  if ((error as Error).name === 'AbortError' && !code) return error as Error;
  return new RetryableError(`Could not reach ${describeUrl(url)} (${code ?? (error as Error).message})`);
}

/** An UpstreamError saying what status came back (without echoing large bodies). */
export function statusError(response: HttpResponse): UpstreamError {
  const hint =
    response.status === 401 ? ' (authentication failed: check the registry credentials)' : response.status === 403 ? ' (access denied)' : '';
  return new UpstreamError(`${describeUrl(response.url)} answered HTTP ${response.status}${hint}.`, response.status);
}

/** The body as JSON, or an UpstreamError naming the URL when it isn't. */
export function parseJsonBody<T>(response: HttpResponse): T {
  try {
    return JSON.parse(response.body.toString('utf8')) as T;
  } catch {
    throw new UpstreamError(`${describeUrl(response.url)} answered something that is not JSON.`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
