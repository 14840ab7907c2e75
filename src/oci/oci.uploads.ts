/**
 * Blob upload sessions of the OCI push API, shared by every replica on one database: a session's
 * state is an OciUploadSession row (oci.upload-sessions.store.ts) and each chunk received (a PATCH,
 * or the last PUT's body) is its own object in the artifact store, so each chunk of one upload may
 * reach a different replica, with the filesystem store and with an S3 server without multipart
 * uploads alike. A chunk object holds a fixed-length header with a random nonce before the bytes, so
 * its digest is its own (two sessions sending equal bytes never share an object, and removing one
 * session's chunks can never remove another's); reads skip the header. On completion the chunks are
 * streamed in order into `<DATA_DIR>/spool/oci/<uuid>` (`assemble`), which the push then hashes and
 * stores as the blob; the chunk objects and rows go once the session ends.
 *
 * Manifest pushes copy their layer into a `manifest-<uuid>/` scratch folder there while they read it
 * (local: it lives for one request).
 *
 * Everything is bounded: bytes per blob, open sessions and received bytes per token and in total,
 * counted across replicas from the rows (over a quota: TOOMANYREQUESTS, 429); a replica's manifest
 * scratch counts on that replica. Sessions idle longer than the time to live expire, and `sweep()`
 * removes them (one replica at a time, under the job lock), with local scratch a dead process left
 * behind; the composition root runs it on a timer (`startSweeping`). Chunk objects of open sessions
 * are kept by the garbage collector (`guardChunks`); one whose row never landed (a replica killed
 * mid-chunk) is an orphan object it collects after its grace period.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Config } from '../config.js';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import type { ArtifactReferences } from '../artifacts/artifact.gc.job.js';
import { InProcessJobLock, type JobLock } from '../platform/job-lock.js';
import type { OciUploadSessionStore } from './oci.upload-sessions.store.js';
import { OciError } from './oci.errors.js';

export interface UploadSession {
  uuid: string;
  repository: string;
  owner: string;
  startedAt: number;
}

/** The bounds of the spool; each names the variable that sets it (config.ts), for the refusals. */
export interface UploadLimits {
  /** One blob (MAX_UPLOAD_BYTES). */
  maxBytes: number;
  /** A session idle (no bytes received) this long expires (OCI_UPLOAD_SESSION_TTL_SECONDS). */
  ttlMs: number;
  /** Open sessions of one token (OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN). */
  maxSessionsPerOwner: number;
  /** Open sessions of everyone (OCI_MAX_UPLOAD_SESSIONS). */
  maxSessions: number;
  /** Bytes one token has spooled: its sessions and its manifest pushes in flight (OCI_MAX_SPOOL_BYTES_PER_TOKEN). */
  maxSpoolBytesPerOwner: number;
  /** Bytes spooled by everyone (OCI_MAX_SPOOL_BYTES). */
  maxSpoolBytes: number;
}

/** What one sweep removed. */
export interface SweepResult {
  /** Expired sessions. */
  sessions: number;
  /** Scratch folders (`manifest-*`) and stray files no live session or push owns. */
  leftovers: number;
}

/** A manifest push's scratch folder, its bytes charged to its owner until `release()`. */
export interface ScratchSpace {
  dir: string;
  release(): Promise<void>;
}

/** What the store keeps in: the session rows and the artifact store that holds the chunks. */
export interface SharedUploadState {
  sessions: OciUploadSessionStore;
  artifacts: ArtifactStore;
  /** One sweep of the shared sessions at a time; in process unless given (here or to `sweep`/`startSweeping`). */
  lock?: JobLock;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCRATCH_PREFIX = 'manifest-';
/** The job lock's name for sweeping expired sessions. */
export const UPLOAD_SWEEP_LOCK = 'oci-upload-sweep';

/** A chunk object's header: a nonce makes its digest unique (never shared, so deleting it is always safe). */
function chunkHeader(): Buffer {
  return Buffer.from(`oci-upload-chunk ${randomUUID()}\n`, 'ascii');
}
/** Every header has this length ("oci-upload-chunk " + a 36-character UUID + "\n"). */
export const CHUNK_HEADER_BYTES = chunkHeader().length;

export class UploadSessionStore {
  readonly dir: string;
  /** Scratch folders of manifest pushes in flight on this replica, by folder name. */
  private readonly scratch = new Map<string, { owner: string; bytes: number }>();
  /** Sessions this replica is assembling (their local file is in use). */
  private readonly assembling = new Set<string>();
  private readonly lock: JobLock;

