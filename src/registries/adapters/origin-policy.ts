/**
 * Where an upstream's HTTP client may go, and where the registry's credentials may go.
 *
 * An upstream chooses URLs we then fetch: pagination links, download URLs, chart URLs, redirects.
 * Left unchecked, a hostile or compromised upstream makes this service fetch any URL it can reach
 * (internal services included) and send the registry's credentials along. The rule, which the one
 * HTTP client (src/platform/http-client.ts) enforces on every request and every redirect hop:
 *
 * - requests go only to the registry endpoint's own origin, or to an origin the registry lists in
 *   `allowedOrigins` (a CDN or object store its downloads redirect to);
 * - like Docker, plain HTTP goes only to loopback hosts unless the registry is `insecure`;
 * - credentials (the `Authorization` header) go only to the endpoint's own origin, never to an
 *   allowed origin; the one exception is the token service an OCI registry's own 401 challenge
 *   names, which receives the Basic credentials to hand out a token (see `forTokenRealm`).
 */
import { UpstreamError } from '../../errors.js';
import { describeUrl, type RequestPolicy } from '../../platform/http-client.js';

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

export class OriginPolicy implements RequestPolicy {
  /** The registry endpoint's origin: the only one that ever receives the registry's credentials. */
  readonly origin: string;
  private readonly allowed: ReadonlySet<string>;

  /**
   * `endpoint` is the registry's URL; `allowedOrigins` the further origins it lists (validated on
   * input); `insecure` allows plain HTTP to hosts other than loopback; `subject` is what a refusal
   * tells the user to configure (a webhook follows the same rule with its own `insecure` option).
   */
  constructor(
    endpoint: string,
    allowedOrigins: readonly string[] = [],
    readonly insecure = false,
    private readonly subject: 'registry' | 'webhook' = 'registry',
  ) {
    this.origin = new URL(endpoint).origin;
    this.allowed = new Set(allowedOrigins.map((origin) => parseOrigin(origin)).filter((origin): origin is string => origin !== null));
  }

  /** True when a request to `url`'s origin is allowed. */
  allows(url: URL): boolean {
    return url.origin === this.origin || this.allowed.has(url.origin);
  }

  /** The UpstreamError for a URL this registry may not reach (naming the refused origin, nothing the upstream sent), or null. */
  refusal(url: URL): UpstreamError | null {
    return this.plainHttpRefusal(url) ?? (this.allows(url) ? null : this.originRefusal(url));
  }

  /** True when `url` may receive the registry's credentials. */
  sendsCredentialsTo(url: URL): boolean {
    return url.origin === this.origin;
  }

  /**
   * The policy of one request to the token service `realm` that the registry's own 401 challenge
   * named (the Bearer token flow): the realm's origin is allowed and alone receives the request's
   * credentials; redirects from it follow this policy.
   */
  forTokenRealm(realm: URL): RequestPolicy {
    const realmOrigin = realm.origin;
    return {
      refusal: (url) => this.plainHttpRefusal(url) ?? (url.origin === realmOrigin || this.allows(url) ? null : this.originRefusal(url)),
      sendsCredentialsTo: (url) => url.origin === realmOrigin,
    };
  }

  private plainHttpRefusal(url: URL): UpstreamError | null {
    if (url.protocol !== 'http:' || this.insecure || isLoopback(url.hostname)) return null;
    return new UpstreamError(`${describeUrl(url)} uses plain HTTP; set the ${this.subject}'s "insecure" option to allow it.`);
  }

  private originRefusal(url: URL): UpstreamError {
    return new UpstreamError(
      `Refused to contact ${url.origin}: the upstream pointed there, but it is neither the registry's origin (${this.origin}) ` +
        'nor one of its allowedOrigins. Add it to the registry\'s allowedOrigins if you trust it.',
    );
  }
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
