/**
 * Multipart uploads stream from the request to the resolver (graphql-upload-minimal, no temporary
 * file): whatever the resolver does with the file, the request still ends and its connection
 * carries the next one. Over a real loopback server with a keep-alive agent, so that a request
 * body left half read would stall the second request on the same connection.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { PUSH_PACK } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const MIB = 1024 * 1024;
const LIMIT = 2 * MIB;
const CREATE_HOSTED = 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }';

interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
}

function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----uploads-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const type = part.filename ? 'Content-Type: application/gzip\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('multipart uploads over a kept-alive connection', () => {
  let t: TestApp;
  let server: http.Server;
  let agent: http.Agent;
  let registry: string;
  let sockets = 0;

  /** One request on the shared agent; rejects when no answer comes in time (a stalled request). */
  const send = (parts: Part[]): Promise<{ status: number; body: any }> => {
    const { body, contentType } = multipart(parts);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer: the request stalled')), 20_000);
      const req = http.request({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: '/graphql',
        agent,
        headers: { authorization: `Bearer ${t.adminToken}`, 'apollo-require-preflight': 'true', 'content-type': contentType, 'content-length': body.length },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) });
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
  };
  const operations = (query: string, variables: Record<string, unknown>) => ({ name: 'operations', value: JSON.stringify({ query, variables }) });
  const map = (value: Record<string, string[]>) => ({ name: 'map', value: JSON.stringify(value) });
  const pushParts = (target: string, archive: Buffer, extra: Part[] = []): Part[] => [
    operations(PUSH_PACK, { registry: target, archive: null }),
    map({ 0: ['variables.archive'] }),
    { name: '0', value: archive, filename: 'pack.tar.gz' },
    ...extra,
  ];
  const health = () => send([operations('{ registries { name } }', {}), map({})]);

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(LIMIT) } });
    registry = uniqueName('uploads');
    expect((await t.gql(CREATE_HOSTED, { i: { name: registry, kind: 'HOSTED' } })).body.errors).toBeUndefined();
    server = http.createServer(t.app);
    server.on('connection', () => sockets++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }, 60_000);

  afterAll(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('answers a push whose resolver fails before reading the file, and the connection carries the next request', async () => {
    const before = sockets;
    // 1.5 MiB of file the resolver never reads: the registry does not exist.
    const refused = await send(pushParts(uniqueName('missing'), randomBytes(1.5 * MIB)));
    expect(refused.status).toBe(200);
    expect(refused.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const next = await health();
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data.registries.map((r: { name: string }) => r.name)).toContain(registry);
    // The same connection: the first body was drained, not left blocking it.
    expect(sockets - before).toBeLessThanOrEqual(1);
  });

  it('refuses a file over MAX_UPLOAD_BYTES with PAYLOAD_TOO_LARGE, then serves the next request', async () => {
    const tooBig = await send(pushParts(registry, randomBytes(LIMIT + 64 * 1024)));
    expect(tooBig.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(tooBig.body.errors[0].message).toBe(`The archive is larger than the ${LIMIT}-byte upload limit.`);
    expect((await health()).body.errors).toBeUndefined();
  });

  it('answers a multipart mutation that takes no file (the file is drained), and unreferenced files', async () => {
    const name = uniqueName('nofile');
    const other = await send([
      operations(CREATE_HOSTED, { i: { name, kind: 'HOSTED' }, stray: null }),
      map({ 0: ['variables.stray'] }),
      { name: '0', value: randomBytes(MIB), filename: 'stray.tar.gz' },
    ]);
    expect(other.status).toBeLessThan(500);
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.createRegistry.name).toBe(name);

    // A file the map does not name still counts as the one file a request may carry: the push's own
    // file after it goes over the limit, answered as too large (never an internal error).
    const archive = buildTarGz(minimalPackEntries());
    const unreferenced = await send([
      operations(PUSH_PACK, { registry: name, archive: null }),
      map({ 0: ['variables.archive'] }),
      { name: 'unnamed', value: randomBytes(64 * 1024), filename: 'other.bin' },
      { name: '0', value: archive, filename: 'pack.tar.gz' },
    ]);
    expect(unreferenced.status).toBeLessThan(500);
    expect(unreferenced.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(unreferenced.body.errors[0].message).toMatch(/1 max file uploads exceeded/);
    expect((await health()).body.errors).toBeUndefined();
  });

  it('refuses a file missing from the body without an internal error', async () => {
    const missing = await send([operations(PUSH_PACK, { registry, archive: null }), map({ 0: ['variables.archive'] })]);
    expect(missing.status).toBeLessThan(500);
    expect(missing.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'archive' });
    expect(missing.body.errors[0].message).toMatch(/File missing in the request/);
    expect((await health()).body.errors).toBeUndefined();
  });
});
