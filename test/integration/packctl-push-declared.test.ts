/**
 * packctl pack push declares the archive's digest and size it computed (issue 13): the service can
 * then store the bytes while they arrive instead of spooling them first.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import { packctl } from '../helpers/packctl-in-process.js';
import { startPackctlSession, type PackctlSession } from '../helpers/packctl-session.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { addonPackTarball } from '../helpers/tar-builder.js';

describe('packctl pack push declares digest and size', () => {
  let t: TestApp;
  let cli: PackctlSession;
  let registry: string;

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    registry = uniqueName('declared-cli');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    cli = await startPackctlSession(t, { prefix: 'packctl-declared-' });
  }, 60_000);

  afterAll(async () => {
    await cli?.close();
    await t?.close();
  });

  it('sends the sha256 and size of the file it pushes, and the service streams it to the store', async () => {
    const name = uniqueName('cli-declared');
    const archive = path.join(cli.dir, `${name}-1.0.0.tar.gz`);
    await writeFile(archive, addonPackTarball(name, '1.0.0'));
    const bytes = await readFile(archive);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const push = jest.spyOn(t.services.packPublish, 'push');
    const begun = jest.spyOn(t.services.ingest, 'beginArchivePut');

    const pushed = await packctl('-o', 'json', 'pack', 'push', archive, '--registry', registry);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(JSON.parse(pushed.stdout)).toMatchObject({ status: 'pushed', digest, size: bytes.length });
    expect(push).toHaveBeenCalledTimes(1);
    expect(push.mock.calls[0]![1]).toMatchObject({ registry, digest, size: bytes.length });
    expect(begun).toHaveBeenCalledWith(expect.objectContaining({ digest, size: bytes.length }));
    expect(await t.artifacts.exists(digest)).toBe(true);
  });
});
