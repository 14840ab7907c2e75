/** Authorised access to stored artifacts for `GET /artifacts/sha256/<hex>`. */
import type { Readable } from 'node:stream';
import type { Db } from '../platform/database.js';
import type { ArtifactStore, ByteRange } from '../artifacts/artifact.store.js';
import { hexToDigest } from '../artifacts/artifact.store.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';

export interface ArtifactDownload {
  digest: string;
  size: number;
  mediaType: string;
  /** A presigned URL to redirect to, when the store offers one and they are enabled. */
  redirectUrl?: string;
  open(range?: ByteRange): Promise<Readable>;
}

export class ArtifactAccessService {
  constructor(
    private readonly prisma: Db,
    private readonly artifacts: ArtifactStore,
    private readonly policy: AccessPolicy,
    private readonly options: { presignedDownloads: boolean },
  ) {}

  /** Only artifacts the catalog knows (a row exists) are served: orphans awaiting collection are not. */
  async open(actor: Principal, hex: string, fileName?: string): Promise<ArtifactDownload> {
    assertCanRead(actor, this.policy);
    const digest = hexToDigest(hex);
    if (!digest) throw new InvalidInputError('An artifact is addressed by 64 lowercase hex digits of its sha256.', { field: 'digest' });
    const row = await this.prisma.artifact.findUnique({ where: { digest } });
    if (!row) throw new NotFoundError(`No artifact ${digest}.`);
    const redirectUrl = this.options.presignedDownloads
      ? ((await this.artifacts.presignedGetUrl(digest, 300, fileName)) ?? undefined)
      : undefined;
    return {
      digest,
      size: Number(row.size),
      mediaType: row.mediaType,
      redirectUrl,
      open: (range) => this.artifacts.get(digest, range),
    };
  }
}
