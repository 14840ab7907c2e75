/**
 * Artifacts in an S3 bucket (MinIO in production), through the `minio` client.
 *
 * Uploads: a stream is first spooled to a local temporary file while it is hashed, because the key
 * is the digest (unknown until the last byte) and a single PUT needs the size up front; the file is
 * then sent with one streaming PUT. Nothing is ever held whole in memory. When the caller declares
 * the digest and size up front (`beginPut`, a push from packctl), there is no spool: the PUT to the
 * final key starts at once and streams the bytes as they arrive (declared-put.ts).
 */
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { PassThrough, pipeline as pipeStreams, Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import { Agent } from 'undici';

import { InvalidInputError, NotFoundError, UpstreamError } from '../errors.js';
import {
  BLOB_PREFIX,
  checkPutOptions,
  checkRange,
  digestToKey,
  keyToDigest,
  parseDigest,
  rangeNotSatisfiable,
  removeQuietly,
  spoolToFile,
  temporaryPath,
  verifyArtifact,
  type ArtifactStat,
  type ArtifactStore,
  type ByteRange,
  type ListOptions,
  type PutOptions,
  type StoredArtifact,
} from './artifact.store.js';
import { DeclaredPut, type DeclaredPutOptions } from './declared-put.js';
import { relayGet } from './http-relay.js';
import { contentDisposition, honourRange } from './s3-responses.js';
import { Sha256Hasher, sha256File } from '../platform/hashing.js';

/** Where the bucket is and how to reach it. */
export interface MinioArtifactStoreOptions {
  /** Host name or IP address of the S3 endpoint. */
  endPoint: string;
  /** Defaults to 443 with SSL, 80 without. */
  port?: number;
  /** Defaults to true. */
  useSSL?: boolean;
  accessKey: string;
  secretKey: string;
  /** Defaults to `us-east-1`. */
  region?: string;
  /** The bucket holding every artifact; `create` makes it when missing. */
  bucket: string;
  /** Directory for spooling `put(stream)` uploads; defaults to the OS temporary directory. */
  spoolDir?: string;
  /** Where clients reach the same S3, when not at `endPoint` (a proxy, a public name): presigned URLs are signed for it. */
  publicEndpoint?: { endPoint: string; port?: number; useSSL: boolean };
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const DEFAULT_REGION = 'us-east-1';
/** S3's limit for a single PUT; larger objects go through the client's multipart upload. */
const SINGLE_PUT_LIMIT = 5 * 1024 ** 3;
const MISSING_OBJECT_CODES = new Set(['NoSuchKey', 'NotFound']);
/** Lifetime of the presigned URL a download is fetched through: it is used at once, by this process. */
const RELAY_URL_SECONDS = 60;
/** Bytes a declared put's body may hold ahead of the S3 socket: keeps the upload and the PUT moving independently. */
const DECLARED_BODY_BUFFER = 1024 * 1024;
/** A dropped declared put looks for a left-behind object this many times, this far apart (see beginPut). */
const DISCARD_LOOKS = 4;
const DISCARD_LOOK_INTERVAL_MS = 100;
const PAYLOAD_MISMATCH_CODES = new Set(['XAmzContentSHA256Mismatch', 'BadDigest']);
const TRANSIENT_CODES = new Set(['SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** An `ArtifactStore` over one S3 bucket. Build it with `MinioArtifactStore.create(options)`. */
export class MinioArtifactStore implements ArtifactStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private readonly client: Client;
  /**
   * Uploads stream a file as the request body, which the client's own retry can't replay (the
   * stream is spent), so uploads use a client without retries and retry themselves from the file.
   */
  private readonly uploadClient: Client;
  /**
   * Declared puts (beginPut) sign the declared digest as the payload hash over HTTPS too (the
   * client leaves it unsigned there by default), so S3 and MinIO refuse a body that hashes to
   * anything else on every transport: the body streams as it arrives, so the key's claim must be
   * checked by the server as well as by us.
   */
  private readonly declaredClient: Client;
  private readonly spoolDir: string;
  /** Signs the presigned URLs handed to clients (signing is local: no request goes to this address). */
  private readonly presignClient: Client;
  /** Connections for `sendTo`, which relays downloads through undici rather than the client's node:http (see http-relay.ts). */
  private readonly relay = new Agent({ keepAliveTimeout: 4_000 });

  /** Builds the store without touching the network; prefer `create`, which also makes the bucket. */
  constructor(options: MinioArtifactStoreOptions) {
    const clientOptions = {
      endPoint: options.endPoint,
      port: options.port,
      useSSL: options.useSSL ?? true,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region ?? DEFAULT_REGION,
    };
    this.bucket = options.bucket;
    this.client = new Client(clientOptions);
    this.uploadClient = new Client({ ...clientOptions, retryOptions: { disableRetry: true } });
    this.declaredClient = new Client({ ...clientOptions, retryOptions: { disableRetry: true } });
    this.declaredClient.enableSHA256 = true;
    this.spoolDir = options.spoolDir ?? tmpdir();
    // A presigned URL's signature covers its host: one for clients is signed for the address they use.
    this.presignClient = options.publicEndpoint ? new Client({ ...clientOptions, ...options.publicEndpoint }) : this.client;
  }

  /** Builds the store and makes its bucket if it is missing. Fails on wrong credentials or an unreachable endpoint. */
  static async create(options: MinioArtifactStoreOptions): Promise<MinioArtifactStore> {
    const store = new MinioArtifactStore(options);
    await store.ensureBucket(options.region ?? DEFAULT_REGION);
    return store;
  }

  async put(source: NodeJS.ReadableStream | Readable | Buffer, options: PutOptions = {}): Promise<StoredArtifact> {
    if (Buffer.isBuffer(source)) return this.put(Readable.from([source]), options);
    checkPutOptions(options);
    await mkdir(this.spoolDir, { recursive: true });
    const spool = temporaryPath(this.spoolDir);
    try {
      const stored = await spoolToFile(source, spool, options);
      await this.upload(spool, stored, options.contentType);
      return stored;
    } finally {
      await removeQuietly(spool);
    }
  }

  async putFile(filePath: string, options: PutOptions = {}): Promise<StoredArtifact> {
    checkPutOptions(options, (await stat(filePath)).size);
    if (options.expectedDigest !== undefined && options.expectedSize !== undefined) {
      // The key is known: the file is hashed while it is sent rather than in a pass of its own first
      // (a push's spool, just hashed as it was written, is read once more, not twice).
      const claimed = { digest: options.expectedDigest, size: options.expectedSize };
      await this.upload(filePath, claimed, options.contentType, true);
      return claimed;
    }
    const stored = await sha256File(filePath);
    // Check again on what was hashed: the file could have changed since the stat above.
    checkPutOptions(options, stored.size);
    verifyArtifact(stored, options);
    await this.upload(filePath, stored, options.contentType);
    return stored;
  }

  async beginPut(options: DeclaredPutOptions): Promise<DeclaredPut | null> {
    checkPutOptions(options);
    // Larger objects need a multipart upload, whose parts the client buffers: those spool as before.
    if (options.expectedSize > SINGLE_PUT_LIMIT) return null;
    const key = digestToKey(options.expectedDigest);
    const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE;
    const existing = await this.stat(options.expectedDigest);
    if (existing && existing.size === options.expectedSize) {
      // Same key, same size: the bytes are only verified; committing refreshes the object's age for the collector.
      const sink = { body: null, done: Promise.resolve(), finish: () => this.touch(key, contentType), discard: async () => undefined };
      return new DeclaredPut(sink, options);
    }
    // The PUT starts now with the declared length; the server completes the object only with its last byte.
    const body = new PassThrough({ highWaterMark: DECLARED_BODY_BUFFER });
    const done = this.putSingle(this.declaredClient, key, body, { digest: options.expectedDigest, size: options.expectedSize }, contentType);
    // S3 and MinIO never complete a PUT cut short of its Content-Length; some look-alikes do (s3rver
    // keeps what arrived, and may still be writing it when our connection is gone): a dropped put
    // removes what it left under the key until a look a moment later finds nothing of it. What it
    // left is always shorter than declared (the last batch is only sent on commit), so an object of
    // the declared size is another push's committed, verified one and stays; so does an object that
    // was there before, left to its owner.
    const discard = async () => {
      if (existing) return;
      for (let look = 0; look < DISCARD_LOOKS; look++) {
        if (look > 0) await sleep(DISCARD_LOOK_INTERVAL_MS);
        const found = await this.stat(options.expectedDigest).catch(() => null);
        if (found && found.size !== options.expectedSize) await this.client.removeObject(this.bucket, key).catch(() => undefined);
        else if (look > 0) return;
      }
    };
    return new DeclaredPut({ body, done, finish: async () => undefined, discard }, options);
  }

  async get(digest: string, range?: ByteRange): Promise<Readable> {
    const key = digestToKey(digest);
    checkRange(range);
    try {
      if (!range || (range.start === 0 && range.end === undefined)) return await this.client.getObject(this.bucket, key);
      const length = range.end === undefined ? 0 : range.end - range.start + 1;
      return honourRange(await this.client.getPartialObject(this.bucket, key, range.start, length), range);
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError(`Artifact ${digest} not found.`);
      if (errorCode(error) === 'InvalidRange' && range) {
        const found = await this.stat(digest);
        if (!found) throw new NotFoundError(`Artifact ${digest} not found.`);
        // S3 refuses any range of an empty object; the filesystem store serves it empty: agree with it.
        if (found.size === 0 && range.start === 0) return Readable.from([]);
        throw rangeNotSatisfiable(range, found.size);
      }
      throw error;
    }
  }

  async sendTo(digest: string, destination: Writable, range?: ByteRange): Promise<void> {
    const key = digestToKey(digest);
    checkRange(range);
    // Ranges keep get()'s handling (S3 look-alikes that serve more than asked, empty objects); they are small.
    if (range && !(range.start === 0 && range.end === undefined)) {
      await pipeline(await this.get(digest, range), destination);
      return;
    }
    // Signed locally (the region is configured, so no lookup): the relay then needs no S3 client of its own.
    const url = new URL(await this.client.presignedGetObject(this.bucket, key, RELAY_URL_SECONDS));
    const outcome = await relayGet(this.relay, url, destination);
    if (outcome.statusCode === 200) return;
    const code = /<Code>([^<]+)<\/Code>/.exec(outcome.body ?? '')?.[1];
    if (outcome.statusCode === 404 || (code && MISSING_OBJECT_CODES.has(code))) throw new NotFoundError(`Artifact ${digest} not found.`);
    throw new UpstreamError(`The artifact store answered ${outcome.statusCode}${code ? ` (${code})` : ''} for ${digest}.`);
  }

  async stat(digest: string): Promise<ArtifactStat | null> {
    const key = digestToKey(digest);
    try {
      const info = await this.client.statObject(this.bucket, key);
      return { digest, size: info.size, lastModified: info.lastModified };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async exists(digest: string): Promise<boolean> {
    return (await this.stat(digest)) !== null;
  }

  async delete(digest: string): Promise<void> {
    await this.client.removeObject(this.bucket, digestToKey(digest));
  }

  async *list(options: ListOptions = {}): AsyncIterable<ArtifactStat> {
    const items = this.client.listObjectsV2(this.bucket, BLOB_PREFIX, true);
    for await (const item of items) {
      const digest = item.name ? keyToDigest(item.name) : null;
      if (!digest) continue;
      const lastModified = item.lastModified;
      if (options.olderThan && !(lastModified && lastModified < options.olderThan)) continue;
      yield { digest, size: item.size, lastModified };
    }
  }

  async presignedGetUrl(digest: string, expirySeconds: number, fileName?: string, contentType?: string): Promise<string | null> {
    const key = digestToKey(digest);
    // S3 answers with these headers in place of the object's own (response-* query parameters, signed into the URL).
    const headers: Record<string, string> = {};
    if (fileName) headers['response-content-disposition'] = contentDisposition(fileName);
    if (contentType) headers['response-content-type'] = contentType;
    return this.presignClient.presignedGetObject(this.bucket, key, expirySeconds, Object.keys(headers).length > 0 ? headers : undefined);
  }

  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) {
      throw new UpstreamError(`Artifact bucket "${this.bucket}" does not exist.`);
    }
  }

  private async ensureBucket(region: string): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, region);
    } catch (error) {
      // Another replica starting at the same moment may have made it first.
      if (errorCode(error) !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }

  /**
   * Sends a local file to its content-addressed key, unless the same bytes are already there. With
   * `verify`, the file is hashed as it is sent and must match `stored`; otherwise it was verified
   * before. A mismatch removes what was just written (the signed payload hash makes MinIO and S3
   * refuse such a body over HTTP already; this covers servers that don't check and HTTPS, where the
   * payload goes unsigned) and is refused like any digest mismatch.
   */
  private async upload(filePath: string, stored: StoredArtifact, contentType = DEFAULT_CONTENT_TYPE, verify = false): Promise<void> {
    const key = digestToKey(stored.digest);
    const existing = await this.stat(stored.digest);
    if (existing && existing.size === stored.size) {
      const touched = await this.touch(key, contentType).then(
        () => true,
        () => false,
      );
      // A failed refresh is not fatal: uploading the same bytes again refreshes the object just as well.
      if (touched) return;
    }
    let sent: Sha256Hasher | undefined;
    const body = (): Readable => {
      const file = createReadStream(filePath);
      if (!verify) return file;
      const hasher = (sent = new Sha256Hasher());
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hasher.update(chunk);
          callback(null, chunk);
        },
      });
      // The request consumes the last stream; a read error destroys it, failing the request.
      return pipeStreams(file, hashing, () => undefined);
    };
    if (stored.size > SINGLE_PUT_LIMIT) {
      // Multipart (untestable on s3rver): the client buffers a part or two (64 MiB and up), never the object.
      await this.client.putObject(this.bucket, key, body(), stored.size, { 'Content-Type': contentType });
    } else {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.putSingle(this.uploadClient, key, body(), stored, contentType);
          break;
        } catch (error) {
          if (attempt >= 2 || !TRANSIENT_CODES.has(errorCode(error) ?? '')) throw error;
          await sleep(200);
        }
      }
    }
    if (!sent) return;
    const actual = sent.result();
    if (actual.digest === stored.digest && actual.size === stored.size) return;
    // Only bytes this call wrote are removed: an object that was there before (other size) is left to its owner.
    if (!existing) await this.client.removeObject(this.bucket, key).catch(() => undefined);
    verifyArtifact(actual, { expectedDigest: stored.digest, expectedSize: stored.size });
  }

  /**
   * One PUT of `stored.size` bytes whose body streams (from a file, or from a declared put as it
   * arrives). The client's `putObject` would read an object of up to its part size (64 MiB) whole
   * into memory first; this keeps memory flat. Where `client` signs the payload hash (plain HTTP, and
   * declared puts on every transport) it is the digest itself, so the server verifies the bytes too,
   * and its refusal is answered as our own digest mismatch.
   */
  private async putSingle(client: Client, key: string, body: Readable, stored: StoredArtifact, contentType: string): Promise<void> {
    const payloadSha256 = client.enableSHA256 ? parseDigest(stored.digest).hex : '';
    try {
      const response = await client.makeRequestStreamAsync(
        {
          method: 'PUT',
          bucketName: this.bucket,
          objectName: key,
          headers: { 'Content-Length': String(stored.size), 'Content-Type': contentType },
        },
        body,
        payloadSha256,
        [200],
        '',
      );
      response.resume();
      await new Promise<void>((resolve, reject) => {
        response.once('end', resolve);
        response.once('error', reject);
      });
    } catch (error) {
      if (PAYLOAD_MISMATCH_CODES.has(errorCode(error) ?? '')) {
        throw new InvalidInputError(`Digest mismatch: the bytes sent do not hash to ${stored.digest}.`, { field: 'digest' });
      }
      throw error;
    }
  }

  /**
   * Refreshes an existing object's LastModified (a copy onto itself), so that the collector, which
   * deletes unreferenced objects older than its grace period, leaves bytes that were just put again
   * alone until the caller's row points at them.
   */
  private async touch(key: string, contentType: string): Promise<void> {
    await this.client.copyObject(
      new CopySourceOptions({ Bucket: this.bucket, Object: key }),
      new CopyDestinationOptions({
        Bucket: this.bucket,
        Object: key,
        MetadataDirective: 'REPLACE',
        Headers: { 'Content-Type': contentType },
      }),
    );
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isMissing(error: unknown): boolean {
  return MISSING_OBJECT_CODES.has(errorCode(error) ?? '');
}
