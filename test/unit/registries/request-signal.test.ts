/**
 * withRequestSignal (registry-http.ts): undici's fetch leaves an abort listener on the signal it is
 * given until the request is garbage collected, so requests made on a run's long-lived signal piled
 * up listeners (MaxListenersExceededWarning in large syncs). Through withRequestSignal the run's
 * signal holds a listener only while a request is in flight, and aborting it still stops requests.
 */
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../../src/platform/http-client.js';
import { withRequestSignal } from '../../../src/registries/adapters/registry-http.js';

describe('withRequestSignal', () => {
  let server: http.Server;
  let url: string;
  const client = new HttpClient({ retries: 0, timeoutMs: 5000 });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('leaves no listener on the run\'s signal once requests settle, however many ran', async () => {
    const run = new AbortController();
    const inFlight: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, () =>
        withRequestSignal(run.signal, async (signal) => {
          inFlight.push(getEventListeners(run.signal, 'abort').length);
          const response = await client.request(`${url}/`, { signal });
          expect(response.body.toString()).toBe('ok');
        }),
      ),
    );
    expect(Math.max(...inFlight)).toBeGreaterThan(0);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('stops a request in flight when the run is aborted, with the run\'s reason', async () => {
    const run = new AbortController();
    const reason = new Error('the lease was lost');
    const pending = withRequestSignal(run.signal, (signal) => client.request(`${url}/slow`, { signal }));
    setTimeout(() => run.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('refuses to start on a signal aborted already', async () => {
    const run = new AbortController();
    run.abort(new Error('stopping'));
    let started = false;
    await expect(withRequestSignal(run.signal, async () => void (started = true))).rejects.toThrow('stopping');
    expect(started).toBe(false);
  });
});
