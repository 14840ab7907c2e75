/**
 * Parses a Helm repository index without stalling the event loop. A public index runs to several
 * megabytes (a 6.6 MB one kept the old in-thread parser busy for 3.2 s, and every request waited),
 * so any index above a small size is parsed in a worker thread with a time limit and a heap limit,
 * and only the fields the adapter uses come back. Small ones are parsed inline: starting a worker
 * costs more than they do.
 */
import { Worker } from 'node:worker_threads';
import { UpstreamError } from '../../../errors.js';
import { describeUrl } from '../../../platform/http-client.js';
import { HELM_INDEX_TASK, readHelmIndex, type HelmIndexEntries, type HelmIndexReadResult } from './helm-index.worker.mjs';

export type { HelmIndexEntries, HelmIndexEntry } from './helm-index.worker.mjs';

const MIB = 1024 * 1024;

/** Default for MAX_HELM_INDEX_BYTES (see config.ts). */
export const DEFAULT_MAX_HELM_INDEX_BYTES = 32 * MIB;
/** Up to this size an index is parsed inline (a few milliseconds), above it in a worker. */
export const INLINE_HELM_INDEX_BYTES = 256 * 1024;
/** A 32 MiB index parses in about 3 s on a busy 2-core machine; twenty times that is a stuck parser. */
export const HELM_INDEX_PARSE_TIMEOUT_MS = 60_000;

/** Why an index was refused, in `extensions.reason` (the error itself is UPSTREAM_UNAVAILABLE). */
export type HelmIndexProblem =
  | 'HELM_INDEX_TOO_LARGE'
  | 'HELM_INDEX_INVALID'
  | 'HELM_INDEX_ALIASES'
  | 'HELM_INDEX_TIMEOUT'
  | 'HELM_INDEX_TOO_COMPLEX';

/** An index.yaml the service won't use; `reason` says why. */
export class HelmIndexError extends UpstreamError {
  constructor(
    message: string,
    readonly reason: HelmIndexProblem,
  ) {
    super(message);
    this.extensions.reason = reason;
  }
}

export interface HelmIndexParseOptions {
  /** MAX_HELM_INDEX_BYTES: a larger index is refused before any parsing. */
  maxBytes: number;
  /** Stops the parse (the worker is terminated) when the sync is cancelled. */
  signal?: AbortSignal;
  /** Default INLINE_HELM_INDEX_BYTES. */
  inlineMaxBytes?: number;
  /** Default HELM_INDEX_PARSE_TIMEOUT_MS. */
  timeoutMs?: number;
  /** The worker's heap cap in MB. Default `workerHeapMbFor(maxBytes)`. */
  heapMb?: number;
}

/**
 * The worker's heap cap. js-yaml needs about 5x the text's size (170 MB of heap for a 32 MiB index,
 * measured); 12x leaves room without letting a hostile document of tiny nodes take the host's memory.
 */
export function workerHeapMbFor(maxBytes: number): number {
  return Math.max(128, Math.ceil((maxBytes / MIB) * 12));
}

/** The `entries` of an index.yaml, with each version's name, version, first URL, digest and created. */
export async function parseHelmIndex(body: Uint8Array, indexUrl: string, options: HelmIndexParseOptions): Promise<HelmIndexEntries> {
  if (body.byteLength > options.maxBytes) {
    throw new HelmIndexError(
      `${describeUrl(indexUrl)} is ${body.byteLength} bytes, more than MAX_HELM_INDEX_BYTES (${options.maxBytes}).`,
      'HELM_INDEX_TOO_LARGE',
    );
  }
  options.signal?.throwIfAborted();
  const result =
    body.byteLength <= (options.inlineMaxBytes ?? INLINE_HELM_INDEX_BYTES)
      ? readHelmIndex(new TextDecoder('utf-8').decode(body))
      : await parseOffThread(body, indexUrl, options);
  return entriesOf(result, indexUrl);
}

/** The same reading, inline, over text: for indexes known to be small. */
export function parseHelmIndexText(text: string, indexUrl: string): HelmIndexEntries {
  return entriesOf(readHelmIndex(text), indexUrl);
}

function entriesOf(result: HelmIndexReadResult, indexUrl: string): HelmIndexEntries {
  if (result.ok) return result.entries;
  const where = describeUrl(indexUrl);
  switch (result.reason) {
    case 'INVALID_YAML':
      throw new HelmIndexError(`${where} is not valid YAML (${result.detail ?? 'unreadable'}).`, 'HELM_INDEX_INVALID');
    case 'NO_ENTRIES_MAPPING':
      throw new HelmIndexError(`${where} is not a Helm repository index (no "entries" mapping).`, 'HELM_INDEX_INVALID');
    case 'NOT_AN_INDEX':
      throw new HelmIndexError(`${where} is not a Helm repository index (no "apiVersion" or "entries").`, 'HELM_INDEX_INVALID');
    case 'ALIASED_ENTRIES':
      throw new HelmIndexError(`${where} repeats chart entries through YAML aliases beyond its own size (at chart "${String(result.detail).slice(0, 100)}").`, 'HELM_INDEX_ALIASES');
  }
}

/** One index parse at a time per process: each worker may take `workerHeapMbFor` of memory. */
let parsing: Promise<unknown> = Promise.resolve();

function parseOffThread(body: Uint8Array, indexUrl: string, options: HelmIndexParseOptions): Promise<HelmIndexReadResult> {
  const turn = parsing.then(() => runWorker(body, indexUrl, options));
  parsing = turn.catch(() => undefined);
  return turn;
}

const WORKER_FILE = new URL('./helm-index.worker.mjs', import.meta.url);

function runWorker(body: Uint8Array, indexUrl: string, options: HelmIndexParseOptions): Promise<HelmIndexReadResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const timeoutMs = options.timeoutMs ?? HELM_INDEX_PARSE_TIMEOUT_MS;
  const where = describeUrl(indexUrl);
  const heapMb = options.heapMb ?? workerHeapMbFor(options.maxBytes);
  return new Promise<HelmIndexReadResult>((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, {
      workerData: { task: HELM_INDEX_TASK, bytes: body },
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () => settle(() => reject(new HelmIndexError(`${where} took longer than ${timeoutMs / 1000} s to parse.`, 'HELM_INDEX_TIMEOUT'))),
      timeoutMs,
    );
    const onAbort = () => settle(() => reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (result: HelmIndexReadResult) => settle(() => resolve(result)));
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new HelmIndexError(`${where} needs more than ${heapMb} MB of memory to parse.`, 'HELM_INDEX_TOO_COMPLEX')
            : new UpstreamError(`${where} could not be parsed (${error.code ?? error.name}).`),
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new UpstreamError(`${where} could not be parsed (the parser stopped with code ${code}).`))));
  });
}
