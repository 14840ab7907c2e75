/** `packctl webhook add|ls|test|rm` against a served test app, with a receiver on 127.0.0.1 for the ping. */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { packctl } from '../helpers/packctl-in-process.js';
import { startPackctlSession, type PackctlSession } from '../helpers/packctl-session.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { verifySignature } from '../../src/webhooks/webhook.signature.js';

describe('packctl webhook', () => {
  let t: TestApp;
  let cli: PackctlSession;
  let receiver: WebhookReceiver;
  let registry: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } });
    cli = await startPackctlSession(t, { prefix: 'packctl-webhook-' });
    receiver = await startWebhookReceiver();
    registry = uniqueName('cli-hooks');
    expect((await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } })).body.errors).toBeUndefined();
  }, 60_000);
  afterAll(async () => {
    await cli?.close();
    await receiver.close();
    await t.close();
  });

  it('adds a webhook (printing a generated secret once), lists it, pings it, removes it', async () => {
    const added = await packctl('webhook', 'add', receiver.url, '--registry', registry, '--event', 'PACK_VERSION_PUBLISHED,SYNC_FAILED', '-o', 'json');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const webhook = JSON.parse(added.stdout) as { id: string; url: string; events: string[]; registries: string[]; secret: string };
    expect(webhook).toMatchObject({ url: receiver.url, events: ['PACK_VERSION_PUBLISHED', 'SYNC_FAILED'], registries: [registry], format: 'JSON' });
    expect(webhook.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const listed = await packctl('webhook', 'ls');
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((l) => l.startsWith(webhook.id));
    expect(line).toContain(receiver.url);
    expect(line).toContain('PACK_VERSION_PUBLISHED,SYNC_FAILED');
    expect(line).toContain(registry);
    expect(line).toMatch(/ ok$/);
    // The secret is never shown again.
    expect(listed.stdout).not.toContain(webhook.secret);

    const pinged = await packctl('webhook', 'test', webhook.id);
    expect(pinged.stderr).toBe('');
    expect(pinged.code).toBe(0);
    expect(pinged.stdout).toMatch(/^Ping delivered: HTTP 200 in \d+ ms\.\n$/);
    const [ping] = await receiver.waitFor(1);
    expect(ping.json).toMatchObject({ type: 'PING' });
    expect(verifySignature(webhook.secret, ping.headers['x-packcatalog-signature'] as string, ping.body)).toBe(true);

    receiver.answer = () => ({ status: 500, body: 'nope' });
    const refused = await packctl('webhook', 'test', webhook.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The webhook did not accept the ping: HTTP 500.');

    const removed = await packctl('webhook', 'rm', webhook.id);
    expect(removed.code).toBe(0);
    expect(removed.stdout.trim()).toBe(`Deleted webhook ${webhook.id}.`);
    const gone = await packctl('webhook', 'rm', webhook.id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('NOT_FOUND');
  });

  it('refuses an unknown event type and a refused URL with what to fix', async () => {
    const unknown = await packctl('webhook', 'add', receiver.url, '--registry', registry, '--event', 'PACK_EXPLODED');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown event type PACK_EXPLODED');
    const plain = await packctl('webhook', 'add', 'http://hooks.example.com/in', '--registry', registry, '--secret', 'a-long-enough-secret');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('plain HTTP');
    expect(plain.stderr).toContain('BAD_USER_INPUT');
  });
});
