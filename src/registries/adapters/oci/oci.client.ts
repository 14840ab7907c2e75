/**
 * The OCI distribution API with its two authentication schemes: Basic, and the Bearer token flow
 * (a 401 carries `WWW-Authenticate: Bearer realm=...,service=...,scope=...`; we ask the realm for a
 * token, with our credentials if we have any, and retry). Tokens are cached per scope until they
 * expire.
 *
 * Where credentials go is the registry's origin policy, which the HTTP client enforces (see
 * origin-policy.ts): Basic credentials and tokens reach only the registry's origin, plus the token
 * realm for the token request itself (`forTokenRealm`). Only a challenge the registry's own origin
 * answered is obeyed: an allowed foreign origin (a CDN) cannot name a realm and collect the
 * credentials.
 */
import { UpstreamError } from '../../../errors.js';
import type { RegistryCredentials } from '../../registry.model.js';
import { describeUrl, parseAuthChallenge, parseJsonBody, type Download, type HttpResponse } from '../../../platform/http-client.js';
import { statusError, withRequestSignal, type RegistryHttpClient } from '../registry-http.js';

export interface OciRequest {
  /** The token scope this request needs (`repository:<repo>:pull`, `registry:catalog:*`). */
  scope: string;
  accept?: string;
  method?: 'GET' | 'HEAD';
  signal?: AbortSignal;
  maxBytes?: number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

// Registries may omit expires_in; the distribution spec says to assume 60 s.
const DEFAULT_TOKEN_SECONDS = 60;
const TOKEN_SAFETY_MS = 5_000;

export class OciClient {
  private scheme: 'basic' | 'bearer' | null = null;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pendingTokens = new Map<string, Promise<string>>();

  constructor(
    /** `https://host[:port]`: the API lives at `/v2/` on it. */
    readonly origin: string,
    private readonly credentials: RegistryCredentials | null,
    private readonly http: RegistryHttpClient,
  ) {}

  /** An absolute URL for an API path (`/v2/...`) or a pagination link. */
  url(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.origin).toString();
  }

  /** A request with authentication handled; 401 after authenticating is an UpstreamError. */
  async request(pathOrUrl: string, request: OciRequest): Promise<HttpResponse> {
    const url = this.url(pathOrUrl);
    const send = () =>
      withRequestSignal(request.signal, (signal) =>
        this.http.request(url, {
          method: request.method ?? 'GET',
          headers: { ...(request.accept ? { accept: request.accept } : {}), ...this.authorization(request.scope) },
          signal,
          maxBytes: request.maxBytes,
        }),
      );
    let response = await send();
    if (response.status === 401 && (await this.authenticate(response, request.scope, request.signal))) response = await send();
    if (response.status === 401) throw statusError(response);
    return response;
  }

  /** Streams a blob to a file, verifying its digest and size. */
  async download(pathOrUrl: string, request: OciRequest & { dir: string; expectedDigest?: string; expectedSize?: number }): Promise<Download> {
    const url = this.url(pathOrUrl);
    const send = () =>
      withRequestSignal(request.signal, (signal) =>
        this.http.download(url, {
          dir: request.dir,
          headers: this.authorization(request.scope),
          signal,
          maxBytes: request.maxBytes,
          expectedDigest: request.expectedDigest,
          expectedSize: request.expectedSize,
        }),
      );
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.status !== 401) throw error;
      // The token for this scope expired (or was never asked for): a HEAD answers with a fresh challenge.
      this.tokens.delete(request.scope);
      await this.request(pathOrUrl, { ...request, method: 'HEAD' });
      return send();
    }
  }

  private authorization(scope: string): Record<string, string> {
    const { username, password, token } = this.credentials ?? {};
    if (this.scheme === 'bearer') {
      const cached = this.tokens.get(scope);
      if (cached && cached.expiresAt > Date.now()) return { authorization: `Bearer ${cached.token}` };
      return {};
    }
    if (this.scheme === 'basic' && username) return { authorization: `Basic ${basic(username, password ?? token ?? '')}` };
    // A token without a user name is sent as it is (registries that take personal access tokens directly).
    if (!username && token) return { authorization: `Bearer ${token}` };
    return {};
  }

  /** Reacts to a 401's challenge; true when a retry may now succeed. */
  private async authenticate(response: HttpResponse, scope: string, signal?: AbortSignal): Promise<boolean> {
    if (new URL(response.url).origin !== this.origin) return false;
    const challenge = parseAuthChallenge(response.headers['www-authenticate']);
    if (!challenge) return false;
    if (challenge.scheme === 'basic') {
      if (this.scheme === 'basic' || !this.credentials?.username) return false;
      this.scheme = 'basic';
      return true;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) return false;
    const wanted = challenge.params.scope ?? scope;
    const previous = this.tokens.get(scope);
    const token = await this.fetchToken(challenge.params.realm, challenge.params.service, wanted, signal);
    this.scheme = 'bearer';
    this.tokens.set(scope, { token, expiresAt: this.tokens.get(wanted)?.expiresAt ?? Date.now() + DEFAULT_TOKEN_SECONDS * 1000 });
    // The very same token refused again would loop: only retry with a different one.
    return previous?.token !== token;
  }

  private fetchToken(realm: string, service: string | undefined, scope: string, signal?: AbortSignal): Promise<string> {
    const key = `${realm}|${service ?? ''}|${scope}`;
    let pending = this.pendingTokens.get(key);
    if (!pending) {
      pending = this.requestToken(realm, service, scope, signal).finally(() => this.pendingTokens.delete(key));
      this.pendingTokens.set(key, pending);
    }
    return pending;
  }

  private async requestToken(realm: string, service: string | undefined, scope: string, signal?: AbortSignal): Promise<string> {
    let url: URL;
    try {
      url = new URL(realm, this.origin);
    } catch {
      throw new UpstreamError('The registry named a token service that is not a URL.');
    }
    if (service) url.searchParams.set('service', service);
    if (scope) url.searchParams.set('scope', scope);
    const { username, password, token } = this.credentials ?? {};
    const headers: Record<string, string> = username ? { authorization: `Basic ${basic(username, password ?? token ?? '')}` } : {};
    // The realm is allowed for this request alone, and alone gets the credentials.
    const realmHttp = this.http.withPolicy(this.http.policy.forTokenRealm(url));
    const response = await withRequestSignal(signal, (own) => realmHttp.request(url.toString(), { headers, signal: own, maxBytes: 1024 * 1024 }));
    if (response.status === 401 || response.status === 403) {
      throw new UpstreamError(`The token service ${describeUrl(url)} refused the credentials (HTTP ${response.status}).`, response.status);
    }
    if (response.status !== 200) throw statusError(response);
    const body = parseJsonBody<{ token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown }>(response);
    const value = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!value) throw new UpstreamError(`The token service ${describeUrl(url)} answered without a token.`);
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    this.tokens.set(scope, { token: value, expiresAt: Date.now() + seconds * 1000 - TOKEN_SAFETY_MS });
    return value;
  }
}

function basic(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}
