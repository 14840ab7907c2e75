import { join } from 'node:path';

import type { ArtifactStore } from './artifact.store.js';
import { FilesystemArtifactStore } from './fs.store.js';
import { MinioArtifactStore, type MinioArtifactStoreOptions } from './minio.store.js';

/** What `createArtifactStore` needs: S3 settings when artifacts live in a bucket, and the data directory. */
export interface ArtifactStoreConfig {
  /** The bucket to use; when absent, artifacts live under `<dataDir>/artifacts`. */
  s3?: Omit<MinioArtifactStoreOptions, 'spoolDir'>;
  /** The service's local data directory (also where S3 uploads are spooled, under `<dataDir>/spool`). */
  dataDir: string;
}

/**
 * Builds the one artifact store of the process: MinIO/S3 when configured, otherwise a directory
 * (the embedded default). Called once, by the composition root.
 */
export async function createArtifactStore(config: ArtifactStoreConfig): Promise<ArtifactStore> {
  if (config.s3) {
    // Spool under the data directory, not /tmp: in containers /tmp is often a small, memory-backed tmpfs.
    return MinioArtifactStore.create({ ...config.s3, spoolDir: join(config.dataDir, 'spool') });
  }
  return FilesystemArtifactStore.create(join(config.dataDir, 'artifacts'));
}
