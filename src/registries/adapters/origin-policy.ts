/**
 * Where an upstream's HTTP client may go, and where the registry's credentials may go.
 *
 * An upstream chooses URLs we then fetch: pagination links, download URLs, chart URLs, redirects.
 * Left unchecked, a hostile or compromised upstream makes this service fetch any URL it can reach
 * (internal services included) and send the registry's credentials along. The rule, enforced by
 * the one upstream client (http.ts) on every request and every redirect hop:
 *
 * - requests go only to the registry endpoint's own origin, or to an origin the registry lists in
 *   `allowedOrigins` (a CDN or object store its downloads redirect to);
 * - credentials (the `Authorization` header) go only to the endpoint's own origin, never to an
 *   allowed origin; the one exception is the token service an OCI registry's own 401 challenge
 *   names, which receives the Basic credentials to hand out a token (see `tokenRealm` in http.ts).
 */
import { UpstreamError } from '../../errors.js';

/**
 * The canonical origin (`scheme://host[:port]`, lowercase host, default port dropped) of an
 * http(s) origin written by a user, or null when `value` is anything more or less than an origin
 * (a path, a query, credentials, another scheme).
 */
export function parseOrigin(value: string): string | null {
  const text = value.trim();
  // Nothing but scheme, host and port (one trailing slash tolerated): no path, query, fragment or user info.
  if (!/^https?:\/\/[^/?#@\s\\]+\/?$/i.test(text)) return null;
  try {
    return new URL(text).origin;
  } catch {
    return null;
  }
}

export class OriginPolicy {
  /** The registry endpoint's origin: the only one that ever receives the registry's credentials. */
  readonly origin: string;
  private readonly allowed: ReadonlySet<string>;

  /** `endpoint` is the registry's URL; `allowedOrigins` the further origins it lists (validated on input). */
  constructor(endpoint: string, allowedOrigins: readonly string[] = []) {
    this.origin = new URL(endpoint).origin;
    this.allowed = new Set(allowedOrigins.map((origin) => parseOrigin(origin)).filter((origin): origin is string => origin !== null));
  }

  /** True when a request to `url` is allowed. */
  allows(url: URL): boolean {
    return url.origin === this.origin || this.allowed.has(url.origin);
  }

  /** Throws an UpstreamError naming the refused origin (and nothing the upstream sent) unless allowed. */
  check(url: URL, extraOrigin?: string): void {
    if (this.allows(url) || url.origin === extraOrigin) return;
    throw new UpstreamError(
      `Refused to contact ${url.origin}: the upstream pointed there, but it is neither the registry's origin (${this.origin}) ` +
        'nor one of its allowedOrigins. Add it to the registry\'s allowedOrigins if you trust it.',
    );
  }

  /** True when `url` may receive the registry's credentials. */
  sendsCredentialsTo(url: URL): boolean {
    return url.origin === this.origin;
  }
}
