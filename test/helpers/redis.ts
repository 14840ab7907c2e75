/**
 * A real Redis for tests: Debian's `redis-server` on a free loopback port, in memory only (no
 * snapshot, no append-only file), one per test file so no run shares keys with another.
 * `.ci/run` installs the package; TEST_REDIS_URL points the tests at a Redis of your own instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './oci-registry.js';
import { waitUntil } from './wait-until.js';

export interface TestRedis {
  url: string;
  close(): Promise<void>;
}

/** Whether something answers PING on this port. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, close: async () => {} };
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`redis-server did not start (${error.message}): apt-get install redis-server`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)));
  });
  let failure: unknown;
  failed.catch((error) => (failure = error));
  try {
    await waitUntil(() => Promise.race([pings(port), failed]), `redis-server answers PING on port ${port}`, 5_000, 50);
  } catch (error) {
    child.kill('SIGKILL');
    // A failed start says why (and its output) already; one that is merely slow gets its output added.
    if (error === failure) throw error;
    throw new Error(`${(error as Error).message}: ${output.slice(-500)}`, { cause: error });
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
