/** PERSISTED_QUERIES_ONLY holds over WebSocket: a subscription runs only a registered document (by text or by hash). */
import { jest } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { persistedQueryHash } from '../../src/graphql/persisted-queries.js';
import { listenWithSubscriptions, record, subscriptionClient, type ListeningApp } from '../helpers/ws-app.js';

jest.setTimeout(60_000);

const REGISTERED = 'subscription Follow($id: ID!) { syncRun(id: $id) { state } }';

describe('subscriptions with PERSISTED_QUERIES_ONLY', () => {
  let t: TestApp;
  let listening: ListeningApp;
  let dir: string;
  const clients: Array<{ dispose(): void | Promise<void> }> = [];
  const client = () => {
    const c = subscriptionClient(listening.wsUrl, t.adminToken);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pq-ws-'));
    const file = path.join(dir, 'allow.json');
    await writeFile(file, JSON.stringify({ [persistedQueryHash(REGISTERED)]: REGISTERED }));
    t = await createTestApp({ env: { PERSISTED_QUERIES_ONLY: 'true', PERSISTED_QUERIES_FILE: file } });
    listening = await listenWithSubscriptions(t);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await listening?.close();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a registered document, sent as its text or as its hash, and refuses any other', async () => {
    const byText = record(client(), REGISTERED, { id: 'nope' });
    await byText.done;
    // It ran: the resolver itself refused the id.
    expect(byText.results[0].errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    const byHash = await new Promise<unknown[]>((resolve, reject) => {
      const results: unknown[] = [];
      client().subscribe(
        { query: '', variables: { id: 'nope' }, extensions: { persistedQuery: { version: 1, sha256Hash: persistedQueryHash(REGISTERED) } } },
        { next: (r) => results.push(r), error: reject, complete: () => resolve(results) },
      );
    });
    expect(byHash).toEqual([expect.objectContaining({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })] })]);

    const other = record(client(), 'subscription { syncRun(id: "nope") { state finishedAt } }');
    await expect(other.done).rejects.toEqual([expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } })]);
  });
});
