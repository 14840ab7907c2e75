/**
 * Wakes the dispatcher when deliveries are fanned out: the trigger NOTIFYs `webhook_deliveries` on
 * commit, and the process's one LISTEN connection (src/platform/pg-notifications.ts) hears it. While
 * that connection is down the dispatcher's poll finds the work; when it is back, the dispatcher is
 * woken at once, since work may have been fanned out while no one listened.
 */
import type { NotificationSource } from '../platform/pg-notifications.js';

export const WEBHOOK_DELIVERIES_CHANNEL = 'webhook_deliveries';

export interface Wakeup {
  close(): Promise<void>;
}

export function listenForDeliveries(notifications: Pick<NotificationSource, 'on'>, onNotify: () => void): Wakeup {
  const stop = notifications.on(WEBHOOK_DELIVERIES_CHANNEL, () => onNotify(), { reconnected: onNotify });
  return {
    async close() {
      stop();
    },
  };
}