  constructor(
    dataDir: string,
    private readonly limits: UploadLimits,
    private readonly shared: SharedUploadState,
  ) {
    this.dir = path.join(dataDir, 'spool', 'oci');
    this.lock = shared.lock ?? new InProcessJobLock();
  }

  /** The store of a service (or of `npm run gc`) with the configured limits. */
  static fromConfig(config: Config, shared: SharedUploadState): UploadSessionStore {
    return new UploadSessionStore(
      config.dataDir,
      {
        maxBytes: config.limits.maxUploadBytes,
        ttlMs: config.ociUploads.sessionTtlMs,
        maxSessionsPerOwner: config.ociUploads.maxSessionsPerToken,
        maxSessions: config.ociUploads.maxSessions,
        maxSpoolBytesPerOwner: config.ociUploads.maxSpoolBytesPerToken,
        maxSpoolBytes: config.ociUploads.maxSpoolBytes,
      },
      shared,
    );
  }

  get maxBytes(): number {
    return this.limits.maxBytes;
  }

  /** Starts a session, unless the owner or everyone is at the session quota (counted over every replica). */
  async start(repository: string, owner: string): Promise<UploadSession> {
    const session: UploadSession = { uuid: randomUUID(), repository, owner, startedAt: Date.now() };
    const claim = await this.shared.sessions.claim({ uuid: session.uuid, repository, owner, now: new Date(session.startedAt) }, this.limits.maxSessionsPerOwner, this.limits.maxSessions);
    if (claim.claimed) return session;
    if (claim.bound === 'owner') {
      const retryAfter = Math.max(1, Math.ceil((claim.oldestActivity.getTime() + this.limits.ttlMs - Date.now()) / 1000));
      throw new OciError(
        'TOOMANYREQUESTS',
        `This token has ${claim.count} open upload sessions, its limit (OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN=${this.limits.maxSessionsPerOwner}): ` +
          `finish or cancel one (DELETE its Location), or wait for an idle one to expire.`,
        { limit: 'OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN', max: this.limits.maxSessionsPerOwner, retryAfter },
      );
    }
    throw new OciError(
      'TOOMANYREQUESTS',
      `The registry has ${claim.count} open upload sessions, its limit (OCI_MAX_UPLOAD_SESSIONS=${this.limits.maxSessions}): retry later.`,
      { limit: 'OCI_MAX_UPLOAD_SESSIONS', max: this.limits.maxSessions, retryAfter: 60 },
    );
  }

  /** The session, checked to belong to this repository and caller; BLOB_UPLOAD_UNKNOWN otherwise. */
  async open(uuid: string, repository: string, owner: string): Promise<UploadSession> {
    const unknown = new OciError('BLOB_UPLOAD_UNKNOWN', `No upload session ${uuid} for ${repository}.`);
    const row = UUID_PATTERN.test(uuid) ? await this.shared.sessions.find(uuid) : null;
    if (!row || row.repository !== repository || row.owner !== owner) throw unknown;
    if (Date.now() - row.lastActivity.getTime() > this.limits.ttlMs) {
      await this.remove(uuid);
      throw unknown;
    }
    return { uuid, repository: row.repository, owner: row.owner, startedAt: row.startedAt.getTime() };
  }

  /** Bytes received so far (on any replica). */
  async size(uuid: string): Promise<number> {
    const row = await this.shared.sessions.find(uuid);
    if (!row) throw new OciError('BLOB_UPLOAD_UNKNOWN', `No upload session ${uuid}.`);
    return Number(row.size);
  }

