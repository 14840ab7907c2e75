/** The real packs of spectrocloud/pack-central, warts included, through the whole reader. */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPackTarball, extractPackArchive } from '../../../src/packs/pack.archive.js';
import { parsePackManifest } from '../../../src/packs/pack.manifest.js';
import { readPackArchive, readPackDirectory } from '../../../src/packs/pack.reader.js';
import type { PackReadResult } from '../../../src/packs/pack.types.js';
import { removeTempDirs, tempDir } from '../../helpers/tar-builder.js';

afterAll(removeTempDirs);

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/pack-central');
const META = path.join(FIXTURES, 'meta');
const FULL = path.join(FIXTURES, 'full');

function summarise(result: PackReadResult): string[] {
  return result.issues.filter((issue) => issue.severity === 'error').map((issue) => `${issue.code} ${issue.path ?? ''}: ${issue.message}`);
}

describe('pack-central meta packs (pack.json, values, presets, schema, README)', () => {
  let folders: string[];
  const results = new Map<string, PackReadResult>();

  beforeAll(async () => {
    folders = (await readdir(META)).sort();
    for (const folder of folders) {
      // Mirror mode, and no chart check: meta/ keeps metadata only, not charts or manifests.
      results.set(folder, await readPackDirectory(path.join(META, folder), { lenient: true, checkReferencedFiles: false }));
    }
  });

  it('has all 220 packs', () => {
    expect(folders).toHaveLength(220);
  });

  it('reads every one with zero errors in mirror mode', () => {
    const failures = Object.fromEntries([...results].filter(([, result]) => !result.ok).map(([folder, result]) => [folder, summarise(result)]));
    expect(failures).toEqual({});
  });

  it('parses the presets and schemas the packs ship', () => {
    const read = [...results.values()].flatMap((result) => (result.ok ? [result.pack] : []));
    expect(read.filter((pack) => pack.presets !== null)).toHaveLength(37);
    expect(read.filter((pack) => pack.schema !== null)).toHaveLength(40);
    expect(read.filter((pack) => pack.readme !== null)).toHaveLength(181);
    expect(read.filter((pack) => pack.values === '')).toHaveLength(5);
    const layers = read.reduce<Record<string, number>>((count, pack) => ({ ...count, [pack.manifest.layer]: (count[pack.manifest.layer] ?? 0) + 1 }), {});
    expect(layers).toEqual({ addon: 190, csi: 27, cni: 3 });
    const argo = results.get('argocd-3.26.7');
    expect(argo?.ok && argo.pack.presets?.map((preset) => `${preset.group}:${preset.name}`)).toEqual(['Ingress:enable-ingress', 'Ingress:disable-ingress']);
  });

  it('only warns about what mirror mode tolerates, a missing logo and copy-pasted preset lines', () => {
    const codes = new Set([...results.values()].flatMap((result) => result.issues.map((issue) => issue.code)));
    expect([...codes].sort()).toEqual(['DEPENDENCY_TYPE_MISSING', 'LOGO_MISSING', 'PRESET_ENABLED_UNKNOWN', 'VERSION_LEADING_V']);
  });

  it('refuses exactly six of them under the strict rules pushes follow', async () => {
    const refused: Record<string, string[]> = {};
    for (const folder of folders) {
      const { issues } = parsePackManifest(await readFile(path.join(META, folder, 'pack.json'), 'utf8'));
      const errors = issues.filter((issue) => issue.severity === 'error').map((issue) => `${issue.code} ${issue.path}`);
      if (errors.length > 0) refused[folder] = errors;
    }
    expect(refused).toEqual({
      'nvidia-dra-driver-25.8.1': ['PACK_JSON_SCHEMA pack.json#/constraints/dependencies/0/type'],
      'nvidia-nvsentinel-v1.1.0': ['VERSION_LEADING_V pack.json#/version'],
      'weka-operator-addon-v1.12.0': ['VERSION_LEADING_V pack.json#/version'],
      'weka-operator-addon-v1.8.7': ['VERSION_LEADING_V pack.json#/version'],
      'weka-operator-v1.12.0': ['VERSION_LEADING_V pack.json#/version'],
      'weka-operator-v1.8.7': ['VERSION_LEADING_V pack.json#/version'],
    });
  });
});

