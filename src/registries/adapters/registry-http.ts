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
