/**
 * `packctl profile propose` in process against a real app seeded with the DEFAULT registry
 * (issue 16, section 2): the proposal is printed as a profile file that `profile apply` saves as
 * it is; an impossible request prints the chain of facts and exits 1.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { packctl } from '../helpers/packctl-in-process.js';
import { startPackctlSession, type PackctlSession } from '../helpers/packctl-session.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

describe('packctl profile propose', () => {
  let t: TestApp;
  let cli: PackctlSession;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
    cli = await startPackctlSession(t, { prefix: 'packctl-propose-' });
  }, 120_000);
  afterAll(async () => {
    await cli?.close();
    await t.close();
  });

  it('prints a profile file that profile apply saves', async () => {
    const name = uniqueName('proposed');
    const proposed = await packctl(
      'profile', 'propose', '--cloud', 'aws', '--kubernetes', '1.31.x', '--pack', 'ubuntu@22.04', '--pack', 'cert-manager',
      '--slot', 'CNI', '--slot', 'CSI:prefer=csi-aws-ebs', '--name', name,
    );
    expect(proposed.stderr).toBe('');
    expect(proposed.code).toBe(0);
    const file = parse(proposed.stdout) as { name: string; type: string; cloudType: string; layers: Array<{ pack: string; version: string; registry: string }> };
    expect(file).toMatchObject({ name, type: 'CLUSTER', cloudType: 'aws' });
    expect(file.layers[0]).toEqual({ pack: 'ubuntu', version: '22.04', registry: 'default' });
    expect(file.layers.map((l) => l.pack)).toEqual(expect.arrayContaining(['kubernetes', 'csi-aws-ebs', 'cert-manager']));
    expect(file.layers.find((l) => l.pack === 'kubernetes')!.version).toBe('1.31.2');

    const fileName = path.join(cli.dir, 'proposed.yaml');
    await writeFile(fileName, proposed.stdout);
    const applied = await packctl('profile', 'apply', fileName);
    expect(applied.code).toBe(0);
    const { body } = await t.gql('query($n: String!) { profile(name: $n) { version validation { valid } } }', { n: name });
    expect(body.data!.profile).toEqual({ version: '1.0.0', validation: { valid: true } });
  });

  it('explains an impossible request and exits 1', async () => {
    const result = await packctl('profile', 'propose', '--cloud', 'aws', '--kubernetes', '1.29.x', '--pack', 'ubuntu@24.04');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No profile fits: ');
    expect(result.stderr).toContain('kubernetes 1.29.10 does not support ubuntu >= 24.04');
  });

  it('refuses a malformed slot as a usage error', async () => {
    const result = await packctl('profile', 'propose', '--cloud', 'aws', '--slot', 'GPU');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--slot "GPU"');
  });
});
