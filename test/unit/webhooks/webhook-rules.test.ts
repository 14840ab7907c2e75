/** The pure parts of webhooks: target URL rules, signatures, bodies, backoff. */
import { createHmac } from 'node:crypto';
import { checkWebhookUrl, isInternalAddress } from '../../../src/webhooks/webhook.url-policy.js';
import { signatureOf, verifySignature } from '../../../src/webhooks/webhook.signature.js';
import { deliveryBodyOf, renderDelivery } from '../../../src/webhooks/webhook.payload.js';
import { backoffMs } from '../../../src/webhooks/webhook.dispatcher.js';
import { InvalidInputError } from '../../../src/errors.js';

const publicDns = { allowPrivateAddresses: false, resolve: async () => ['93.184.216.34'] };

describe('webhook target URLs', () => {
  it('accepts public https targets and loopback http only when internal targets are allowed', async () => {
    expect((await checkWebhookUrl('https://hooks.example.com/in', false, publicDns)).href).toBe('https://hooks.example.com/in');
    expect((await checkWebhookUrl('http://127.0.0.1:9000/in', false, { allowPrivateAddresses: true })).href).toBe('http://127.0.0.1:9000/in');
  });

  it.each([
    ['http://127.0.0.1:9000/in', 'private'],
    ['https://10.1.2.3/in', 'private'],
    ['https://[::1]/in', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://[::ffff:192.168.1.1]/x', 'private'],
    ['ftp://hooks.example.com/in', 'http:// or https://'],
    ['http://hooks.example.com/in', 'plain HTTP; set the webhook\'s "insecure" option'],
    ['https://u:p@hooks.example.com/in', 'credentials'],
    ['not a url', 'not a URL'],
  ])('refuses %s', async (url, why) => {
    const refused = await checkWebhookUrl(url, false, publicDns).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).message).toContain(why);
    expect((refused as InvalidInputError).extensions).toMatchObject({ field: 'url', issues: [{ code: 'WEBHOOK_URL_REFUSED' }] });
  });

  it('refuses a name that resolves to an internal address, and allows plain HTTP elsewhere when insecure', async () => {
    const internalDns = { allowPrivateAddresses: false, resolve: async () => ['10.0.0.5'] };
    await expect(checkWebhookUrl('https://sneaky.example.com/', false, internalDns)).rejects.toThrow(/private/);
    expect((await checkWebhookUrl('http://hooks.example.com/in', true, publicDns)).protocol).toBe('http:');
  });

  it('knows internal addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.0.1', '100.64.0.1', '::1', 'fd00::1', 'fe80::1', '0.0.0.0']) expect(isInternalAddress(a)).toBe(true);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111']) expect(isInternalAddress(a)).toBe(false);
  });
});

describe('delivery signatures', () => {
  it('signs "t.body" with HMAC-SHA256 and verifies within the window only', () => {
    const header = signatureOf('s3cret-s3cret-s3cret', 1_700_000_000, '{"a":1}');
    // Independent check of the documented scheme.
    expect(header).toBe(`t=1700000000,v1=${createHmac('sha256', 's3cret-s3cret-s3cret').update('1700000000.{"a":1}').digest('hex')}`);
    expect(verifySignature('s3cret-s3cret-s3cret', header, '{"a":1}', { now: 1_700_000_100 })).toBe(true);
    expect(verifySignature('s3cret-s3cret-s3cret', header, '{"a":1}', { now: 1_700_000_301 })).toBe(false);
    expect(verifySignature('s3cret-s3cret-s3cret', header, '{"a":2}', { now: 1_700_000_000 })).toBe(false);
    expect(verifySignature('s3cret-s3cret-s3cret', 'garbage', '{"a":1}')).toBe(false);
  });
});

describe('delivery bodies', () => {
  const event = {
    id: '42',
    type: 'PACK_VERSION_PUBLISHED' as const,
    occurredAt: new Date('2026-11-26T10:00:00Z'),
    registryId: 'r',
    registryName: 'team',
    pack: 'nginx',
    version: '1.2.3',
    data: { digest: 'sha256:ab' },
  };
  it('writes JSON and CloudEvents 1.0 structured mode', () => {
    const body = deliveryBodyOf(event, 'Q2F0YWxvZ0V2ZW50OjQy', 'w1', 'd1');
    const json = renderDelivery(body, 'JSON', 'https://c.example');
    expect(json.contentType).toBe('application/json');
    expect(JSON.parse(json.body)).toEqual({ ...body });
    const ce = renderDelivery(body, 'CLOUDEVENTS', 'https://c.example');
    expect(ce.contentType).toBe('application/cloudevents+json');
    expect(JSON.parse(ce.body)).toEqual({
      specversion: '1.0',
      id: 'Q2F0YWxvZ0V2ZW50OjQy',
      source: 'https://c.example/registries/team',
      type: 'io.packcatalog.pack_version_published',
      subject: 'nginx@1.2.3',
      time: '2026-11-26T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: body,
    });
  });
});

describe('retry backoff', () => {
  it('doubles from the base, within ±20 %, capped', () => {
    const policy = { backoffBaseMs: 1000, backoffMaxMs: 5000 };
    for (const [attempt, center] of [[1, 1000], [2, 2000], [3, 4000], [4, 5000], [10, 5000]] as const) {
      const delay = backoffMs(attempt, policy);
      expect(delay).toBeGreaterThanOrEqual(center * 0.8);
      expect(delay).toBeLessThanOrEqual(center * 1.2);
    }
  });
});
