/** The one HTTP client as an upstream adapter uses it: under its registry's origin policy and TLS setting. */
import { UpstreamError } from '../../errors.js';
import { describeUrl, type HttpClient, type HttpResponse } from '../../platform/http-client.js';
import type { AdapterRegistry } from './adapter.js';
import { OriginPolicy } from './origin-policy.js';

/** A client view bound to one registry's {@link OriginPolicy}. */
export type RegistryHttpClient = HttpClient<OriginPolicy>;

/** The view of `http` for one registry: its endpoint's origin and `allowedOrigins` only, TLS and plain HTTP as its `insecure` says. */
export function registryHttpClient(http: HttpClient, registry: Pick<AdapterRegistry, 'endpoint' | 'allowedOrigins' | 'insecure'>): RegistryHttpClient {
  if (!registry.endpoint) throw new UpstreamError('The registry has no endpoint.');
  return http.withPolicy(new OriginPolicy(registry.endpoint, registry.allowedOrigins, registry.insecure), { insecureTls: registry.insecure });
}

/** An UpstreamError saying what status came back (without echoing large bodies). */
export function statusError(response: HttpResponse): UpstreamError {
  const hint =
    response.status === 401 ? ' (authentication failed: check the registry credentials)' : response.status === 403 ? ' (access denied)' : '';
  return new UpstreamError(`${describeUrl(response.url)} answered HTTP ${response.status}${hint}.`, response.status);
}

/**
 * Runs one request (`work`, retries included) on a signal of its own that follows the run's
 * `signal`. undici's fetch leaves its abort listener on the signal it is given until the request
 * is garbage collected, so requests made straight on a run's long-lived signal piled listeners on
 * it (`MaxListenersExceededWarning: 11 abort listeners`, seen in every large sync). Here the run's
 * signal holds one listener per request in flight, removed as soon as the request settles; the
 * request's own signal, and whatever undici left on it, goes with the request.
 */
export async function withRequestSignal<T>(signal: AbortSignal | undefined, work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!signal) return work(undefined);
  signal.throwIfAborted();
  const own = new AbortController();
  const follow = () => own.abort(signal.reason);
  signal.addEventListener('abort', follow, { once: true });
  try {
    return await work(own.signal);
  } finally {
    signal.removeEventListener('abort', follow);
  }
}
