/**
 * Blob upload sessions of the OCI push API, spooled to files under `<DATA_DIR>/spool/oci/`:
 * `<uuid>` holds the bytes received so far and `<uuid>.json` the session (repository, owner, start).
 * Manifest pushes copy their layer into a `manifest-<uuid>/` scratch folder there while they read it.
 *
 * Everything spooled is bounded: bytes per blob, open sessions and spooled bytes per token and in
 * total (over a quota: TOOMANYREQUESTS, 429). Sessions idle longer than the time to live expire and
 * `sweep()` removes them, with scratch folders a dead process left behind; the composition root runs
 * it on a timer (`startSweeping`). A session lives on the replica that started it (its spool is local
 * disk), so the quotas are kept in memory here, loaded from the spool at the first use.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
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

interface OpenSession {
  session: UploadSession;
  bytes: number;
  lastActivity: number;
  /** Requests writing to it now: the sweeper never removes a session in use. */
  busy: number;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCRATCH_PREFIX = 'manifest-';

export class UploadSessionStore {
  readonly dir: string;
  private readonly sessions = new Map<string, OpenSession>();
  /** Scratch folders of manifest pushes in flight, by folder name. */
  private readonly scratch = new Map<string, { owner: string; bytes: number }>();
  private readonly spooledByOwner = new Map<string, number>();
  private spooled = 0;
  private loading?: Promise<void>;

  constructor(
    dataDir: string,
    private readonly limits: UploadLimits,
  ) {
    this.dir = path.join(dataDir, 'spool', 'oci');
  }

  /** The store of a service (or of `npm run gc`) with the configured limits. */
  static fromConfig(config: Config): UploadSessionStore {
    return new UploadSessionStore(config.dataDir, {
      maxBytes: config.limits.maxUploadBytes,
      ttlMs: config.ociUploads.sessionTtlMs,
      maxSessionsPerOwner: config.ociUploads.maxSessionsPerToken,
      maxSessions: config.ociUploads.maxSessions,
      maxSpoolBytesPerOwner: config.ociUploads.maxSpoolBytesPerToken,
      maxSpoolBytes: config.ociUploads.maxSpoolBytes,
    });
  }

  get maxBytes(): number {
    return this.limits.maxBytes;
  }

  /** Starts a session, unless the owner or the whole spool is at its session quota. */
  async start(repository: string, owner: string): Promise<UploadSession> {
    await this.load();
    await this.sweep();
    // Checked and claimed in one synchronous step, so concurrent starts can't both take the last place.
    this.assertSessionQuota(owner);
    const session: UploadSession = { uuid: randomUUID(), repository, owner, startedAt: Date.now() };
    this.sessions.set(session.uuid, { session, bytes: 0, lastActivity: session.startedAt, busy: 0 });
    try {
      await writeFile(this.dataPath(session.uuid), '', { flag: 'wx', mode: 0o600 });
      await writeFile(this.metaPath(session.uuid), JSON.stringify(session), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      await this.remove(session.uuid);
      throw error;
    }
    return session;
  }

  /** The session, checked to belong to this repository and caller; BLOB_UPLOAD_UNKNOWN otherwise. */
  async open(uuid: string, repository: string, owner: string): Promise<UploadSession> {
    await this.load();
    const unknown = new OciError('BLOB_UPLOAD_UNKNOWN', `No upload session ${uuid} for ${repository}.`);
    const entry = UUID_PATTERN.test(uuid) ? this.sessions.get(uuid) : undefined;
    if (!entry || entry.session.repository !== repository || entry.session.owner !== owner) throw unknown;
    if (entry.busy === 0 && Date.now() - entry.lastActivity > this.limits.ttlMs) {
      await this.remove(uuid);
      throw unknown;
    }
    return entry.session;
  }

  async size(uuid: string): Promise<number> {
    return (await stat(this.dataPath(uuid))).size;
  }

  /**
   * Appends a request body to the session's file. Every chunk is charged before it is written: the
   * blob may not grow past maxBytes, nor its owner's or the spool's bytes past their quotas.
   */
  async append(uuid: string, body: Readable): Promise<number> {
    const entry = this.sessions.get(uuid);
    if (!entry) throw new OciError('BLOB_UPLOAD_UNKNOWN', `No upload session ${uuid}.`);
    let size = await this.size(uuid);
    const limit = this.limits.maxBytes;
    const owner = entry.session.owner;
    const charge = (bytes: number) => this.chargeBytes(entry, bytes);
    const assertRoom = (bytes: number) => this.assertSpoolQuota(owner, bytes);
    entry.busy++;
    try {
      const out = createWriteStream(this.dataPath(uuid), { flags: 'a' });
      await pipeline(
        body,
        async function* bounded(chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            // Stop at once: an oversized upload must not fill the disk before it is refused.
            if (size > limit) throw new OciError('SIZE_INVALID', `The blob is larger than the ${limit}-byte upload limit.`, { maxBytes: limit }, 413);
            assertRoom(chunk.length);
            charge(chunk.length);
            yield chunk;
          }
        },
        out,
      );
      return size;
    } finally {
      entry.busy--;
      entry.lastActivity = Date.now();
      // What reached the disk is what counts (a failed write may have stopped short of what was charged).
      if (this.sessions.get(uuid) === entry) {
        const actual = await this.size(uuid).catch(() => entry.bytes);
        this.chargeBytes(entry, actual - entry.bytes);
      }
    }
  }

