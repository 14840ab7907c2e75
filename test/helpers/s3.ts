/**
 * A real S3 server for tests: @20minutes/s3rver on a random loopback port, storing into a fresh
 * temporary directory. It checks SigV4 signatures but can't do multipart uploads (see ENVIRONMENT.md).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import S3rver from '@20minutes/s3rver';

/** A running test S3 server and the settings to reach it. */
export interface TestS3Server {
  endPoint: '127.0.0.1';
  port: number;
  useSSL: false;
  accessKey: 'S3RVER';
  secretKey: 'S3RVER';
  region: 'us-east-1';
  /** A bucket with a unique name: created at start unless `createBucket: false`. */
  bucket: string;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** Starts a server; `createBucket: false` leaves `bucket` to be made by the code under test. */
export async function startS3Server(options: { createBucket?: boolean } = {}): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'pack-catalog-s3-'));
  const bucket = `packs-${randomUUID().slice(0, 8)}`;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: options.createBucket === false ? [] : [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  return {
    endPoint: '127.0.0.1',
    port,
    useSSL: false,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    region: 'us-east-1',
    bucket,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
