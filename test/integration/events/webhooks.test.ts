/**
 * Issue 17 (2): webhook deliveries to a receiver on 127.0.0.1, on a database of this file's own (a
 * dispatcher claims every due delivery of its database: another file's would take ours).
 * Payloads and signatures (JSON and CloudEvents), retries after 500s and after a timeout, a webhook
 * marked failing after the last attempt and cleared by a success, order per pack, exactly one
 * delivery per event with two dispatchers, a replica killed mid-delivery, no delivery for a refused
 * push, pings, redelivery, the delivery log, and who may create webhooks.
 */
import { createTestApp, createToken, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { createOwnDatabase, type OwnDatabase } from '../../helpers/own-database.js';
import { pushArchive } from '../../helpers/packs.js';
import { addonPackTarball, buildTarGz, minimalPackEntries } from '../../helpers/tar-builder.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { HttpClient } from '../../../src/platform/http-client.js';
import { SecretBox } from '../../../src/platform/secret-box.js';
import { WebhookDispatcher } from '../../../src/webhooks/webhook.dispatcher.js';
import { TokenStore } from '../../../src/auth/token.store.js';
import { WebhookOwnerRights } from '../../../src/webhooks/webhook.owner-rights.js';
import { WebhookSender } from '../../../src/webhooks/webhook.sender.js';
import { verifySignature } from '../../../src/webhooks/webhook.signature.js';
import { pollUntil } from '../../helpers/wait-until.js';

const SECRET = 'a-webhook-secret-of-some-length';
const CREATE = `mutation($i: CreateWebhookInput!) {
  createWebhook(input: $i) { id url events registries packs format enabled failing createdBy }
}`;
const WEBHOOK = 'query($id: ID!) { webhook(id: $id) { id failing failingSince } }';
const DELIVERIES = `query($id: ID!, $first: Int) {
  webhookDeliveries(webhookId: $id, first: $first) {
    edges { node { id status attempts responseStatus latencyMs responseBody error ping event webhook lastAttemptAt deliveredAt } }
  }
}`;

const POLICY = { timeoutMs: 600, maxAttempts: 3, backoffBaseMs: 50, backoffMaxMs: 200, concurrency: 4 };

describe('webhook deliveries', () => {
  let own: OwnDatabase;
  let t: TestApp;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  const extra: WebhookDispatcher[] = [];

  const newDispatcher = (app: TestApp = t) =>
    new WebhookDispatcher(
      {
        store: app.services.webhookStore,
        sender: new WebhookSender(new HttpClient({ timeoutMs: POLICY.timeoutMs, retries: 0 }), { allowPrivateAddresses: true }),
        // No cache (ttl 0): a revocation counts at the next delivery, so the test needs no wait.
        ownerRights: new WebhookOwnerRights(
          { activeTokensOf: (owner, now) => new TokenStore(app.database.prisma).activeOf(owner, now), registryOf: async (id) => (await app.services.registryStore.findByIds([id], {}))[0] ?? null },
          { bootstrapAdmin: true, ttlMs: 0 },
        ),
        openSecret: (sealed) => new SecretBox(app.config.secretKey!).open(sealed),
        source: 'https://catalog.test',
        logger: { warn: () => undefined },
      },
      POLICY,
      { pollMs: 25 },
    );

  beforeAll(async () => {
    own = await createOwnDatabase();
    t = await createTestApp({
      env: {
        ...(own.url ? { DATABASE_URL: own.url } : {}),
        WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
        WEBHOOK_MAX_ATTEMPTS: String(POLICY.maxAttempts),
        WEBHOOK_TIMEOUT_MS: String(POLICY.timeoutMs),
        WEBHOOK_BACKOFF_BASE_MS: String(POLICY.backoffBaseMs),
        WEBHOOK_BACKOFF_MAX_MS: String(POLICY.backoffMaxMs),
      },
    });
    receiver = await startWebhookReceiver();
    dispatcher = newDispatcher();
    dispatcher.start();
  }, 60_000);
  afterAll(async () => {
    await Promise.all([dispatcher, ...extra].map((d) => d.stop()));
    await receiver.close();
    await t.close();
    await own.drop();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = () => ({ status: 200, body: 'ok' });
  });

  const newRegistry = async () => {
    const name = uniqueName('hooks');
    const { body } = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name, kind: 'HOSTED' } });
    expect(body.errors).toBeUndefined();
    return name;
  };
  const newWebhook = async (registry: string, extraInput: Record<string, unknown> = {}, token = t.adminToken) => {
    const { body } = await t.gql(CREATE, { i: { url: receiver.url, registries: [registry], secret: SECRET, ...extraInput } }, token);
    expect(body.errors).toBeUndefined();
    return body.data!.createWebhook as { id: string; failing: boolean };
  };
  const push = async (registry: string, pack: string, version = '1.0.0') => {
    const pushed = await pushArchive(t.app, t.adminToken, registry, addonPackTarball(pack, version));
    expect(pushed.body.errors).toBeUndefined();
  };
  const deliveriesOf = async (webhookId: string) => {
    const { body } = await t.gql(DELIVERIES, { id: webhookId, first: 100 });
    expect(body.errors).toBeUndefined();
    return body.data!.webhookDeliveries.edges.map((e: { node: Record<string, any> }) => e.node);
  };
  const settled = (webhookId: string, count: number) =>
    pollUntil(() => deliveriesOf(webhookId), (log) => log.length >= count && log.every((d: { status: string }) => d.status !== 'PENDING'), {
      what: `${count} deliveries are settled (none PENDING)`,
      timeoutMs: 20_000,
      intervalMs: 50,
      describe: (log) => `statuses ${JSON.stringify(log.map((d: { status: string }) => d.status))}`,
    });

  it('delivers a signed JSON body and a CloudEvents 1.0 structured event', async () => {
    const registry = await newRegistry();
    const json = await newWebhook(registry);
    const cloud = await newWebhook(registry, { format: 'CLOUDEVENTS', events: ['PACK_VERSION_PUBLISHED'] });
    const pack = uniqueName('hooked');
    await push(registry, pack);
    const [a, b] = await receiver.waitFor(2);
    const byType = (ct: string) => [a, b].find((r) => r.headers['content-type'] === ct)!;
    const plain = byType('application/json');
    const ce = byType('application/cloudevents+json');
    for (const request of [plain, ce]) {
      const header = request.headers['x-packcatalog-signature'] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifySignature(SECRET, header, request.body)).toBe(true);
      expect(verifySignature('another-secret-entirely', header, request.body)).toBe(false);
      expect(verifySignature(SECRET, header, request.body.replace(pack, `${pack}x`))).toBe(false);
      // Outside the replay window, the same signature is refused.
      expect(verifySignature(SECRET, header, request.body, { now: Math.floor(Date.now() / 1000) + 3600 })).toBe(false);
      expect(request.headers['x-packcatalog-event']).toBe('PACK_VERSION_PUBLISHED');
    }
    expect(plain.json).toMatchObject({ type: 'PACK_VERSION_PUBLISHED', registry, pack, version: '1.0.0', webhookId: expect.any(String), data: { status: 'created' } });
    expect(plain.json.data.digest).toMatch(/^sha256:/);
    expect(plain.headers['x-packcatalog-delivery']).toBe(plain.json.deliveryId);
    expect(ce.json).toMatchObject({
      specversion: '1.0',
      id: plain.json.id,
      type: 'io.packcatalog.pack_version_published',
      source: `https://catalog.test/registries/${registry}`,
      subject: `${pack}@1.0.0`,
      datacontenttype: 'application/json',
      data: { type: 'PACK_VERSION_PUBLISHED', pack },
    });
    // The event id is the API's: node(id:) reads it.
    const node = await t.gql('query($id: ID!) { node(id: $id) { ... on CatalogEvent { pack type } } }', { id: plain.json.id });
    expect(node.body.data!.node).toEqual({ pack, type: 'PACK_VERSION_PUBLISHED' });
    // The log, for each webhook.
    const [logged] = await settled(json.id, 1);
    expect(logged).toMatchObject({ status: 'DELIVERED', attempts: 1, responseStatus: 200, responseBody: 'ok', error: null, ping: false, event: plain.json.id, webhook: json.id });
    expect(logged.latencyMs).toEqual(expect.any(Number));
    expect(await settled(cloud.id, 1)).toHaveLength(1);
    // The secret is never answered: the type has no field that could hold it.
    const fields = await t.gql('{ __type(name: "Webhook") { fields { name } } }');
    expect(fields.body.data!.__type.fields.map((f: { name: string }) => f.name)).not.toContain('secret');
  });

  it('retries after a 500 and after a timeout, then delivers', async () => {
    const registry = await newRegistry();
    const hook = await newWebhook(registry);
    receiver.answer = (_r, i) => (i === 0 ? { status: 500, body: 'boom' } : i === 1 ? 'hang' : { status: 200, body: 'fine' });
    await push(registry, uniqueName('retried'));
    const [delivery] = await settled(hook.id, 1);
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 3, responseStatus: 200, responseBody: 'fine' });
    expect(receiver.received).toHaveLength(3);
    // Each attempt signs afresh, and all carry the same delivery id (receivers deduplicate on it).
    expect(new Set(receiver.received.map((r) => r.headers['x-packcatalog-delivery'])).size).toBe(1);
  });

  it('cuts an answer that drips past the attempt\'s deadline: the 200 counts, the log keeps what came', async () => {
    const registry = await newRegistry();
    const hook = await newWebhook(registry);
    receiver.answer = () => 'drip';
    const started = Date.now();
    await push(registry, uniqueName('dripped'));
    const [delivery] = await settled(hook.id, 1);
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 1, responseStatus: 200 });
    expect(delivery.responseBody).toMatch(/^\.+$/);
    // Cut at twice the timeout (not held for 1 KiB of drips: 100 s).
    expect(delivery.latencyMs).toBeLessThan(POLICY.timeoutMs * 2 + 500);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('marks the webhook failing after the last attempt, clears it on a later success, and redelivers', async () => {
    const registry = await newRegistry();
    const hook = await newWebhook(registry);
    receiver.answer = () => ({ status: 503, body: 'x'.repeat(5000) });
    await push(registry, uniqueName('failing'));
    const [failed] = await settled(hook.id, 1);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: POLICY.maxAttempts, responseStatus: 503, error: 'HTTP 503' });
    expect(failed.responseBody).toHaveLength(1024);
    expect(receiver.received).toHaveLength(POLICY.maxAttempts);
    expect((await t.gql(WEBHOOK, { id: hook.id })).body.data!.webhook).toMatchObject({ failing: true, failingSince: expect.any(String) });

    receiver.answer = () => ({ status: 204 });
    await push(registry, uniqueName('recovered'));
    await receiver.waitFor(POLICY.maxAttempts + 1);
    await settled(hook.id, 2);
    expect((await t.gql(WEBHOOK, { id: hook.id })).body.data!.webhook).toMatchObject({ failing: false, failingSince: null });

    const again = await t.gql('mutation($id: ID!) { redeliver(deliveryId: $id) { id status attempts } }', { id: failed.id });
    expect(again.body.data!.redeliver).toEqual({ id: failed.id, status: 'PENDING', attempts: 0 });
    const log = await settled(hook.id, 2);
    expect(log.find((d: { id: string }) => d.id === failed.id)).toMatchObject({ status: 'DELIVERED', attempts: 1, responseStatus: 204 });
    // The log pages newest first, forward only.
    const page = await t.gql('query($id: ID!) { webhookDeliveries(webhookId: $id, first: 1) { totalCount pageInfo { hasNextPage } edges { node { id } } } }', { id: hook.id });
    expect(page.body.data!.webhookDeliveries).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const back = await t.gql('query($id: ID!) { webhookDeliveries(webhookId: $id, last: 1) { totalCount } }', { id: hook.id });
    expect(back.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
  });

  it('keeps the order of a pack\'s events: a newer one waits while an older one is retried', async () => {
    const registry = await newRegistry();
    const hook = await newWebhook(registry);
    const pack = uniqueName('ordered');
    const other = uniqueName('other');
    let failedOnce = false;
    receiver.answer = (r) => {
      if (r.json?.pack === pack && r.json?.version === '1.0.0' && !failedOnce) {
        failedOnce = true;
        return { status: 500 };
      }
      return { status: 200 };
    };
    await push(registry, pack, '1.0.0');
    await push(registry, pack, '1.1.0');
    await push(registry, other, '1.0.0');
    await settled(hook.id, 3);
    const seen = receiver.received.map((r) => `${r.json.pack}@${r.json.version}`);
    expect(seen.filter((s) => s.startsWith(pack))).toEqual([`${pack}@1.0.0`, `${pack}@1.0.0`, `${pack}@1.1.0`]);
    expect(seen).toContain(`${other}@1.0.0`);
  });

  it('delivers each event exactly once with two service instances (two dispatchers) on one database', async () => {
    await dispatcher.stop();
    // A second instance of the service on the same database: its own Prisma pool, its own dispatcher.
    // Replicas share SECRET_KEY (the webhook secrets are sealed with it).
    const other = await createTestApp({ env: { ...(own.url ? { DATABASE_URL: own.url } : {}), SECRET_KEY: t.config.secretKey!, WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } });
    const [one, two] = [newDispatcher(), newDispatcher(other)];
    extra.push(one, two);
    one.start();
    two.start();
    try {
      const registry = await newRegistry();
      const hook = await newWebhook(registry);
      const packs = Array.from({ length: 16 }, (_, i) => uniqueName(`once${i}`));
      for (const pack of packs) await push(registry, pack);
      const log = await settled(hook.id, packs.length);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ids = receiver.received.map((r) => r.json.id);
      expect(ids).toHaveLength(packs.length);
      expect(new Set(ids).size).toBe(packs.length);
      expect(new Set(receiver.received.map((r) => r.json.pack))).toEqual(new Set(packs));
      expect(log.every((d: { attempts: number; status: string }) => d.status === 'DELIVERED' && d.attempts === 1)).toBe(true);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      await other.close();
      dispatcher = newDispatcher();
      dispatcher.start();
    }
  });

  it('sends again what a replica killed mid-delivery had claimed, once its lease expires', async () => {
    await dispatcher.stop();
    const registry = await newRegistry();
    const hook = await newWebhook(registry);
    await push(registry, uniqueName('orphan'));
    // A replica claims it and dies (its lease is never finished).
    const claimed = await t.services.webhookStore.claimDue('replica-that-died', 300, 10);
    expect(claimed).toHaveLength(1);
    dispatcher = newDispatcher();
    dispatcher.start();
    const [delivery] = await settled(hook.id, 1);
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    expect(receiver.received).toHaveLength(1);
  });

  it('delivers nothing for a refused push', async () => {
    const registry = await newRegistry();
    const hook = await newWebhook(registry);
    const pack = uniqueName('refused');
    await push(registry, pack);
    await settled(hook.id, 1);
    const other = buildTarGz(
      minimalPackEntries(`${pack}-1.0.0`, {
        'pack.json': JSON.stringify({ name: pack, displayName: pack, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: [] }),
        'values.yaml': 'pack:\n  namespace: elsewhere\n',
        'charts/demo-1.0.0.tgz': undefined,
      }),
    );
    const refused = await pushArchive(t.app, t.adminToken, registry, other);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await deliveriesOf(hook.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('delivers a PRIVATE registry\'s events only while an active token of the webhook\'s owner (its team) may read it', async () => {
    const team = uniqueName('hooks-team');
    const registry = uniqueName('hooks-private');
    const created = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED', visibility: 'PRIVATE' } });
    expect(created.body.errors).toBeUndefined();
    const teamToken = async (registries: string[]) => {
      const { body } = await t.gql(
        'mutation($n: String!, $g: [String!], $t: String) { createApiToken(name: $n, role: PUBLISHER, registries: $g, team: $t) { token apiToken { id } } }',
        { n: uniqueName('hooks-pub'), g: registries, t: team },
      );
      expect(body.errors).toBeUndefined();
      return { secret: body.data!.createApiToken.token as string, id: body.data!.createApiToken.apiToken.id as string };
    };
    const revoke = async (id: string) => expect((await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) }', { id })).body.data!.revokeApiToken).toBe(true);
    const first = await teamToken([registry]);
    const second = await teamToken([registry]);
    const hook = await newWebhook(registry, {}, first.secret);
    const pack = uniqueName('rights');

    await push(registry, pack, '1.0.0');
    expect((await settled(hook.id, 1))[0].status).toBe('DELIVERED');
    // The creating token revoked: the team's second token still reads the registry.
    await revoke(first.id);
    await push(registry, pack, '1.1.0');
    expect((await settled(hook.id, 2)).map((d: { status: string }) => d.status)).toEqual(['DELIVERED', 'DELIVERED']);
    expect(receiver.received).toHaveLength(2);

    // The team's last reading token revoked; a narrowed one (no PRIVATE registry named) is left: it reads PUBLIC ones only.
    await revoke(second.id);
    const narrowed = await teamToken([]);
    const ping = await t.gql('mutation($id: ID!) { testWebhook(id: $id) { status } }', { id: hook.id }, narrowed.secret);
    expect(ping.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    await push(registry, pack, '1.2.0');
    const log = await settled(hook.id, 3);
    expect(log[0]).toMatchObject({ status: 'SKIPPED', attempts: 1, responseStatus: null, deliveredAt: null });
    expect(log[0].error).toContain(`may no longer read registry "${registry}"`);
    // Not sent, and not retried: it stays SKIPPED, and the webhook is not marked failing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(2);
    expect((await deliveriesOf(hook.id))[0]).toMatchObject({ status: 'SKIPPED', attempts: 1 });
    expect((await t.gql(WEBHOOK, { id: hook.id })).body.data!.webhook.failing).toBe(false);

    // No active token at all: the reason says so.
    await revoke(narrowed.id);
    await push(registry, pack, '1.3.0');
    const last = await settled(hook.id, 4);
    expect(last[0]).toMatchObject({ status: 'SKIPPED', error: expect.stringContaining('has no active token') });
    expect(receiver.received).toHaveLength(2);
  });

  it('updates a webhook: a filter or enabled:false stops its deliveries, and the secret can be replaced', async () => {
    const registry = await newRegistry();
    const hook = await newWebhook(registry);
    const UPDATE = 'mutation($id: ID!, $i: UpdateWebhookInput!) { updateWebhook(id: $id, input: $i) { id events enabled format url } }';
    const filtered = await t.gql(UPDATE, { id: hook.id, i: { events: ['SYNC_FAILED'], format: 'CLOUDEVENTS' } });
    expect(filtered.body.data!.updateWebhook).toEqual({ id: hook.id, events: ['SYNC_FAILED'], enabled: true, format: 'CLOUDEVENTS', url: receiver.url });
    await push(registry, uniqueName('filtered'));
    const disabled = await t.gql(UPDATE, { id: hook.id, i: { events: [], enabled: false, secret: 'another-secret-quite-long' } });
    expect(disabled.body.data!.updateWebhook).toMatchObject({ events: [], enabled: false });
    await push(registry, uniqueName('disabled'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await deliveriesOf(hook.id)).toEqual([]);
    expect(receiver.received).toEqual([]);
    // Enabled again, with the new secret.
    expect((await t.gql(UPDATE, { id: hook.id, i: { enabled: true } })).body.errors).toBeUndefined();
    await push(registry, uniqueName('enabled'));
    const [request] = await receiver.waitFor(1);
    expect(verifySignature('another-secret-quite-long', request.headers['x-packcatalog-signature'] as string, request.body)).toBe(true);
  });

  it('pings on testWebhook, and lets a PUBLISHER watch only registries it may publish to', async () => {
    const registry = await newRegistry();
    const elsewhere = await newRegistry();
    const publisher = await createToken(t, 'PUBLISHER', [registry]);
    const forbidden = await t.gql(CREATE, { i: { url: receiver.url, registries: [elsewhere], secret: SECRET } }, publisher);
    expect(forbidden.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const unscoped = await t.gql(CREATE, { i: { url: receiver.url, secret: SECRET } }, publisher);
    expect(unscoped.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.registries' });
    const hook = await newWebhook(registry, {}, publisher);
    const viewer = await createToken(t, 'VIEWER', []);
    expect((await t.gql(CREATE, { i: { url: receiver.url, registries: [registry], secret: SECRET } }, viewer)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
    // A publisher lists its own webhooks only; an ADMIN sees every one.
    const mine = await t.gql('{ webhooks(first: 100) { edges { node { id registries } } } }', {}, publisher);
    expect(mine.body.data!.webhooks.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([hook.id]);
    const all = await t.gql('{ webhooks(first: 100) { edges { node { id } } } }');
    expect(all.body.data!.webhooks.edges.length).toBeGreaterThan(1);

    const ping = await t.gql('mutation($id: ID!) { testWebhook(id: $id) { status ping attempts responseStatus event } }', { id: hook.id }, publisher);
    expect(ping.body.data!.testWebhook).toEqual({ status: 'DELIVERED', ping: true, attempts: 1, responseStatus: 200, event: null });
    const [request] = await receiver.waitFor(1);
    expect(request.json).toMatchObject({ type: 'PING', id: null, webhookId: expect.any(String) });
    expect(verifySignature(SECRET, request.headers['x-packcatalog-signature'] as string, request.body)).toBe(true);

    // Refused targets: not http(s), plain HTTP to a host other than loopback.
    for (const url of ['ftp://127.0.0.1/hook', 'http://hooks.example.com/x', 'https://user:pw@hooks.example.com/x']) {
      const { body } = await t.gql(CREATE, { i: { url, registries: [registry], secret: SECRET } });
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url', issues: [{ code: 'WEBHOOK_URL_REFUSED' }] });
    }
    const short = await t.gql(CREATE, { i: { url: receiver.url, registries: [registry], secret: 'short' } });
    expect(short.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.secret' });

    const removed = await t.gql('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: hook.id }, publisher);
    expect(removed.body.data!.deleteWebhook).toBe(true);
  });
});
