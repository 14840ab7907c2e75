/**
 * Events are kept EVENT_RETENTION_DAYS: a pruning round (under the job lock, one replica at a time)
 * deletes older events with their webhook deliveries, and old pings; a round that finds the lock
 * held skips.
 */
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { pruneEvents } from '../../../src/events/event.retention.js';
import { recordEvents } from '../../../src/events/event.store.js';
import { InProcessJobLock, jobLockFor } from '../../../src/platform/job-lock.js';

describe('event retention', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('prunes events older than the retention with their deliveries, keeps newer ones, and skips while another holds the lock', async () => {
    const prisma = t.database.prisma;
    const pack = uniqueName('retained');
    const registry = await prisma.registry.create({ data: { name: uniqueName('retention'), kind: 'HOSTED' } });
    const webhook = await prisma.webhook.create({
      data: { url: 'https://hooks.example.com/in', secret: Buffer.from('sealed'), owner: 'o', createdBy: 'o', registryIds: [registry.id], enabled: true },
    });
    await prisma.$transaction((tx) =>
      recordEvents(tx, [
        { type: 'PACK_VERSION_PUBLISHED', registryId: registry.id, pack, version: '1.0.0' },
        { type: 'PACK_VERSION_PUBLISHED', registryId: registry.id, pack, version: '2.0.0' },
      ]),
    );
    const ping = await prisma.webhookDelivery.create({ data: { webhookId: webhook.id, orderKey: 'ping', status: 'DELIVERED', createdAt: new Date(Date.now() - 40 * 86_400_000) } });
    // The fan-out made one delivery per event; age the first event past 30 days.
    expect(await prisma.webhookDelivery.count({ where: { webhookId: webhook.id, eventId: { not: null } } })).toBe(2);
    const old = await prisma.catalogEvent.findFirstOrThrow({ where: { pack, version: '1.0.0' } });
    await prisma.catalogEvent.update({ where: { id: old.id }, data: { occurredAt: new Date(Date.now() - 31 * 86_400_000) } });

    const retentionMs = 30 * 86_400_000;
    const held = new InProcessJobLock();
    const skipped = await held.run('catalog-event-retention', () => pruneEvents(t.services.eventStore, held, retentionMs));
    expect(skipped).toEqual({ ran: true, value: null });

    const lock = jobLockFor(t.database);
    const deleted = await pruneEvents(t.services.eventStore, lock, retentionMs, new Date(), [(cutoff) => t.services.webhookStore.deletePingsOlderThan(cutoff)]);
    expect(deleted).toBeGreaterThanOrEqual(2);
    expect((await prisma.catalogEvent.findMany({ where: { pack }, select: { version: true } })).map((e) => e.version)).toEqual(['2.0.0']);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(1);
    expect(await prisma.webhookDelivery.findUnique({ where: { id: ping.id } })).toBeNull();
    await prisma.webhook.delete({ where: { id: webhook.id } });
  });
});
