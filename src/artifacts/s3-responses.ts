/**
 * What an S3 answer needs before it reaches a client: a ranged body cut to the bytes asked for
 * (some look-alikes serve more), and the `Content-Disposition` a download is named by (signed into
 * presigned URLs as `response-content-disposition`).
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import { UpstreamError } from '../errors.js';
import type { ByteRange } from './artifact.store.js';

/**
 * `Content-Disposition: attachment` under `fileName` (RFC 6266): a quoted ASCII name, plus the exact
 * name in RFC 8187 form only when it is not printable ASCII (pack file names rarely need it).
 */
export function contentDisposition(fileName: string): string {
  const quoted = `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '\\$&')}"`;
  if (/^[\x20-\x7e]*$/.test(fileName)) return quoted;
  const encoded = encodeURIComponent(fileName).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${quoted}; filename*=UTF-8''${encoded}`;
}

/**
 * Makes sure a ranged download carries exactly the requested bytes. HTTP lets a server ignore a
 * Range header (200 with everything) and some S3 look-alikes serve more than asked (s3rver answers
 * `bytes=0-0` with the whole object): then the surplus is cut off here.
 */
export function honourRange(response: Readable, range: ByteRange): Readable {
  const { statusCode, headers } = response as IncomingMessage;
  const served = statusCode === 206 ? /^bytes (\d+)-(\d+)\//.exec(String(headers['content-range'] ?? '')) : null;
  const servedStart = served ? Number(served[1]) : 0;
  const servedLength = served ? Number(served[2]) - servedStart + 1 : Infinity;
  const skip = range.start - servedStart;
  const wanted = range.end === undefined ? Infinity : range.end - range.start + 1;
  if (skip < 0) {
    response.destroy();
    throw new UpstreamError(`Artifact store served bytes from ${servedStart} for a range starting at ${range.start}.`);
  }
  if (skip === 0 && servedLength <= wanted) return response;
  return Readable.from(sliceBytes(response, skip, wanted));
}

async function* sliceBytes(source: AsyncIterable<Buffer>, skip: number, limit: number): AsyncGenerator<Buffer> {
  // Returning early ends the for-await, which destroys the source: the surplus is never downloaded.
  for await (let chunk of source) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    chunk = chunk.subarray(skip);
    skip = 0;
    if (chunk.length >= limit) {
      yield chunk.subarray(0, limit);
      return;
    }
    limit -= chunk.length;
    yield chunk;
  }
}
