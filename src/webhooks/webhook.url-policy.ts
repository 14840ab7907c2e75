/**
 * Where a webhook may send: the upstream registries' rule (registries/adapters/origin-policy.ts:
 * the URL's own origin only, plain HTTP only to loopback unless the webhook is `insecure`), plus one
 * more, since the URL's author picks the target: no private, loopback, link-local or otherwise
 * internal address unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES is set. Checked when a webhook is saved
 * and again before every delivery (the name is resolved then: DNS may have changed).
 */
import { lookup as lookupCallback, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { InvalidInputError } from '../errors.js';
import { OriginPolicy } from '../registries/adapters/origin-policy.js';

/** The issue code (`extensions.issues[0].code`) of a refused URL. */
export const WEBHOOK_URL_REFUSED = 'WEBHOOK_URL_REFUSED';

const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b:1::', 48],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv6');
}

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail and a zone allowed). */
function groupsOf(address: string): number[] {
  let text = address.split('%')[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const front = head ? head.split(':') : [];
  const back = tail === undefined ? null : tail ? tail.split(':') : [];
  const groups = back === null ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return groups.map((g) => parseInt(g, 16));
}

/**
 * The IPv4 address an IPv6 one reaches it through, if any: NAT64 (64:ff9b::/96), 6to4 (2002::/16),
 * IPv4-compatible (::/96), IPv4-mapped (::ffff:0:0/96) and IPv4-translated (::ffff:0:0:0/96).
 */
function embeddedIPv4(address: string): string | null {
  const g = groupsOf(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  if (zeros(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return v4(g[6]!, g[7]!);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!);
  return null;
}

/**
 * True for an address no public webhook lives at. An IPv6 address carrying an IPv4 one (mapped,
 * NAT64, 6to4...) is judged by that IPv4 address: 64:ff9b::a9fe:a9fe is the metadata service.
 */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  const v4 = embeddedIPv4(address);
  if (v4 !== null && INTERNAL.check(v4, 'ipv4')) return true;
  return INTERNAL.check(address, 'ipv6');
}

export interface WebhookUrlRules {
  allowPrivateAddresses: boolean;
  /** Resolves a host name to its addresses (tests give their own). */
  resolve?: (host: string) => Promise<string[]>;
}

const defaultResolve = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The URL as stored (parsed and normalised), or InvalidInputError (field `field`, one issue of
 * code WEBHOOK_URL_REFUSED) naming what is wrong: not http(s), credentials in it, plain HTTP elsewhere than
 * loopback without `insecure`, an internal address without WEBHOOK_ALLOW_PRIVATE_ADDRESSES.
 */
export async function checkWebhookUrl(text: string, insecure: boolean, rules: WebhookUrlRules, field = 'url'): Promise<URL> {
  const refuse = (why: string) => {
    const message = `Webhook URL refused: ${why}.`;
    return new InvalidInputError(message, { field, issues: [{ code: WEBHOOK_URL_REFUSED, path: field, message }] });
  };
  if (text.length > 2048) throw refuse('it is longer than 2048 characters');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw refuse('it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('it must be http:// or https://');
  if (url.username || url.password) throw refuse('it must not hold credentials (user:password@); deliveries are signed with the secret');
  if (url.hash) throw refuse('it must not hold a #fragment');
  const originRefusal = new OriginPolicy(url.href, [], insecure, 'webhook').refusal(url);
  if (originRefusal) throw refuse(originRefusal.message.replace(/\.$/, ''));
  if (!rules.allowPrivateAddresses) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await (rules.resolve ?? defaultResolve)(host);
    } catch {
      throw refuse(`its host "${host}" does not resolve`);
    }
    if (addresses.length === 0 || addresses.some(isInternalAddress)) {
      throw refuse(`"${host}" is a private, loopback or link-local address (set WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true to allow internal targets)`);
    }
  }
  return url;
}

/** The socket error code of a connection refused by {@link publicAddressLookup}. */
export const INTERNAL_TARGET_AT_CONNECT = 'EWEBHOOKINTERNAL';

/**
 * The `lookup` of the webhook client's connections (net/tls.connect, through undici's `connect`
 * option): the name is resolved once more at connect time and an internal address refused there,
 * so the address connected to is the one checked. Without it, a name answering a public address to
 * checkWebhookUrl and a loopback one a moment later (DNS rebinding) would reach the internal target.
 */
export function publicAddressLookup(resolve: typeof lookupCallback = lookupCallback): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (...args: never[]) => void) => {
    const answer = callback as unknown as (error: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;
    resolve(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return answer(error);
      const internal = addresses.find((a) => isInternalAddress(a.address));
      if (internal || addresses.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(`webhook target "${hostname}" resolves to an internal address${internal ? ` (${internal.address})` : ''}`);
        refused.code = INTERNAL_TARGET_AT_CONNECT;
        return answer(refused);
      }
      if (options.all) return answer(null, addresses);
      answer(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
