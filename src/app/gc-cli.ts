/**
 * `npm run gc`: one collection, then exit. Deletes Artifact rows nothing live needs (a version, a
 * logo, a live pushed OCI manifest) and then their objects, and objects no row points at, all older
 * than the grace period; also removes upload leftovers of a killed process (spool folders, partial
 * files, expired OCI upload sessions) past the grace.
 * Flags: `--grace <seconds>` (default GC_GRACE_SECONDS, 3600), `--dry-run`. Reads the same environment as the service.
 * On the embedded database, stop the service first: a PGlite folder can't be opened by two processes.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../platform/database.js';
import { createArtifactStore } from '../artifacts/artifact.factory.js';
import { collectOrphanArtifacts, GC_LOCK, removeStaleUploads } from '../artifacts/artifact.gc.job.js';
import { jobLockFor } from '../platform/job-lock.js';
import { PUSHED_MANIFEST_FORMAT } from '../oci/oci.manifest.js';
import { ArtifactRowStore } from '../catalog/artifact-rows.store.js';
import { UploadSessionStore } from '../oci/oci.uploads.js';
import { OciUploadSessionStore } from '../oci/oci.upload-sessions.store.js';

async function main(): Promise<number> {
  let values: { grace?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({ options: { grace: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: gc-cli [--grace <seconds>] [--dry-run]`);
    return 64; // EX_USAGE
  }
  const config = loadConfig();
  const graceSeconds = values.grace === undefined ? config.gc.graceMs / 1000 : Number(values.grace);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    console.error('--grace must be a non-negative number of seconds.');
    return 64; // EX_USAGE
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const store = await createArtifactStore({ s3: config.s3, dataDir: config.dataDir });
    const graceMs = graceSeconds * 1000;
    const lock = jobLockFor(database);
    const ociUploads = UploadSessionStore.fromConfig(config, { sessions: new OciUploadSessionStore(database.prisma), artifacts: store, lock });
    // A replica collecting now holds the lock: one collection at a time over the shared rows and store.
    const outcome = await lock.run(GC_LOCK, () =>
      // Chunks of open OCI upload sessions have no Artifact row: kept while their session lives.
      collectOrphanArtifacts(ociUploads.guardChunks(new ArtifactRowStore(database.prisma)), store, PUSHED_MANIFEST_FORMAT, { graceMs, dryRun: values['dry-run'] ?? false }),
    );
    if (!outcome.ran) {
      console.error('Another process (a replica or another gc) is collecting now: nothing done; retry later.');
      return 75; // EX_TEMPFAIL
    }
    const result = outcome.value;
    const uploads = values['dry-run'] ? { removed: [] } : await removeStaleUploads(config.dataDir, { graceMs });
    // OCI upload sessions expire by their own time to live (OCI_UPLOAD_SESSION_TTL_SECONDS), not by the grace.
    const oci = values['dry-run'] ? { sessions: 0, leftovers: 0 } : await ociUploads.sweep();
    console.log(
      JSON.stringify({
        dryRun: values['dry-run'] ?? false,
        graceSeconds,
        ...result,
        staleUploadsRemoved: uploads.removed.length,
        ociUploadsRemoved: oci.sessions + oci.leftovers,
      }),
    );
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : `Garbage collection failed: ${(error as Error).message}`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