  /**
   * Stores a request body as the session's next chunk (an object of its own). Every piece is checked
   * before it is written: the blob may not grow past maxBytes, nor its owner's or everyone's received
   * bytes past their quotas. Answers the session's new size.
   */
  async append(uuid: string, body: Readable): Promise<number> {
    const row = await this.shared.sessions.find(uuid);
    if (!row) throw new OciError('BLOB_UPLOAD_UNKNOWN', `No upload session ${uuid}.`);
    const offset = Number(row.size);
    const owner = row.owner;
    const [mine, everyone] = await Promise.all([this.shared.sessions.usage(owner), this.shared.sessions.usage()]);
    const used = { owner: mine.bytes + this.scratchBytes(owner), total: everyone.bytes + this.scratchBytes() };
    const limit = this.limits.maxBytes;
    const assertRoom = (bytes: number) => this.assertSpoolQuota(used, bytes);
    await this.shared.sessions.touch(uuid, new Date());
    let received = 0;
    const chunk = Readable.from(
      (async function* bounded() {
        yield chunkHeader();
        for await (const piece of body as AsyncIterable<Buffer>) {
          // Stop at once: an oversized upload must not be stored before it is refused.
          if (offset + received + piece.length > limit) {
            throw new OciError('SIZE_INVALID', `The blob is larger than the ${limit}-byte upload limit.`, { maxBytes: limit }, 413);
          }
          assertRoom(received + piece.length);
          received += piece.length;
          yield piece;
        }
      })(),
    );
    const stored = await this.shared.artifacts.put(chunk);
    if (received === 0) {
      await this.shared.artifacts.delete(stored.digest);
      return offset;
    }
    if (!(await this.shared.sessions.addChunk(uuid, BigInt(offset), BigInt(received), stored.digest, new Date()))) {
      await this.shared.artifacts.delete(stored.digest);
      const now = await this.shared.sessions.find(uuid);
      if (!now) throw new OciError('BLOB_UPLOAD_UNKNOWN', `No upload session ${uuid}.`);
      throw new OciError('RANGE_INVALID', `Another chunk reached the upload first: it now holds ${now.size} bytes.`, { size: Number(now.size) });
    }
    return offset + received;
  }

  /**
   * The whole blob received so far, streamed chunk by chunk in order into `<dir>/<uuid>` (the local
   * file the push hashes and stores); answers its path. `remove()` deletes it with the session.
   */
  async assemble(uuid: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = this.dataPath(uuid);
    this.assembling.add(uuid);
    const { artifacts, sessions } = this.shared;
    const chunks = await sessions.chunks(uuid);
    await pipeline(
      (async function* inOrder() {
        let expected = 0n;
        for (const chunk of chunks) {
          // Rows are written only at the session's end, so there is no gap; a hole would be a bug, never bytes to serve.
          if (chunk.offset !== expected) throw new Error(`Upload ${uuid} has no chunk at offset ${expected}.`);
          expected += chunk.size;
          yield* await artifacts.get(chunk.digest, { start: CHUNK_HEADER_BYTES });
        }
      })(),
      createWriteStream(target, { flags: 'w', mode: 0o600 }),
    );
    return target;
  }

