/**
 * How many webhooks one owner (a PUBLISHER's team or token name) may hold: each one multiplies every
 * event of its registries into deliveries, so a client must not create them without bound. The
 * owner's first MAX_WEBHOOKS_PER_OWNER are stored directly (fast; disabled, on this file's own registry),
 * the next through the API is refused with a clear error, and a deleted one makes room again.
 */
import { createTestApp, createToken, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { MAX_WEBHOOKS_PER_OWNER } from '../../../src/webhooks/webhook.service.js';

const CREATE = 'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id } }';

describe('webhooks per owner', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true', WEBHOOK_DISPATCH_ENABLED: 'false' } });
  }, 60_000);
  afterAll(() => t.close());

  it(`refuses a publisher's webhook past ${MAX_WEBHOOKS_PER_OWNER}, and takes one again after a delete`, async () => {
    const registry = uniqueName('hooks-limit');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    const owner = uniqueName('hook-owner');
    const token = await createToken(t, 'PUBLISHER', [registry], owner);
    const { id: registryId } = await t.database.prisma.registry.findUniqueOrThrow({ where: { name: registry } });
    const input = { url: 'http://127.0.0.1:9/in', registries: [registry], secret: 'a-webhook-secret-of-some-length' };

    const first = await t.gql(CREATE, { i: input }, token);
    expect(first.body.errors).toBeUndefined();
    await t.database.prisma.webhook.createMany({
      data: Array.from({ length: MAX_WEBHOOKS_PER_OWNER - 1 }, () => ({
        url: input.url,
        events: [],
        registryIds: [registryId],
        packs: [],
        format: 'JSON' as const,
        secret: Buffer.from('sealed'),
        insecure: false,
        enabled: false,
        owner,
        createdBy: owner,
      })),
    });

    const refused = await t.gql(CREATE, { i: input }, token);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ code: 'LIMIT_EXCEEDED' }] });
    expect(refused.body.errors?.[0]?.message).toContain(`at most ${MAX_WEBHOOKS_PER_OWNER} webhooks`);
    expect(await t.database.prisma.webhook.count({ where: { owner } })).toBe(MAX_WEBHOOKS_PER_OWNER);

    await t.gql('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: first.body.data!.createWebhook.id }, token);
    const again = await t.gql(CREATE, { i: input }, token);
    expect(again.body.errors).toBeUndefined();
  });
});
