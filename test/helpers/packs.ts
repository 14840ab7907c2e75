/** Pack fixtures and multipart pushes for tests. */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createPackTarball } from '../../src/packs/pack.archive.js';

export const PACK_CENTRAL = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../shared/fixtures/pack-central');
export const FULL_PACKS = [
  'citrix-adc-1.7.6',
  'crossplane-2.1.3',
  'elastic-stack-0.10.0',
  'kubearmor-1.4.6',
  'kubewatch-1.0.7',
  'multus-3.9.0',
  'nfs-subdir-external-4.0.13',
  'spegel-0.0.18',
  'tekton-chains-0.12.0',
  'vast-csi-2.6.5',
];

let workDir: string | undefined;

/** A gzip tarball of a pack folder (as `tar -czf NAME-VERSION.tar.gz NAME-VERSION` would give). */
export async function tarPack(folder: string): Promise<string> {
  workDir ??= await mkdtemp(path.join(tmpdir(), 'pack-catalog-packs-'));
  const out = path.join(workDir, `${path.basename(folder)}-${Math.random().toString(36).slice(2)}.tar.gz`);
  await createPackTarball(folder, out);
  return out;
}

export const PUSH_PACK = `mutation Push($registry: String!, $archive: Upload!, $force: Boolean, $message: String) {
  pushPack(registry: $registry, archive: $archive, force: $force, message: $message) {
    id version digest size tags pack { name layer } registry { name }
  }
}`;

/** Push through /graphql with the GraphQL multipart request spec, as `curl -F` does; to an app, or a running service's URL. */
export async function pushArchive(
  app: Express | string,
  token: string,
  registry: string,
  archive: string | Buffer,
  options: { force?: boolean; message?: string; filename?: string } = {},
): Promise<{ status: number; body: any }> {
  const operations = { query: PUSH_PACK, variables: { registry, archive: null, force: options.force, message: options.message } };
  const response = await request(app)
    .post('/graphql')
    .set('authorization', `Bearer ${token}`)
    .set('apollo-require-preflight', 'true')
    .field('operations', JSON.stringify(operations))
    .field('map', JSON.stringify({ 0: ['variables.archive'] }))
    .attach('0', archive, { filename: options.filename ?? 'pack.tar.gz', contentType: 'application/gzip' });
  return { status: response.status, body: response.body };
}

/**
 * A tarball of a fixture pack renamed to `name`, with a logo of its own: the test files of a run
 * share one database, so a test that needs digests no other file holds (archive and logo) uses this.
 */
export async function uniquePackCopy(folder: string, name: string): Promise<string> {
  workDir ??= await mkdtemp(path.join(tmpdir(), 'pack-catalog-packs-'));
  const source = path.join(PACK_CENTRAL, 'full', folder);
  const manifest = JSON.parse(await readFile(path.join(source, 'pack.json'), 'utf8')) as { name: string; version: string };
  const target = path.join(workDir, `${name}-${manifest.version}`);
  await cp(source, target, { recursive: true });
  await writeFile(path.join(target, 'pack.json'), JSON.stringify({ ...manifest, name, displayName: name }));
  const logo = path.join(target, 'logo.png');
  await writeFile(logo, Buffer.concat([await readFile(logo), Buffer.from(name)]));
  return tarPack(target);
}
