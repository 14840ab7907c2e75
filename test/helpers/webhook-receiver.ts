/** A webhook receiver on 127.0.0.1: records every request and answers as the test says. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pollUntil } from './wait-until.js';

export interface ReceivedRequest {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/**
 * What to answer: a status and body, `hang` (never answer: the sender's timeout fires) or `drip`
 * (200 at once, then one byte of body every 100 ms, never ending).
 */
export type Answer = { status: number; body?: string } | 'hang' | 'drip';

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Decides each answer (default: 200 "ok"). */
  answer: (request: ReceivedRequest, index: number) => Answer;
  /** Resolves once `count` requests matching `match` arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, match?: (r: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hook'): Promise<WebhookReceiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    answer: () => ({ status: 200, body: 'ok' }),
    waitFor(count, match = () => true, timeoutMs = 20_000) {
      return pollUntil(() => receiver.received.filter(match), (found) => found.length >= count, {
        what: `${count} requests arrived`,
        timeoutMs,
        intervalMs: 20,
        describe: (found) => `${found.length} requests`,
      });
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const request = { at: Date.now(), headers: req.headers, body, json };
      const index = receiver.received.push(request) - 1;
      const answer = receiver.answer(request, index);
      if (answer === 'hang' || answer === 'drip') {
        hanging.add(res);
        if (answer === 'drip') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('.'), 100);
          res.on('close', () => clearInterval(timer));
        }
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