  /**
   * A scratch folder for a manifest push that copies its `bytes`-byte layer there, charged to `owner`
   * like a session's bytes until `release()` removes it.
   */
  async openScratch(owner: string, bytes: number): Promise<ScratchSpace> {
    await this.load();
    this.assertSpoolQuota(owner, bytes);
    const name = `${SCRATCH_PREFIX}${randomUUID()}`;
    this.scratch.set(name, { owner, bytes });
    this.charge(owner, bytes);
    const dir = path.join(this.dir, name);
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      this.scratch.delete(name);
      this.charge(owner, -bytes);
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

  async remove(uuid: string): Promise<void> {
    const entry = this.sessions.get(uuid);
    if (entry) {
      this.sessions.delete(uuid);
      this.charge(entry.session.owner, -entry.bytes);
    }
    await rm(this.dataPath(uuid), { force: true }).catch(() => undefined);
    await rm(this.metaPath(uuid), { force: true }).catch(() => undefined);
  }

  /**
   * Removes sessions idle longer than the time to live (none in use), and scratch folders and stray
   * files no session or push of this process owns once they are that old (a killed process left them).
   */
  async sweep(now: Date = new Date()): Promise<SweepResult> {
    await this.load();
    const cutoff = now.getTime() - this.limits.ttlMs;
    const result: SweepResult = { sessions: 0, leftovers: 0 };
    for (const [uuid, entry] of [...this.sessions]) {
      if (entry.busy > 0 || entry.lastActivity >= cutoff) continue;
      await this.remove(uuid);
      result.sessions++;
    }
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const uuid = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
      if (this.sessions.has(uuid) || this.scratch.has(name)) continue;
      const info = await stat(path.join(this.dir, name)).catch(() => null);
      if (!info || info.mtimeMs >= cutoff) continue;
      await rm(path.join(this.dir, name), { recursive: true, force: true }).catch(() => undefined);
      result.leftovers++;
    }
    return result;
  }

