/**
 * Reading an answer's body within bounds: buffered (JSON, YAML) or streamed to a file (artifacts),
 * counting and hashing the bytes as they come. A body over its cap is refused (before reading when
 * its Content-Length says so); a body shorter than its Content-Length is a broken-off transfer,
 * worth another attempt; a file that hashes to something else than expected is refused.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'undici';
import { UpstreamError } from '../errors.js';
import { describeUrl } from './http-client.headers.js';
import { RetryableError } from './http-client.retry.js';
import { Sha256Hasher, digestOf } from './hashing.js';

/** A file the client wrote. */
export interface Download {
  path: string;
  size: number;
  /** `sha256:<hex>` of the bytes written. */
  digest: string;
}

/** A download small enough to be kept in memory (`inMemoryBytes`): no file was written. */
export interface BufferedDownload {
  bytes: Buffer;
  size: number;
  /** `sha256:<hex>` of the bytes. */
  digest: string;
}

/** What a downloaded file must be. */
export interface DownloadExpectations {
  /** Folder the file is written to; the caller removes the file. */
  dir: string;
  /** `sha256:<hex>` the bytes must hash to. */
  expectedDigest?: string;
  expectedSize?: number;
  /**
   * A body whose Content-Length is at most this many bytes is read into memory instead of a file
   * (a small chart: no file written, read back and removed). Default 0: always a file.
   */
  inMemoryBytes?: number;
}

/** The failure of a request or of its body, as the caller is told: timeouts and network errors are retryable, TLS failures are not. */
export function describeNetworkError(error: unknown, url: string | URL, timeoutMs: number): Error {
  if (error instanceof RetryableError || error instanceof UpstreamError) return error;
  const code = errorCode(error);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new RetryableError(`${describeUrl(url)} did not answer within ${timeoutMs / 1000} s`);
  if (code === 'UND_ERR_BODY_TIMEOUT') return new RetryableError(`${describeUrl(url)} stalled for ${timeoutMs / 1000} s mid-response`);
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    // A certificate problem won't fix itself by retrying.
    return new UpstreamError(`TLS verification failed for ${describeUrl(url)} (${code}); set "insecure" only if you trust this network.`);
  }
  if ((error as Error).name === 'AbortError' && !code) return error as Error;
  return new RetryableError(`Could not reach ${describeUrl(url)} (${code ?? innermostMessage(error)})`);
}

/** Reads a whole body of at most `limit` bytes. */
export async function readBody(response: Response, url: string, limit: number, timeoutMs: number, head: boolean): Promise<Buffer> {
  return collectBody(response, url, limit, timeoutMs, head, false);
}

/** {@link readBody}; `sayDeclared`: a broken-off body's error names the declared length, as a download's does. */
async function collectBody(response: Response, url: string, limit: number, timeoutMs: number, head: boolean, sayDeclared: boolean): Promise<Buffer> {
  const declared = declaredLength(response);
  if (declared !== undefined && declared > limit) {
    await discard(response);
    throw new UpstreamError(`${describeUrl(url)} answered ${declared} bytes, more than the ${limit} allowed.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // A reader rather than `for await`: the async iterator costs a fetch its per-request time again.
  const reader = response.body?.getReader();
  try {
    for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
      const chunk = read.value as Uint8Array;
      size += chunk.length;
      if (size > limit) {
        // Cancelling the stream closes the connection: the rest is not read.
        await reader!.cancel().catch(() => undefined);
        throw new UpstreamError(`${describeUrl(url)} answered more than the ${limit} bytes allowed.`);
      }
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  } catch (error) {
    throw brokenOff(error, url, size, sayDeclared ? declared : undefined, timeoutMs);
  }
  if (declared !== undefined && !head && size !== declared) {
    throw new RetryableError(`${describeUrl(url)} sent ${size} of ${declared} bytes${sayDeclared ? ' (truncated)' : ''}`);
  }
  return Buffer.concat(chunks);
}

/** Streams a body into a new file under `expect.dir` with a size cap, hashing as it goes; leaves no file behind on failure. */
export async function writeBody(response: Response, url: string, limit: number, timeoutMs: number, expect: DownloadExpectations): Promise<Download | BufferedDownload> {
  const declared = declaredLength(response);
  if (declared !== undefined && declared > limit) {
    await discard(response);
    throw new UpstreamError(`${describeUrl(url)} offers ${declared} bytes, more than the ${limit} allowed.`);
  }
  if (declared !== undefined && declared <= (expect.inMemoryBytes ?? 0)) {
    // Refused when longer or shorter than declared (retryable when broken off), in a download's words.
    const bytes = await collectBody(response, url, limit, timeoutMs, false, true);
    const digest = digestOf(bytes);
    checkExpected(url, bytes.length, digest, expect);
    return { bytes, size: bytes.length, digest };
  }
  const file = path.join(expect.dir, `${randomUUID()}.download`);
  try {
    const hash = new Sha256Hasher();
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) return callback(new UpstreamError(`${describeUrl(url)} sent more than the ${limit} bytes allowed.`));
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      const source = response.body ? Readable.fromWeb(response.body as ReadableStream<Uint8Array>) : Readable.from([]);
      await pipeline(source, counter, createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      throw brokenOff(error, url, size, declared, timeoutMs);
    }
    if (declared !== undefined && size !== declared) {
      throw new RetryableError(`${describeUrl(url)} sent ${size} of ${declared} bytes (truncated)`);
    }
    const { digest } = hash.result();
    checkExpected(url, size, digest, expect);
    return { path: file, size, digest };
  } catch (error) {
    await rm(file, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Refuses bytes other than the expected ones (size first, then digest). */
function checkExpected(url: string, size: number, digest: string, expect: DownloadExpectations): void {
  if (expect.expectedSize !== undefined && size !== expect.expectedSize) {
    throw new UpstreamError(`${describeUrl(url)} sent ${size} bytes where ${expect.expectedSize} were expected (truncated or altered).`);
  }
  if (expect.expectedDigest && digest !== expect.expectedDigest.toLowerCase()) {
    throw new UpstreamError(`${describeUrl(url)} sent bytes hashing to ${digest}, not the expected ${expect.expectedDigest}.`);
  }
}

/** The body as JSON, or an UpstreamError naming the URL when it isn't. */
export function parseJsonBody<T>(response: { body: Buffer; url: string }): T {
  try {
    return JSON.parse(response.body.toString('utf8')) as T;
  } catch {
    throw new UpstreamError(`${describeUrl(response.url)} answered something that is not JSON.`);
  }
}

/** Lets go of a body nobody will read (a redirect, a 5xx), so its connection is freed. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function declaredLength(response: Response): number | undefined {
  const header = response.headers.get('content-length');
  const value = header === null ? NaN : Number(header);
  return Number.isFinite(value) ? value : undefined;
}

function brokenOff(error: unknown, url: string, size: number, declared: number | undefined, timeoutMs: number): Error {
  if (error instanceof UpstreamError || error instanceof RetryableError) return error;
  const code = errorCode(error);
  if (code === 'UND_ERR_BODY_TIMEOUT') return describeNetworkError(error, url, timeoutMs);
  const of = declared !== undefined ? ` of ${declared}` : '';
  return new RetryableError(`${describeUrl(url)} broke off after ${size}${of} bytes (${code ?? innermostMessage(error)}; truncated)`);
}

/** The most specific error code fetch's error carries: it wraps the socket's error in `cause`. */
export function errorCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

/** The message of the innermost cause: fetch says only "fetch failed" and puts the reason (a refused port, say) in `cause`. */
function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  let current = (error as { cause?: unknown } | undefined)?.cause;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    message = current.message || message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}
