/**
 * One delivery attempt: the target checked (webhook.url-policy.ts), the body signed with a fresh
 * timestamp, one POST through the project's HTTP client (no retry there: the dispatcher schedules
 * retries; its agent holds the timeout), and the first 1 KiB of the answer kept for the log.
 */
import type { HttpClient } from '../platform/http-client.js';
import { OriginPolicy } from '../registries/adapters/origin-policy.js';
import { MAX_LOGGED_RESPONSE_BYTES, SIGNATURE_HEADER } from './webhook.model.js';
import type { RenderedDelivery } from './webhook.payload.js';
import { signatureOf } from './webhook.signature.js';
import { INTERNAL_TARGET_AT_CONNECT, checkWebhookUrl, type WebhookUrlRules } from './webhook.url-policy.js';

export interface AttemptResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  body: string | null;
  error: string | null;
}

export interface SendTarget {
  url: string;
  insecure: boolean;
  secret: string;
  deliveryId: string;
}

export class WebhookSender {
  constructor(
    private readonly http: HttpClient,
    private readonly rules: WebhookUrlRules,
    private readonly userAgent = 'pack-catalog-webhooks/1',
  ) {}

  async send(target: SendTarget, rendered: RenderedDelivery, signal?: AbortSignal): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const url = await checkWebhookUrl(target.url, target.insecure, this.rules);
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await this.http.withPolicy(new OriginPolicy(url.href, [], target.insecure, 'webhook')).send(url, {
        method: 'POST',
        headers: {
          'content-type': rendered.contentType,
          'user-agent': this.userAgent,
          [SIGNATURE_HEADER]: signatureOf(target.secret, timestamp, rendered.body),
          'x-packcatalog-event': rendered.type,
          'x-packcatalog-delivery': target.deliveryId,
        },
        body: rendered.body,
        signal,
      });
      const ok = response.status >= 200 && response.status < 300;
      // The status decides; an answer body that stalls past the attempt's deadline is logged as far as it came.
      const body = await firstBytesOf(response.body, MAX_LOGGED_RESPONSE_BYTES);
      return { ok, status: response.status, latencyMs: elapsed(), body, error: ok ? null : `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, status: null, latencyMs: elapsed(), body: null, error: describe(error) };
    }
  }
}

/** The first `limit` bytes of a body as text; the rest is not read (the stream is cancelled). */
async function firstBytesOf(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string | null> {
  if (!body) return null;
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      size += value.byteLength;
    }
  } catch {
    // Cut off (the attempt's deadline, a reset): what arrived is what the log keeps.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // A cut inside a multi-byte character shows as U+FFFD; the log is for people.
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  // The connect-time address check says what it refused ("fetch failed" alone would not).
  if (cause?.code === INTERNAL_TARGET_AT_CONNECT) return `${cause.message} (refused at connect)`;
  return cause?.code ? `${message} (${cause.code})` : message;
}
