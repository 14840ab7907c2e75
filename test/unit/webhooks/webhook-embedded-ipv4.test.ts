/**
 * IPv6 addresses that carry an IPv4 address reach that IPv4 host: NAT64 (64:ff9b::/96, the cloud
 * metadata service at 64:ff9b::a9fe:a9fe on an IPv6-only cluster), 6to4 (2002::/16), IPv4-compatible
 * (::/96) and IPv4-translated (::ffff:0:0:0/96) forms. They are internal exactly when their IPv4 is;
 * the local-use NAT64 prefix (64:ff9b:1::/48) and deprecated site-local fec0::/10 are internal.
 */
import { isInternalAddress } from '../../../src/webhooks/webhook.url-policy.js';

describe('internal addresses inside IPv6', () => {
  it.each([
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::7f00:1',
    '64:ff9b::10.0.0.5',
    '2002:a9fe:a9fe::',
    '2002:c0a8:101:1::1',
    '::7f00:1',
    '::ffff:0:7f00:1',
    '64:ff9b:1::a00:1',
    'fec0::1',
  ])('%s is internal', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(['64:ff9b::5db8:d822', '2002:5db8:d822::1', '2606:4700::1111'])('%s (a public IPv4 inside, or plain public IPv6) is not', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });
});
