/**
 * Where the OCI client's credentials go, against loopback servers on three ports (three origins):
 * the registry, an origin the registry allows (a CDN), and a token service the CDN names.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../../src/platform/http-client.js';
import { OciClient } from '../../../src/registries/adapters/oci/oci.client.js';
import { OriginPolicy } from '../../../src/registries/adapters/origin-policy.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; seen: Array<string | undefined>; close: () => Promise<void> }> {
  const seen: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('OciClient credentials', () => {
  const credentials = { username: 'robot', password: 'oci-secret' };
  const basic = `Basic ${Buffer.from('robot:oci-secret').toString('base64')}`;

  it('obeys a token challenge from the registry only: an allowed origin naming a realm gets nothing, nor does the realm', async () => {
    const realm = await serve((_req, res) => res.end(JSON.stringify({ token: 'stolen' })));
    const cdn = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="x"` });
      res.end();
    });
    const registry = await serve((req, res) => {
      if (!req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' });
        return res.end();
      }
      res.end('{}');
    });
    try {
      const client = new OciClient(registry.url, credentials, new HttpClient({ retries: 0 }).withPolicy(new OriginPolicy(registry.url, [cdn.url])));
      expect((await client.request('/v2/', { scope: 'registry:catalog:*' })).status).toBe(200);
      await expect(client.request(`${cdn.url}/v2/_catalog?last=a`, { scope: 'registry:catalog:*' })).rejects.toThrow(/HTTP 401/);
      expect(registry.seen).toEqual([undefined, basic]);
      expect(cdn.seen).toEqual([undefined]);
      expect(realm.seen).toEqual([]);
    } finally {
      await Promise.all([realm.close(), cdn.close(), registry.close()]);
    }
  });

  it('gives the realm the registry names its Basic credentials, and the token to the registry alone', async () => {
    const realm = await serve((_req, res) => res.end(JSON.stringify({ token: 'granted', expires_in: 300 })));
    const cdn = await serve((_req, res) => res.end(JSON.stringify({ repositories: [] })));
    const registry = await serve((req, res) => {
      if (req.headers.authorization !== 'Bearer granted') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="reg",scope="registry:catalog:*"` });
        return res.end();
      }
      res.end(JSON.stringify({ repositories: ['a'] }));
    });
    try {
      const client = new OciClient(registry.url, credentials, new HttpClient({ retries: 0 }).withPolicy(new OriginPolicy(registry.url, [cdn.url])));
      expect((await client.request('/v2/_catalog', { scope: 'registry:catalog:*' })).status).toBe(200);
      expect((await client.request(`${cdn.url}/v2/_catalog?last=a`, { scope: 'registry:catalog:*' })).status).toBe(200);
      expect(realm.seen).toEqual([basic]);
      expect(registry.seen).toEqual([undefined, 'Bearer granted']);
      expect(cdn.seen).toEqual([undefined]);
    } finally {
      await Promise.all([realm.close(), cdn.close(), registry.close()]);
    }
  });
});
