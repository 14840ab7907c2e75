/**
 * The client side of the transfer bench, run as its own process for every transfer (the service's
 * push and pull as much as the raw S3 client's put and get), so no client shares a process with the
 * S3 server under test (s3rver runs in the bench process) and both sides of each comparison pay the
 * same costs. Request as JSON in argv[2]; the result (with the seconds the transfer took, timed here,
 * so process start-up is left out) as JSON on stdout.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'minio';

const MIB = 1024 * 1024;
const PUSH = `mutation Push($registry: String!, $archive: Upload!, $digest: String, $size: Int) {
  pushPack(registry: $registry, archive: $archive, digest: $digest, size: $size) { version digest size }
}`;

export interface S3Target {
  endPoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
}

export type TransferRequest =
  | { op: 's3-put'; s3: S3Target; key: string; file: string }
  | { op: 's3-get'; s3: S3Target; key: string }
  | { op: 'push'; url: string; token: string; registry: string; file: string }
  | { op: 'pull'; url: string; token: string; digest: string; followRedirect?: boolean };

export interface TransferResult {
  seconds: number;
  /** Digest and size of what was pulled (get, pull). */
  digest?: string;
  size?: number;
  /** Whether the pull was answered by a redirect to S3 (and followed). */
  redirected?: boolean;
  /** The push's HTTP status and parsed body. */
  status?: number;
  body?: any;
}

/**
 * Streams a GraphQL multipart push of `archive` (never holding it whole): operations, map, then the
 * file part, as `curl -F` sends it. With `declared`, the archive's digest and size go along (as packctl sends them).
 */
export async function streamPush(
  url: string,
  token: string,
  registry: string,
  archive: string,
  declared?: { digest: string; size: number },
): Promise<{ status: number; body: any }> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const operations = JSON.stringify({ query: PUSH, variables: { registry, archive: null, ...declared } });
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.archive'] })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="${path.basename(archive)}"\r\nContent-Type: application/gzip\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const size = (await stat(archive)).size;
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/graphql`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'apollo-require-preflight': 'true',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(Buffer.byteLength(head) + size + Buffer.byteLength(tail)),
      },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: response.statusCode ?? 0, body: text });
        }
      });
    });
    request.on('error', reject);
    async function* body() {
      yield Buffer.from(head);
      yield* createReadStream(archive, { highWaterMark: MIB });
      yield Buffer.from(tail);
    }
    pipeline(Readable.from(body()), request).catch(reject);
  });
}

/** Reads a stream to its end, hashing it: the bytes go nowhere. */
export async function drainHashing(source: NodeJS.ReadableStream): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    source,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback();
      },
    }),
  );
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

function s3Client(s3: S3Target): Client {
  // partSize above the file size: one PUT, as s3rver has no multipart upload.
  return new Client({ endPoint: s3.endPoint, port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: s3.region, partSize: 512 * MIB });
}

/**
 * GETs the artifact from the service; a 307 (presigned downloads) is followed once, to S3, without
 * the token (as fetch and packctl do across origins). Timed whole: the redirect's round trip counts.
 */
async function pull(url: string, token: string, digest: string, followRedirect = false): Promise<{ digest: string; size: number; redirected: boolean }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/artifacts/sha256/${digest.slice('sha256:'.length)}`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
        if (response.statusCode === 307 && followRedirect && response.headers.location) {
          response.resume();
          http
            .get(response.headers.location, (redirected) => {
              if (redirected.statusCode !== 200) return reject(new Error(`pull (redirected): HTTP ${redirected.statusCode}`));
              drainHashing(redirected).then((got) => resolve({ ...got, redirected: true }), reject);
            })
            .on('error', reject);
          return;
        }
        if (response.statusCode !== 200) return reject(new Error(`pull: HTTP ${response.statusCode}`));
        drainHashing(response).then((got) => resolve({ ...got, redirected: false }), reject);
      })
      .on('error', reject);
  });
}

export async function runTransfer(request: TransferRequest): Promise<TransferResult> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  switch (request.op) {
    case 's3-put': {
      const size = (await stat(request.file)).size;
      await s3Client(request.s3).putObject(request.s3.bucket, request.key, createReadStream(request.file), size);
      return { seconds: seconds() };
    }
    case 's3-get': {
      const got = await drainHashing(await s3Client(request.s3).getObject(request.s3.bucket, request.key));
      return { seconds: seconds(), ...got };
    }
    case 'push': {
      // As packctl does: the file is hashed first (inside the timed part), then pushed with its digest and size declared.
      const declared = await drainHashing(createReadStream(request.file, { highWaterMark: MIB }));
      const pushed = await streamPush(request.url, request.token, request.registry, request.file, declared);
      return { seconds: seconds(), ...pushed };
    }
    case 'pull': {
      const got = await pull(request.url, request.token, request.digest, request.followRedirect ?? false);
      return { seconds: seconds(), ...got };
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  runTransfer(JSON.parse(process.argv[2]!) as TransferRequest).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
