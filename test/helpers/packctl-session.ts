/**
 * A packctl login for in-process CLI tests (see packctl-in-process.ts): the test app served on a
 * loopback port (or a URL the test already listens on), a temporary directory, and PACKCTL_CONFIG
 * pointing at a config in it whose default server is that URL with a token. close() puts
 * PACKCTL_CONFIG back as it was, stops the server it started and removes the directory.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestApp } from './test-app.js';

export interface PackctlSession {
  /** The server packctl talks to. */
  url: string;
  /** The temporary directory (holds config.json; tests may write their files in it). */
  dir: string;
  /** Signs packctl in with another token (rewrites the config). */
  login(token: string): Promise<void>;
  close(): Promise<void>;
}

export interface PackctlSessionOptions {
  /** The temporary directory's name prefix. */
  prefix: string;
  /** Token to sign in with (default: the app's admin token). */
  token?: string;
  /** A URL the test already serves the app on (e.g. listenWithSubscriptions); otherwise the app is served here. */
  url?: string;
}

export async function startPackctlSession(t: TestApp, options: PackctlSessionOptions): Promise<PackctlSession> {
  const saved = process.env.PACKCTL_CONFIG;
  let server: Server | undefined;
  let url = options.url;
  if (url === undefined) {
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const dir = await mkdtemp(path.join(tmpdir(), options.prefix));
  const config = path.join(dir, 'config.json');
  process.env.PACKCTL_CONFIG = config;
  const serverUrl = url;
  const login = (token: string) => writeFile(config, JSON.stringify({ defaultServer: serverUrl, servers: { [serverUrl]: { token } } }));
  await login(options.token ?? t.adminToken);
  return {
    url: serverUrl,
    dir,
    login,
    async close() {
      if (saved === undefined) delete process.env.PACKCTL_CONFIG;
      else process.env.PACKCTL_CONFIG = saved;
      server?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
