import { cp, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pickChartLayer, pickPackLayer, OCI_MEDIA_TYPES } from '../../../src/registries/adapters/oci/oci.adapter.js';
import { hashFolder } from '../../../src/registries/adapters/directory/directory.adapter.js';
import { PACK_CENTRAL } from '../../helpers/packs.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('OCI layer choice', () => {
  it('takes the only layer of an oras-style artifact', () => {
    expect(pickPackLayer({ layers: [{ mediaType: OCI_MEDIA_TYPES.orasFileLayer, digest: digest('a'), size: 10 }] })).toEqual({ digest: digest('a'), size: 10 });
  });

  it('takes the layer titled *.tar.gz among several, and explains when none fits', () => {
    const titled = (title: string, c: string) => ({ mediaType: 'x', digest: digest(c), size: 1, annotations: { [OCI_MEDIA_TYPES.titleAnnotation]: title } });
    expect(pickPackLayer({ layers: [titled('README.md', 'a'), titled('demo-1.0.0.tar.gz', 'b')] })).toEqual({ digest: digest('b'), size: 1 });
    expect(pickPackLayer({ layers: [titled('a.txt', 'a'), titled('b.txt', 'b')] })).toMatch(/none is clearly the pack tarball/);
    expect(pickPackLayer({ layers: [] })).toMatch(/no usable layers/);
    expect(pickPackLayer({ layers: [{ digest: 'md5:x' }] })).toMatch(/no usable layers/);
    expect(pickPackLayer({ mediaType: OCI_MEDIA_TYPES.imageIndex, manifests: [] })).toMatch(/image index/);
  });

  it('finds the chart content layer of a Helm OCI artifact', () => {
    expect(pickChartLayer({ layers: [{ mediaType: 'application/vnd.cncf.helm.chart.provenance.v1.prov', digest: digest('c') }, { mediaType: OCI_MEDIA_TYPES.helmChart, digest: digest('d'), size: 5 }] })).toEqual({ digest: digest('d'), size: 5 });
    expect(pickChartLayer({ layers: [] })).toMatch(/no chart content layer/);
  });
});

describe('DIRECTORY content marker', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dir-marker-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('ignores mtimes and copies, and changes with any byte', async () => {
    const source = path.join(PACK_CENTRAL, 'full', 'kubewatch-1.0.7');
    const copy = path.join(dir, 'kubewatch-1.0.7');
    await cp(source, copy, { recursive: true });
    const { execFileSync } = await import('node:child_process');
    execFileSync('chmod', ['-R', 'u+w', copy]);
    expect(await hashFolder(copy)).toBe(await hashFolder(source));
    await utimes(path.join(copy, 'values.yaml'), new Date(0), new Date(0));
    expect(await hashFolder(copy)).toBe(await hashFolder(source));
    await writeFile(path.join(copy, 'values.yaml'), '# changed\n', { flag: 'a' });
    expect(await hashFolder(copy)).not.toBe(await hashFolder(source));
  });
});
