/**
 * The delivery loop each replica runs: claim due deliveries (webhook.store.ts: FOR UPDATE SKIP
 * LOCKED, a lease per claim, the oldest pending per webhook and pack first), send each
 * (webhook.sender.ts), record the outcome, schedule a retry with exponential backoff, or give up
 * after WEBHOOK_MAX_ATTEMPTS and mark the webhook failing. At least once: a replica killed
 * mid-delivery leaves its claim to expire, and another replica sends it again.
 *
 * It wakes when the fan-out trigger's NOTIFY arrives (webhook.wakeup.ts, on the process's one LISTEN
 * connection) or that connection comes back, when a delivery of its own
 * finishes (a pack's next event may be due now), and at least every `pollMs` (retries fall due, and
 * the embedded database sends no notifications).
 */
import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../graphql/node.js';
import type { DeliveryPolicy } from './webhook.model.js';
import { deliveryBodyOf, pingBodyOf, renderDelivery } from './webhook.payload.js';
import type { WebhookOwnerRights } from './webhook.owner-rights.js';
import type { AttemptResult, WebhookSender } from './webhook.sender.js';
import type { AttemptOutcome, ClaimedDelivery, WebhookStore } from './webhook.store.js';

export interface DispatcherDeps {
  store: Pick<WebhookStore, 'claimDue' | 'finish'>;
  sender: Pick<WebhookSender, 'send'>;
  /** Whether the webhook's owner may still read an event's registry (asked before each event's delivery). */
  ownerRights: Pick<WebhookOwnerRights, 'refusal'>;
  /** Opens a webhook's sealed secret. */
  openSecret(sealed: Uint8Array): string;
  /** The `source` of CloudEvents: this service's public URL (or its name). */
  source: string;
  logger: { warn(obj: object, msg: string): void; debug?(obj: object, msg: string): void };
}

/** The delay before attempt `attempt + 1`: base * 2^(attempt-1), capped, with ±20 % jitter. */
export function backoffMs(attempt: number, policy: Pick<DeliveryPolicy, 'backoffBaseMs' | 'backoffMaxMs'>): number {
  const raw = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

export class WebhookDispatcher {
  /** This replica's lease owner id. */
  readonly owner = `dispatcher-${randomUUID()}`;
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  /** Outcomes waiting to be recorded: those that finish while a write runs go together in the next one. */
  private readonly outcomes: Array<{ id: string; outcome: AttemptOutcome; done: (held: boolean) => void; failed: (error: unknown) => void }> = [];
  private recording = false;

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly policy: DeliveryPolicy,
    private readonly options: { pollMs?: number } = {},
  ) {}

  /**
   * A claim outlives the longest attempt: the POST is cut at twice the timeout (connection, answer
   * and its first 1 KiB together), plus room for the DNS check before it and recording after it.
   */
  get leaseMs(): number {
    return this.policy.timeoutMs * 2 + 30_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something may be due now: look without waiting for the poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming, and waits for the deliveries in flight (each cut at twice the timeout; their
   * outcomes are recorded). Each request has a signal of its own: one long-lived signal shared by
   * all would keep a listener per request ever sent (fetch on Node 20 never removes them).
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 1_000;
    while (this.running) {
      this.woken = false;
      let claimed: ClaimedDelivery[] = [];
      const free = this.policy.concurrency - this.inFlight.size;
      // Claims in batches (a claim reads the due rows): once half the slots are free, or when idle.
      if (free > 0 && (this.inFlight.size === 0 || free >= Math.ceil(this.policy.concurrency / 2))) {
        try {
          claimed = await this.deps.store.claimDue(this.owner, this.leaseMs, free);
        } catch (error) {
          this.deps.logger.warn({ err: error }, 'claiming webhook deliveries failed; retrying');
        }
      }
      for (const delivery of claimed) {
        const work: Promise<void> = this.deliver(delivery).then(() => undefined).finally(() => {
          this.inFlight.delete(work);
          this.wake();
        });
        this.inFlight.add(work);
      }
      // A full claim may leave more due: look again at once; otherwise wait for news or the poll.
      if (this.running && !this.woken && (claimed.length === 0 || claimed.length < free || this.inFlight.size >= this.policy.concurrency)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    }
  }

  /** Queues an outcome for the next write (group commit: one statement for all that are waiting); resolves once written. */
  private record(id: string, outcome: AttemptOutcome): Promise<boolean> {
    return new Promise((done, failed) => {
      this.outcomes.push({ id, outcome, done, failed });
      void this.writeOutcomes();
    });
  }

  private async writeOutcomes(): Promise<void> {
    if (this.recording) return;
    this.recording = true;
    try {
      while (this.outcomes.length > 0) {
        const batch = this.outcomes.splice(0, 200);
        try {
          const held = await this.deps.store.finish(this.owner, batch);
          for (const item of batch) item.done(held.has(item.id));
        } catch (error) {
          for (const item of batch) item.failed(error);
        }
      }
    } finally {
      this.recording = false;
    }
  }

  /** Sends one claimed delivery and records its outcome. Never throws. */
  async deliver(delivery: ClaimedDelivery): Promise<AttemptResult | null> {
    try {
      const { webhook, event } = delivery;
      // Rights are those of now, not of the webhook's creation: a revoked or narrowed owner is told nothing more.
      const refusal = event ? await this.deps.ownerRights.refusal(webhook.owner, event) : null;
      if (refusal !== null) {
        const held = await this.record(delivery.id, { delivered: false, skipped: true, responseStatus: null, latencyMs: 0, responseBody: null, error: refusal, retryAt: null });
        if (!held) this.deps.logger.warn({ delivery: delivery.id }, 'webhook delivery lease lost before its outcome was recorded');
        return null;
      }
      const body = event
        ? deliveryBodyOf(event, toGlobalId('CatalogEvent', event.id), webhook.id, delivery.id)
        : pingBodyOf(webhook.id, delivery.id, new Date());
      const rendered = renderDelivery(body, webhook.format, this.deps.source);
      const result = await this.deps.sender.send(
        { url: webhook.url, insecure: webhook.insecure, secret: this.deps.openSecret(webhook.secret), deliveryId: delivery.id },
        rendered,
        // One signal per attempt (never a long-lived one): a receiver dripping its answer can't hold the claim past its lease.
        AbortSignal.timeout(this.policy.timeoutMs * 2),
      );
      const lastAttempt = event === null || delivery.attempts >= this.policy.maxAttempts;
      const retryAt = result.ok || lastAttempt ? null : new Date(Date.now() + backoffMs(delivery.attempts, this.policy));
      const held = await this.record(delivery.id, {
        delivered: result.ok,
        responseStatus: result.status,
        latencyMs: result.latencyMs,
        responseBody: result.body,
        error: result.error,
        retryAt,
      });
      if (!held) this.deps.logger.warn({ delivery: delivery.id }, 'webhook delivery lease lost before its outcome was recorded');
      return result;
    } catch (error) {
      // The claim expires and another attempt follows: at least once.
      this.deps.logger.warn({ err: error, delivery: delivery.id }, 'webhook delivery failed unexpectedly');
      return null;
    }
  }
}
