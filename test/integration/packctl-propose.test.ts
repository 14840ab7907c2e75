/**
 * `packctl profile propose` in process against a real app seeded with the DEFAULT registry
 * (issue 16, section 2): the proposal is printed as a profile file that `profile apply` saves as
 * it is; an impossible request prints the chain of facts and exits 1.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { packctl } from '../helpers/packctl-in-process.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

describe('packctl profile propose', () => {
  let t: TestApp;
  let server: Server;
  let dir: string;
  const saved = process.env.PACKCTL_CONFIG;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(tmpdir(), 'packctl-propose-'));
    process.env.PACKCTL_CONFIG = path.join(dir, 'config.json');
    await writeFile(process.env.PACKCTL_CONFIG, JSON.stringify({ defaultServer: url, servers: { [url]: { token: t.adminToken } } }));
  }, 120_000);
  afterAll(async () => {
    if (saved === undefined) delete process.env.PACKCTL_CONFIG;
    else process.env.PACKCTL_CONFIG = saved;
    server?.close();
    await t.close();
    await rm(dir, { recursive: true, force: true });
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

    const fileName = path.join(dir, 'proposed.yaml');
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
