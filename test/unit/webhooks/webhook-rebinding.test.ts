/**
 * DNS rebinding: the target's name is checked when a delivery starts, but the connection resolves it
 * again. A name that answers a public address to the check and a loopback one to the connection
 * (here: the check's resolver says public, the system's says 127.0.0.1 for "localhost") must not
 * reach the internal server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../../src/platform/http-client.js';
import { publicAddressLookup } from '../../../src/webhooks/webhook.url-policy.js';
import { WebhookSender } from '../../../src/webhooks/webhook.sender.js';

describe('webhook deliveries and DNS rebinding', () => {
  let server: Server;
  let port: number;
  let received = 0;
  let http: HttpClient;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      received += 1;
      res.end('internal');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await http?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects only to the public addresses it checked: a name resolving to loopback at connect time is refused', async () => {
    const rules = { allowPrivateAddresses: false, resolve: async () => ['93.184.216.34'] };
    http = new HttpClient({ timeoutMs: 2000, retries: 0, connectLookup: publicAddressLookup() });
    const sender = new WebhookSender(http, rules);
    const rendered = { contentType: 'application/json', type: 'ping', body: '{}' };
    const result = await sender.send({ url: `http://localhost:${port}/hook`, insecure: true, secret: 's'.repeat(32), deliveryId: 'd1' }, rendered as never);
    expect(received).toBe(0);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/internal address/);
  });
});
