/**
 * A token issuer for docker-registry's `auth: token` mode (the Docker Registry v2 token spec, as
 * docker_auth or Harbor's core implement it): checks Basic credentials, then signs an RS256 JWT
 * with a self-signed certificate (made with openssl) that the registry trusts through its
 * `rootcertbundle`. The registry itself verifies every token: nothing of the registry protocol is
 * imitated here, only the issuer side it delegates to.
 */
import { execFileSync } from 'node:child_process';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TokenIssuer {
  realm: string;
  service: string;
  issuer: string;
  rootCertBundle: string;
  /** Scopes asked for, in order (to check the client asked per repository). */
  requests: Array<{ scope: string | null; user: string | null }>;
  close(): Promise<void>;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export async function startTokenIssuer(users: Record<string, string>): Promise<TokenIssuer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-token-'));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=test-token-issuer'], {
    stdio: 'ignore',
  });
  const key = await readFile(keyPath, 'utf8');
  const certDer = new X509Certificate(await readFile(certPath)).raw;
  const service = 'pack-catalog-test-registry';
  const issuer = 'pack-catalog-test-issuer';
  const requests: TokenIssuer['requests'] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scope = url.searchParams.get('scope');
    const header = req.headers.authorization ?? '';
    const [user, password] = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString().split(':') : [null, null];
    requests.push({ scope, user });
    if (!user || users[user] !== password) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
    }
    // Grant what is asked: `repository:<name>:<actions>` or `registry:catalog:*`.
    const access = (scope ? scope.split(' ') : []).map((entry) => {
      const first = entry.indexOf(':');
      const last = entry.lastIndexOf(':');
      return { type: entry.slice(0, first), name: entry.slice(first + 1, last), actions: entry.slice(last + 1).split(',') };
    });
    const now = Math.floor(Date.now() / 1000);
    const head = { alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] };
    const claims = { iss: issuer, sub: user, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const signingInput = `${base64url(JSON.stringify(head))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
    const token = `${signingInput}.${base64url(signature)}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    rootCertBundle: certPath,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