describe('pack-central full packs as pushed tarballs', () => {
  const expected: Array<[folder: string, name: string, version: string, layer: string]> = [
    ['citrix-adc-1.7.6', 'lb-citrix-adc', '1.7.6', 'addon'],
    ['crossplane-2.1.3', 'crossplane', '2.1.3', 'addon'],
    ['elastic-stack-0.10.0', 'elastic-stack', '0.10.0', 'addon'],
    ['kubearmor-1.4.6', 'kubearmor', '1.4.6', 'addon'],
    ['kubewatch-1.0.7', 'kubewatch', '1.0.7', 'addon'],
    ['multus-3.9.0', 'cni-multus', '3.9.0', 'addon'],
    ['nfs-subdir-external-4.0.13', 'csi-nfs-subdir-external', '4.0.13', 'csi'],
    ['spegel-0.0.18', 'spegel', '0.0.18', 'addon'],
    ['tekton-chains-0.12.0', 'tekton-chains', '0.12.0', 'addon'],
    ['vast-csi-2.6.5', 'vast-csi', '2.6.5', 'addon'],
  ];

  it('covers every full pack', async () => {
    expect((await readdir(FULL)).sort()).toEqual(expected.map(([folder]) => folder));
  });

  it.each(expected)('%s: tarball reads back as %s %s (%s), with its charts and manifests', async (folder, name, version, layer) => {
    const out = path.join(await tempDir(), `${folder}.tar.gz`);
    await createPackTarball(path.join(FULL, folder), out);
    const result = await readPackArchive(out);
    expect(summarise(result)).toEqual([]);
    if (!result.ok) return;
    expect(result.issues).toEqual([]);
    const { manifest, files, logo, rootFolder } = result.pack;
    expect([manifest.name, manifest.version, manifest.layer]).toEqual([name, version, layer]);
    expect(rootFolder).toBe(folder);
    expect(logo?.fileName).toBe('logo.png');
    expect(files).toEqual(expect.arrayContaining(['pack.json', 'values.yaml', ...manifest.charts, ...manifest.kubeManifests]));
  });

  it('builds the same bytes twice from the same folder', async () => {
    const dir = await tempDir();
    const source = path.join(FULL, 'crossplane-2.1.3');
    const first = await createPackTarball(source, path.join(dir, 'a.tar.gz'));
    const second = await createPackTarball(source, path.join(dir, 'b.tar.gz'));
    expect(second.sha256).toBe(first.sha256);
    expect(second.size).toBe(first.size);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('extracts a tarball back into a folder that reads the same', async () => {
    const dir = await tempDir();
    const archive = path.join(dir, 'spegel.tar.gz');
    await createPackTarball(path.join(FULL, 'spegel-0.0.18'), archive);
    const dest = path.join(dir, 'out');
    await import('node:fs/promises').then((fs) => fs.mkdir(dest));
    const extracted = await extractPackArchive(archive, dest);
    expect(extracted).toMatchObject({ ok: true, issues: [] });
    const fromArchive = await readPackArchive(archive);
    const fromFolder = await readPackDirectory(path.join(dest, 'spegel-0.0.18'));
    expect(fromFolder.ok && fromArchive.ok).toBe(true);
    if (fromFolder.ok && fromArchive.ok) {
      expect(fromFolder.pack.files).toEqual(fromArchive.pack.files);
      expect(fromFolder.pack.manifest).toEqual(fromArchive.pack.manifest);
      expect(fromFolder.pack.logo?.bytes.equals(fromArchive.pack.logo?.bytes ?? Buffer.alloc(0))).toBe(true);
    }
  });
});
