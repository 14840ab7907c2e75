/** Reading what an HTTP answer says in its headers, and naming URLs safely in messages. */
import type { Headers } from 'undici';

/** Response headers by lowercase name (repeated headers joined with `, `, as fetch does). */
export type HttpHeaders = Readonly<Record<string, string | undefined>>;

export function headersOf(headers: Headers): HttpHeaders {
  return Object.fromEntries(headers.entries());
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