  /**
   * A scratch folder for a manifest push that copies its `bytes`-byte layer there, charged to `owner`
   * like a session's bytes until `release()` removes it.
   */
  async openScratch(owner: string, bytes: number): Promise<ScratchSpace> {
    const [mine, everyone] = await Promise.all([this.shared.sessions.usage(owner), this.shared.sessions.usage()]);
    this.assertSpoolQuota({ owner: mine.bytes + this.scratchBytes(owner), total: everyone.bytes + this.scratchBytes() }, bytes);
    const name = `${SCRATCH_PREFIX}${randomUUID()}`;
    this.scratch.set(name, { owner, bytes });
    const dir = path.join(this.dir, name);
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      this.scratch.delete(name);
    };
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      await release();
      throw error;
    }
    return { dir, release };
  }

  dataPath(uuid: string): string {
    return path.join(this.dir, uuid);
  }

  /** Ends the session: its row, its chunk objects (no other session shares them) and any local file. */
  async remove(uuid: string): Promise<void> {
    const digests = await this.shared.sessions.delete(uuid);
    for (const digest of digests ?? []) await this.shared.artifacts.delete(digest).catch(() => undefined);
    this.assembling.delete(uuid);
    await rm(this.dataPath(uuid), { force: true }).catch(() => undefined);
  }

  /**
   * Removes sessions idle longer than the time to live (one replica at a time: under the job lock;
   * `sessions` is 0 on a replica that found it held), and local scratch folders and stray files no
   * push of this process owns once they are that old (a killed process left them).
   */
  async sweep(now: Date = new Date(), lock: JobLock = this.lock): Promise<SweepResult> {
    const cutoff = now.getTime() - this.limits.ttlMs;
    const result: SweepResult = { sessions: 0, leftovers: 0 };
    const shared = await lock.run(UPLOAD_SWEEP_LOCK, async () => {
      let removed = 0;
      for (const uuid of await this.shared.sessions.idleSince(new Date(cutoff))) {
        await this.remove(uuid);
        removed++;
      }
      return removed;
    });
    if (shared.ran) result.sessions = shared.value;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (this.assembling.has(name) || this.scratch.has(name)) continue;
      const info = await stat(path.join(this.dir, name)).catch(() => null);
      if (!info || info.mtimeMs >= cutoff) continue;
      await rm(path.join(this.dir, name), { recursive: true, force: true }).catch(() => undefined);
      result.leftovers++;
    }
    return result;
  }

  /**
   * Sweeps every `intervalMs` (an unref'd timer: it never keeps the process alive), the shared
   * sessions under `lock` (the service's PostgreSQL job lock: one replica sweeps them); `stop()` waits
   * for a sweep in flight.
   */
  startSweeping(
    intervalMs: number,
    logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
    lock: JobLock = this.lock,
  ): { stop(): Promise<void> } {
    let running: Promise<void> | undefined;
    const timer = setInterval(() => {
      running ??= this.sweep(new Date(), lock)
        .then(
          (result) => {
            if (result.sessions + result.leftovers > 0) logger.info({ ...result }, 'OCI upload sessions swept');
          },
          (error) => logger.warn({ err: error }, 'OCI upload session sweep failed; the next one retries'),
        )
        .finally(() => (running = undefined));
    }, intervalMs);
    timer.unref();
    return {
      async stop() {
        clearInterval(timer);
        await running;
      },
    };
  }

  /** Open sessions and received bytes (every replica's; with this replica's manifest scratch), for tests and logs. */
  async usage(owner?: string): Promise<{ sessions: number; bytes: number }> {
    const found = await this.shared.sessions.usage(owner);
    return { sessions: found.sessions, bytes: found.bytes + this.scratchBytes(owner) };
  }

  /**
   * The collector's references with the chunk objects of open sessions kept: a chunk has no Artifact
   * row, and an upload may stay open (chunk by chunk) longer than the collector's grace period.
   */
  guardChunks(references: ArtifactReferences): ArtifactReferences {
    const sessions = this.shared.sessions;
    return {
      ofMediaTypes: (mediaTypes) => references.ofMediaTypes(mediaTypes),
      restore: (rows) => references.restore(rows),
      async releaseUnneeded(digests, links, cutoff, dryRun) {
        const chunks = await sessions.chunkDigests(digests);
        const batch = await references.releaseUnneeded(
          digests.filter((d) => !chunks.has(d)),
          links,
          cutoff,
          dryRun,
        );
        return { kept: new Set([...batch.kept, ...chunks]), released: batch.released };
      },
    };
  }

  private scratchBytes(owner?: string): number {
    let bytes = 0;
    for (const entry of this.scratch.values()) if (owner === undefined || entry.owner === owner) bytes += entry.bytes;
    return bytes;
  }

  private assertSpoolQuota(used: { owner: number; total: number }, bytes: number): void {
    if (used.owner + bytes > this.limits.maxSpoolBytesPerOwner) {
      throw new OciError(
        'TOOMANYREQUESTS',
        `This token's uploads in progress would hold more than ${this.limits.maxSpoolBytesPerOwner} bytes ` +
          `(OCI_MAX_SPOOL_BYTES_PER_TOKEN): finish or cancel other uploads first.`,
        { limit: 'OCI_MAX_SPOOL_BYTES_PER_TOKEN', max: this.limits.maxSpoolBytesPerOwner },
      );
    }
    if (used.total + bytes > this.limits.maxSpoolBytes) {
      throw new OciError(
        'TOOMANYREQUESTS',
        `The registry's uploads in progress would hold more than ${this.limits.maxSpoolBytes} bytes (OCI_MAX_SPOOL_BYTES): retry later.`,
        { limit: 'OCI_MAX_SPOOL_BYTES', max: this.limits.maxSpoolBytes, retryAfter: 60 },
      );
    }
  }
}
