/**
 * packctl's signing commands in process against the service on a loopback port: key generate
 * (encrypted private key, 0600), push --sign into a REQUIRE registry, pack sign, pack verify (with a
 * local public key and with the server's policy), pull --verify refusing unsigned bytes before
 * writing anything.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { packctl } from '../helpers/packctl-in-process.js';
import { startPackctlSession, type PackctlSession } from '../helpers/packctl-session.js';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { pushArchive } from '../helpers/packs.js';

describe('packctl key generate, pack sign|verify, push --sign, pull --verify', () => {
  let t: TestApp;
  let cli: PackctlSession;
  let dir: string;
  let registry: string;

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    registry = uniqueName('signing');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    const publisher = await createToken(t, 'PUBLISHER', [registry], uniqueName('cli'));
    cli = await startPackctlSession(t, { prefix: 'packctl-sign-', token: publisher });
    dir = cli.dir;
    await writeFile(path.join(dir, 'passphrase'), 'correct horse battery\n');
  }, 60_000);

  afterAll(async () => {
    await cli?.close();
    await t.close();
  });

  it('generates an encrypted key pair, signs on push into a REQUIRE registry, verifies, and pull --verify refuses an unsigned version', async () => {
    const prefix = path.join(dir, 'release');
    const generated = await packctl('key', 'generate', prefix, '--passphrase-file', path.join(dir, 'passphrase'));
    expect(generated.code).toBe(0);
    expect((await stat(`${prefix}.key`)).mode & 0o777).toBe(0o600);
    const privatePem = await readFile(`${prefix}.key`, 'utf8');
    expect(privatePem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(() => createPrivateKey({ key: privatePem, format: 'pem' })).toThrow();
    expect((await packctl('key', 'generate', prefix, '--passphrase-file', path.join(dir, 'passphrase'))).code).toBe(1);

    const policy = await t.gql('mutation($r: String!, $i: TrustPolicyInput!) { setTrustPolicy(registry: $r, input: $i) { enforce } }', {
      r: registry,
      i: { enforce: 'REQUIRE', keys: [{ name: 'release', publicKeyPem: await readFile(`${prefix}.pub`, 'utf8') }] },
    });
    expect(policy.body.errors).toBeUndefined();

    const archive = path.join(dir, 'signed-1.0.0.tar.gz');
    await writeFile(archive, addonPackTarball('signed', '1.0.0'));
    const unsigned = await packctl('pack', 'push', archive, '--registry', registry);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain('SIGNATURE_MISSING');
    const pushed = await packctl('pack', 'push', archive, '--registry', registry, '--sign', '--key', `${prefix}.key`, '--passphrase-file', path.join(dir, 'passphrase'));
    expect(pushed.stderr).not.toContain('error');
    expect(pushed.code).toBe(0);

    const local = await packctl('-o', 'json', 'pack', 'verify', 'signed:1.0.0', '--registry', registry, '--key', `${prefix}.pub`);
    expect(local.code).toBe(0);
    expect(JSON.parse(local.stdout)).toMatchObject({ verified: true, algorithm: 'ECDSA_P256_SHA256' });
    const byServer = await packctl('pack', 'verify', 'signed:1.0.0', '--registry', registry);
    expect(byServer).toMatchObject({ code: 0 });
    expect(byServer.stdout).toContain('signed by release');

    const pulled = path.join(dir, 'pulled');
    const pull = await packctl('pack', 'pull', 'signed:1.0.0', pulled, '--registry', registry, '--verify', '--key', `${prefix}.pub`);
    expect(pull.code).toBe(0);
    expect(await readdir(pulled)).toContain('pack.json');

    // Another key: verify and pull --verify refuse, and nothing is written.
    const other = path.join(dir, 'other');
    expect((await packctl('key', 'generate', other, '--algorithm', 'ed25519', '--passphrase-file', path.join(dir, 'passphrase'))).code).toBe(0);
    const wrongKey = await packctl('pack', 'verify', 'signed:1.0.0', '--registry', registry, '--key', `${other}.pub`);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('SIGNATURE_UNKNOWN_KEY');
    const refusedDir = path.join(dir, 'refused');
    const refused = await packctl('pack', 'pull', 'signed:1.0.0', refusedDir, '--registry', registry, '--verify', '--key', `${other}.pub`);
    expect(refused.code).toBe(1);
    expect(await readdir(refusedDir)).toEqual([]);
  }, 60_000);

  it('signs a published version with pack sign; pull --verify refuses an unsigned one by the server\'s policy', async () => {
    const prefix = path.join(dir, 'late');
    expect((await packctl('key', 'generate', prefix, '--algorithm', 'ed25519', '--passphrase-file', path.join(dir, 'passphrase'))).code).toBe(0);
    const open = uniqueName('open');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: open, kind: 'HOSTED' } });
    await t.gql('mutation($r: String!, $i: TrustPolicyInput!) { setTrustPolicy(registry: $r, input: $i) { enforce } }', {
      r: open,
      i: { enforce: 'WARN', keys: [{ name: 'late', publicKeyPem: await readFile(`${prefix}.pub`, 'utf8') }] },
    });
    expect((await pushArchive(t.app, t.adminToken, open, addonPackTarball('later', '1.0.0'))).body.errors).toBeUndefined();
    const token = await createToken(t, 'PUBLISHER', [open], uniqueName('cli'));
    await cli.login(token);

    const unsignedDir = path.join(dir, 'unsigned');
    const refused = await packctl('pack', 'pull', 'later:1.0.0', unsignedDir, '--registry', open, '--verify');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SIGNATURE_MISSING');
    expect(await readdir(unsignedDir)).toEqual([]);

    const signed = await packctl('pack', 'sign', 'later:1.0.0', '--registry', open, '--key', `${prefix}.key`, '--passphrase-file', path.join(dir, 'passphrase'));
    expect(signed.code).toBe(0);
    const pull = await packctl('pack', 'pull', 'later:1.0.0', path.join(dir, 'later'), '--registry', open, '--verify');
    expect(pull.code).toBe(0);
  }, 60_000);
});