  /**
   * Sweeps every `intervalMs` (an unref'd timer: it never keeps the process alive); `stop()` waits
   * for a sweep in flight.
   */
  startSweeping(
    intervalMs: number,
    logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  ): { stop(): Promise<void> } {
    let running: Promise<void> | undefined;
    const timer = setInterval(() => {
      running ??= this.sweep()
        .then(
          (result) => {
            if (result.sessions + result.leftovers > 0) logger.info({ ...result }, 'OCI upload spool swept');
          },
          (error) => logger.warn({ err: error }, 'OCI upload spool sweep failed; the next one retries'),
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

  /** Spooled bytes and open sessions, for tests and logs. */
  usage(owner?: string): { sessions: number; bytes: number } {
    if (owner === undefined) return { sessions: this.sessions.size, bytes: this.spooled };
    const sessions = [...this.sessions.values()].filter((e) => e.session.owner === owner).length;
    return { sessions, bytes: this.spooledByOwner.get(owner) ?? 0 };
  }

  /** Takes in the sessions a previous process left (they count against the quotas until they expire). */
  private load(): Promise<void> {
    this.loading ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      for (const name of await readdir(this.dir)) {
        const uuid = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
        if (!UUID_PATTERN.test(uuid) || this.sessions.has(uuid)) continue;
        try {
          const session = JSON.parse(await readFile(this.metaPath(uuid), 'utf8')) as UploadSession;
          const [meta, data] = await Promise.all([stat(this.metaPath(uuid)), stat(this.dataPath(uuid))]);
          if (typeof session.owner !== 'string' || typeof session.repository !== 'string') continue;
          const entry: OpenSession = { session: { ...session, uuid }, bytes: 0, lastActivity: Math.max(meta.mtimeMs, data.mtimeMs), busy: 0 };
          this.sessions.set(uuid, entry);
          this.chargeBytes(entry, data.size);
        } catch {
          // Unreadable or half-written: no session; the sweep removes its files once they are old.
        }
      }
    })();
    return this.loading;
  }

  private assertSessionQuota(owner: string): void {
    const mine = [...this.sessions.values()].filter((e) => e.session.owner === owner);
    if (mine.length >= this.limits.maxSessionsPerOwner) {
      const firstExpiry = Math.min(...mine.map((e) => e.lastActivity)) + this.limits.ttlMs;
      const retryAfter = Math.max(1, Math.ceil((firstExpiry - Date.now()) / 1000));
      throw new OciError(
        'TOOMANYREQUESTS',
        `This token has ${mine.length} open upload sessions, its limit (OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN=${this.limits.maxSessionsPerOwner}): ` +
          `finish or cancel one (DELETE its Location), or wait for an idle one to expire.`,
        { limit: 'OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN', max: this.limits.maxSessionsPerOwner, retryAfter },
      );
    }
    if (this.sessions.size >= this.limits.maxSessions) {
      throw new OciError(
        'TOOMANYREQUESTS',
        `The registry has ${this.sessions.size} open upload sessions, its limit (OCI_MAX_UPLOAD_SESSIONS=${this.limits.maxSessions}): retry later.`,
        { limit: 'OCI_MAX_UPLOAD_SESSIONS', max: this.limits.maxSessions, retryAfter: 60 },
      );
    }
  }

  private assertSpoolQuota(owner: string, bytes: number): void {
    const mine = this.spooledByOwner.get(owner) ?? 0;
    if (mine + bytes > this.limits.maxSpoolBytesPerOwner) {
      throw new OciError(
        'TOOMANYREQUESTS',
        `This token's uploads in progress would hold more than ${this.limits.maxSpoolBytesPerOwner} bytes ` +
          `(OCI_MAX_SPOOL_BYTES_PER_TOKEN): finish or cancel other uploads first.`,
        { limit: 'OCI_MAX_SPOOL_BYTES_PER_TOKEN', max: this.limits.maxSpoolBytesPerOwner },
      );
    }
    if (this.spooled + bytes > this.limits.maxSpoolBytes) {
      throw new OciError(
        'TOOMANYREQUESTS',
        `The registry's upload spool would hold more than ${this.limits.maxSpoolBytes} bytes (OCI_MAX_SPOOL_BYTES): retry later.`,
        { limit: 'OCI_MAX_SPOOL_BYTES', max: this.limits.maxSpoolBytes, retryAfter: 60 },
      );
    }
  }

  private chargeBytes(entry: OpenSession, delta: number): void {
    entry.bytes += delta;
    // A session removed while a request still writes to it was uncharged already.
    if (this.sessions.get(entry.session.uuid) === entry) this.charge(entry.session.owner, delta);
  }

  private charge(owner: string, delta: number): void {
    const next = (this.spooledByOwner.get(owner) ?? 0) + delta;
    if (next > 0) this.spooledByOwner.set(owner, next);
    else this.spooledByOwner.delete(owner);
    this.spooled += delta;
  }

  private metaPath(uuid: string): string {
    return path.join(this.dir, `${uuid}.json`);
  }
}
