/**
 * Wakes the dispatcher when deliveries are fanned out: the trigger NOTIFYs `webhook_deliveries` on
 * commit, and this LISTEN connection (one per replica, not one of the Prisma pool's) hears it. A
 * dropped connection is reopened with backoff; meanwhile the dispatcher's poll finds the work.
 */
import pg from 'pg';

export const WEBHOOK_DELIVERIES_CHANNEL = 'webhook_deliveries';

export interface Wakeup {
  close(): Promise<void>;
}

export async function listenForDeliveries(
  connectionString: string,
  onNotify: () => void,
  logger: { warn(obj: object, msg: string): void },
): Promise<Wakeup> {
  let client: pg.Client | null = null;
  let closed = false;
  let delay = 100;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString, application_name: 'pack-catalog-webhooks' });
    next.on('notification', () => onNotify());
    next.on('error', (error) => {
      logger.warn({ err: error }, 'webhook LISTEN connection lost; reconnecting');
      void next.end().catch(() => undefined);
      if (client === next) client = null;
      schedule();
    });
    await next.connect();
    await next.query(`LISTEN ${WEBHOOK_DELIVERIES_CHANNEL}`);
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    delay = 100;
    // Work may have been fanned out while no one listened.
    onNotify();
  };
  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().catch(() => {
        delay = Math.min(delay * 2, 5_000);
        schedule();
      });
    }, delay);
    timer.unref();
  };
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
