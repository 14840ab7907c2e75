/**
 * Blob upload sessions of the OCI push API, spooled to files under `<DATA_DIR>/spool/oci/`:
 * `<uuid>` holds the bytes received so far and `<uuid>.json` the session (repository, owner, start).
 * Sessions are bounded in size and expire; expired ones are swept when a new one starts.
 * A session lives on the replica that started it (its spool is local disk).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { OciError } from './oci.errors.js';

export interface UploadSession {
  uuid: string;
  repository: string;
  owner: string;
  startedAt: number;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class UploadSessionStore {
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly options: { maxBytes: number; ttlMs: number },
  ) {
    this.dir = path.join(dataDir, 'spool', 'oci');
  }

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  async start(repository: string, owner: string): Promise<UploadSession> {
    await mkdir(this.dir, { recursive: true });
    await this.sweep().catch(() => undefined);
    const session: UploadSession = { uuid: randomUUID(), repository, owner, startedAt: Date.now() };
    await writeFile(this.dataPath(session.uuid), '', { flag: 'wx' });
    await writeFile(this.metaPath(session.uuid), JSON.stringify(session), { flag: 'wx' });
    return session;
  }

  /** The session, checked to belong to this repository and caller; BLOB_UPLOAD_UNKNOWN otherwise. */
  async open(uuid: string, repository: string, owner: string): Promise<UploadSession> {
    const unknown = new OciError('BLOB_UPLOAD_UNKNOWN', `No upload session ${uuid} for ${repository}.`);
    if (!UUID_PATTERN.test(uuid)) throw unknown;
    let session: UploadSession;
    try {
      session = JSON.parse(await readFile(this.metaPath(uuid), 'utf8')) as UploadSession;
    } catch {
      throw unknown;
    }
    if (session.repository !== repository || session.owner !== owner) throw unknown;
    if (Date.now() - session.startedAt > this.options.ttlMs) {
      await this.remove(uuid);
      throw unknown;
    }
    return session;
  }

  async size(uuid: string): Promise<number> {
    return (await stat(this.dataPath(uuid))).size;
  }

  /** Appends a request body to the session's file, refusing to grow past maxBytes. */
  async append(uuid: string, body: Readable): Promise<number> {
    let size = await this.size(uuid);
    const limit = this.options.maxBytes;
    const out = createWriteStream(this.dataPath(uuid), { flags: 'a' });
    await pipeline(
      body,
      async function* bounded(chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          // Stop at once: an oversized upload must not fill the disk before it is refused.
          if (size > limit) throw new OciError('SIZE_INVALID', `The blob is larger than the ${limit}-byte upload limit.`, { maxBytes: limit }, 413);
          yield chunk;
        }
      },
      out,
    );
    return size;
  }

  dataPath(uuid: string): string {
    return path.join(this.dir, uuid);
  }

  async remove(uuid: string): Promise<void> {
    await rm(this.dataPath(uuid), { force: true }).catch(() => undefined);
    await rm(this.metaPath(uuid), { force: true }).catch(() => undefined);
  }

  /** Removes sessions older than the time to live. */
  async sweep(): Promise<void> {
    const now = Date.now();
    for (const entry of await readdir(this.dir)) {
      if (!entry.endsWith('.json')) continue;
      const uuid = entry.slice(0, -'.json'.length);
      const info = await stat(path.join(this.dir, entry)).catch(() => null);
      if (info && now - info.mtimeMs > this.options.ttlMs) await this.remove(uuid);
    }
  }

  private metaPath(uuid: string): string {
    return path.join(this.dir, `${uuid}.json`);
  }
}
