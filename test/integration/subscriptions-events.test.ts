/**
 * `catalogEvents` subscriptions over a real WebSocket, with two app instances on one database: a
 * write through one instance reaches a subscriber of the other (LISTEN/NOTIFY, the outbox read in
 * batches), filtered by the subscriber's rights (a PUBLISHER scoped to registry A never sees
 * PRIVATE registry B's events) and by its filter; `after` replays what was missed, then goes live.
 */
import { jest } from '@jest/globals';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { listenWithSubscriptions, record, subscriptionClient, type ListeningApp } from '../helpers/ws-app.js';
import { pollUntil } from '../helpers/wait-until.js';

jest.setTimeout(60_000);

const FOLLOW = `subscription($f: CatalogEventFilterInput, $after: String) {
  catalogEvents(filter: $f, after: $after) { id type registry pack version data }
}`;

const EVENTS = `query($f: CatalogEventFilterInput) {
  catalogEvents(filter: $f, last: 1) { pageInfo { endCursor } }
}`;

describe('catalogEvents subscriptions across two instances', () => {
  let subscriberSide: TestApp;
  let writerSide: TestApp;
  let listening: ListeningApp;
  let registryA: string;
  let registryB: string;
  /** An ADMIN token in the shared database (each app's ADMIN_TOKEN is its own). */
  let admin: string;
  const clients: Array<{ dispose(): void | Promise<void> }> = [];
  const client = (token: string) => {
    const c = subscriptionClient(listening.wsUrl, token);
    clients.push(c);
    return c;
  };
  const push = async (registry: string, pack: string, version = '1.0.0') => {
    const pushed = await pushArchive(writerSide.app, writerSide.adminToken, registry, addonPackTarball(pack, version));
    expect(pushed.body.errors).toBeUndefined();
  };

  beforeAll(async () => {
    [subscriberSide, writerSide] = await Promise.all([createTestApp(), createTestApp()]);
    listening = await listenWithSubscriptions(subscriberSide);
    registryA = uniqueName('ev-ws-a');
    registryB = uniqueName('ev-ws-b');
    admin = await createToken(writerSide, 'ADMIN', []);
    for (const name of [registryA, registryB]) {
      const made = await writerSide.gql('mutation($n: String!) { createRegistry(input: { name: $n, kind: HOSTED, visibility: PRIVATE }) { name } }', { n: name });
      expect(made.body.errors).toBeUndefined();
    }
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });

  afterAll(async () => {
    await listening?.close();
    await Promise.all([subscriberSide?.close(), writerSide?.close()]);
  });

  /** Subscribes and waits until the server has the subscription in place (the first write after this is seen). */
  async function subscribe(token: string, variables: Record<string, unknown>) {
    const recording = record(client(token), FOLLOW, variables);
    // graphql-ws answers nothing on subscribe: a marker event proves the subscription is live.
    const marker = uniqueName('ev-marker');
    for (let i = 0; i < 50; i++) {
      await push(registryA, marker, `0.0.${i}`);
      try {
        await recording.waitFor((r) => r.data?.catalogEvents?.pack === marker, 300);
        return { recording, marker };
      } catch {
        // not live yet: push another version
      }
    }
    throw new Error('the subscription never went live');
  }

  it('delivers a write made through the other instance, in commit order, with the event fields', async () => {
    const { recording } = await subscribe(admin, { f: { registries: [registryA] } });
    const pack = uniqueName('ev-live');
    await push(registryA, pack, '1.0.0');
    await push(registryA, pack, '1.1.0');
    await recording.waitFor((r) => r.data?.catalogEvents?.version === '1.1.0' && r.data.catalogEvents.pack === pack);
    const mine = recording.results.map((r) => r.data!.catalogEvents).filter((e) => e.pack === pack);
    expect(mine).toEqual([
      expect.objectContaining({ type: 'PACK_VERSION_PUBLISHED', registry: registryA, pack, version: '1.0.0', id: expect.any(String) }),
      expect.objectContaining({ type: 'PACK_VERSION_PUBLISHED', registry: registryA, pack, version: '1.1.0' }),
    ]);
    expect(recording.results.every((r) => r.errors === undefined)).toBe(true);
  });

  it("never shows a PUBLISHER scoped to registry A an event of PRIVATE registry B, and applies the filter's packs and types", async () => {
    const publisherA = await createToken(writerSide, 'PUBLISHER', [registryA]);
    const everything = await subscribe(publisherA, {});
    const onlyOne = uniqueName('ev-only');
    // The filtered one never sees a marker: it starts from the newest event now, so it misses nothing either way.
    const { body } = await writerSide.gql(EVENTS, {});
    const now = body.data!.catalogEvents.pageInfo.endCursor as string;
    const narrow = record(client(publisherA), FOLLOW, { f: { packs: [onlyOne], types: ['PACK_VERSION_PUBLISHED'] }, after: now });
    const inB = uniqueName('ev-b');
    const inA = uniqueName('ev-a');
    await push(registryB, inB);
    await push(registryA, inA);
    await push(registryA, onlyOne);
    await everything.recording.waitFor((r) => r.data?.catalogEvents?.pack === onlyOne);
    const seen = everything.recording.results.map((r) => r.data!.catalogEvents);
    expect(seen.map((e) => e.pack)).toEqual(expect.arrayContaining([inA, onlyOne]));
    expect(seen.some((e) => e.registry === registryB || e.pack === inB)).toBe(false);
    await narrow.waitFor((r) => r.data?.catalogEvents?.pack === onlyOne);
    expect(narrow.results.map((r) => r.data!.catalogEvents.pack)).toEqual([onlyOne]);
  });

  it('lets go of a subscriber when its client leaves (nothing left hooked to the live feed)', async () => {
    // This app is this file's own: once the earlier tests' clients are gone (their sockets close asynchronously), nobody is subscribed.
    const settled = (count: number) =>
      pollUntil(() => subscriberSide.services.liveEvents.subscribers, (subscribers) => subscribers === count, {
        what: `the live feed has ${count} subscribers`,
        timeoutMs: 2_500,
        intervalMs: 50,
      });
    expect(await settled(0)).toBe(0);
    const c = subscriptionClient(listening.wsUrl, admin);
    const { recording } = await subscribe(admin, {});
    const second = record(c, FOLLOW, { f: { packs: ['never-pushed'] } });
    expect(await settled(2)).toBe(2);
    // One stops its subscription (graphql-ws `complete`), the other's client goes away altogether.
    recording.stop();
    await c.dispose();
    await second.done.catch(() => undefined);
    expect(await settled(0)).toBe(0);
  });

  it('resumes after a cursor: the events missed are replayed first, then live ones, none twice', async () => {
    const pack = uniqueName('ev-resume');
    const { body } = await writerSide.gql(EVENTS, { f: { registries: [registryA] } });
    const cursor = body.data!.catalogEvents.pageInfo.endCursor as string;
    await push(registryA, pack, '1.0.0');
    await push(registryA, pack, '2.0.0');
    const { recording } = await subscribe(admin, { f: { registries: [registryA] }, after: cursor });
    await push(registryA, pack, '3.0.0');
    await recording.waitFor((r) => r.data?.catalogEvents?.pack === pack && r.data.catalogEvents.version === '3.0.0');
    const versions = recording.results.map((r) => r.data!.catalogEvents).filter((e) => e.pack === pack).map((e) => e.version);
    expect(versions).toEqual(['1.0.0', '2.0.0', '3.0.0']);
    const ids = recording.results.map((r) => r.data!.catalogEvents.id);
    expect(new Set(ids).size).toBe(ids.length);
    const bad = record(client(admin), FOLLOW, { after: 'not-a-cursor' });
    await bad.done;
    expect(bad.results[0].errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
