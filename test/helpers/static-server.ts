/**
 * A tiny static file server on loopback (a Helm chart repository in tests), with switchable
 * faults: HTTP 500, 429 with Retry-After, a garbage body, a response slower than the client's
 * timeout, a truncated body, and stopping altogether.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

export type Fault =
  | { kind: 'status'; status: number; times?: number; retryAfter?: string; match?: RegExp }
  | { kind: 'garbage'; match?: RegExp; times?: number }
  | { kind: 'slow'; delayMs: number; match?: RegExp; times?: number }
  | { kind: 'truncate'; match?: RegExp; times?: number };

export interface StaticServer {
  url: string;
  /** Every request path served or refused, in order. */
  requests: string[];
  /** Requests answered with a file (200), by path. */
  served(match?: RegExp): string[];
  setFault(fault: Fault | null): void;
  /** Extra response headers, e.g. to switch ETag off. */
  options: { etag: boolean };
  close(): Promise<void>;
}

/** Serves `root`; with `tls` (PEM key and certificate), over HTTPS. */
export async function startStaticServer(root: string, options: { tls?: { key: string; cert: string } } = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const served: string[] = [];
  let fault: (Fault & { used: number }) | null = null;
  const sockets = new Set<Socket>();
  const settings = { etag: true };

  const handler: http.RequestListener = async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(urlPath);
    const active = fault && (!fault.match || fault.match.test(urlPath)) && (fault.times === undefined || fault.used < fault.times) ? fault : null;
    if (active) active.used++;
    if (active?.kind === 'status') {
      res.writeHead(active.status, { 'content-type': 'text/plain', ...(active.retryAfter ? { 'retry-after': active.retryAfter } : {}) });
      return res.end(`fault ${active.status}\n`);
    }
    if (active?.kind === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/x-yaml' });
      return res.end('<html><body>\u0000\u0001 this is not : : YAML [[[</body></html>');
    }
    if (active?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, active.delayMs));
    const file = path.join(root, path.normalize(urlPath).replace(/^(\.\.[/\\])+/, ''));
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found\n');
    }
    const etag = `"${info.size}-${info.mtimeMs}"`;
    if (settings.etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      return res.end();
    }
    if (active?.kind === 'truncate') {
      // Promise the whole file, send half, drop the connection.
      res.writeHead(200, { 'content-length': String(info.size), 'content-type': 'application/octet-stream' });
      const bytes = await readFile(file);
      return res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
    }
    served.push(urlPath);
    res.writeHead(200, {
      'content-length': String(info.size),
      'content-type': urlPath.endsWith('.yaml') ? 'application/x-yaml' : 'application/octet-stream',
      ...(settings.etag ? { etag } : {}),
    });
    createReadStream(file).pipe(res);
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    served: (match) => (match ? served.filter((p) => match.test(p)) : [...served]),
    setFault(next) {
      fault = next ? { ...next, used: 0 } : null;
    },
    options: settings,
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await done;
    },
  };
}
