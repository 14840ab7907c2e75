import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readPackArchive, readPackDirectory } from '../../../src/packs/pack.reader.js';
import { validatePackContents } from '../../../src/packs/pack.validate.js';
import type { PackIssue } from '../../../src/packs/pack.types.js';
import { buildTarGz, minimalPackEntries, tempDir, writeTemp, removeTempDirs, type TarEntrySpec } from '../../helpers/tar-builder.js';

afterAll(removeTempDirs);

function summary(issues: PackIssue[]): Array<{ code: string; severity: string; path?: string }> {
  return issues.map(({ code, severity, path: at }) => (at === undefined ? { code, severity } : { code, severity, path: at }));
}

async function readEntries(entries: TarEntrySpec[]) {
  return readPackArchive(await writeTemp(buildTarGz(entries)));
}

const packJson = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'demo', displayName: 'Demo', version: '1.0.0', layer: 'addon', cloudTypes: ['all'], ...extra });

/** Writes a pack folder from a map of relative path -> contents. */
async function writePackFolder(files: Record<string, string>): Promise<string> {
  const dir = path.join(await tempDir(), 'demo-1.0.0');
  for (const [name, body] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), body);
  }
  return dir;
}

describe('readPackArchive: where the pack sits', () => {
  it('reads a pack in one top folder and reports the folder', async () => {
    const result = await readEntries(minimalPackEntries());
    expect(result.ok && result.pack.rootFolder).toBe('demo-1.0.0');
    expect(result.ok && result.pack.files).toEqual(['charts/demo-1.0.0.tgz', 'logo.png', 'pack.json', 'values.yaml']);
  });

  it('reads a pack whose files are at the archive root', async () => {
    const result = await readEntries(minimalPackEntries(''));
    expect(result.ok && result.pack.rootFolder).toBeNull();
    expect(result.ok && result.pack.manifest.name).toBe('demo');
  });

  it('reads a tarball made the usual way, with ./ entries', async () => {
    const dir = await writePackFolder({ 'pack.json': packJson(), 'values.yaml': '', 'logo.png': 'png' });
    const archive = path.join(path.dirname(dir), 'dot.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
    const result = await readPackArchive(archive);
    expect(summary(result.issues)).toEqual([]);
    expect(result.ok && result.pack.values).toBe('');
  });

  it('warns about files outside the pack folder and ignores them', async () => {
    const result = await readEntries([...minimalPackEntries(), { path: '__MACOSX/._pack.json', body: 'junk' }]);
    expect(result.ok).toBe(true);
    expect(summary(result.issues)).toEqual([{ code: 'ARCHIVE_EXTRA_FILES', severity: 'warning' }]);
    expect(result.ok && result.pack.files).not.toContain('__MACOSX/._pack.json');
  });

  it('refuses two pack folders in one archive', async () => {
    const result = await readEntries([...minimalPackEntries('a-1.0.0'), ...minimalPackEntries('b-1.0.0')]);
    expect(summary(result.issues)).toEqual([{ code: 'PACK_ROOT_AMBIGUOUS', severity: 'error' }]);
  });
});

describe('readPackArchive: pack rules', () => {
  it('lists every problem of a broken pack at once', async () => {
    const result = await readEntries(
      minimalPackEntries('demo-1.0.0', {
        'pack.json': packJson({ version: 'v1.0.0', layer: 'database', charts: ['charts/demo-1.0.0.tgz', 'charts/gone.tgz'] }),
        'presets.yaml': 'presets:\n  - name: x\n',
        'schema.yaml': 'a.b: 3\n',
        'logo.png': undefined,
      }),
    );
    expect(result.ok).toBe(false);
    expect(summary(result.issues)).toEqual([
      { code: 'PACK_JSON_SCHEMA', severity: 'error', path: 'pack.json#/layer' },
      { code: 'VERSION_LEADING_V', severity: 'error', path: 'pack.json#/version' },
      { code: 'PRESETS_SHAPE', severity: 'error', path: 'presets.yaml#/presets/0/displayName' },
      { code: 'PRESETS_SHAPE', severity: 'error', path: 'presets.yaml#/presets/0/group' },
      { code: 'SCHEMA_SHAPE', severity: 'error', path: 'schema.yaml#/a.b' },
      { code: 'LOGO_MISSING', severity: 'warning', path: 'logo.png' },
    ]);
  });

  it('refuses a chart or manifest named in pack.json that the archive lacks', async () => {
    const result = await readEntries(
      minimalPackEntries('demo-1.0.0', {
        'pack.json': packJson({ charts: ['charts/demo-1.0.0.tgz', './charts/missing.tgz'], kubeManifests: ['manifests/gone.yaml', '../outside.yaml'] }),
      }),
    );
    expect(summary(result.issues)).toEqual([
      { code: 'PACK_FILE_MISSING', severity: 'error', path: 'pack.json#/charts/1' },
      { code: 'PACK_FILE_MISSING', severity: 'error', path: 'pack.json#/kubeManifests/0' },
      { code: 'PACK_FILE_PATH_INVALID', severity: 'error', path: 'pack.json#/kubeManifests/1' },
    ]);
    expect(result.issues[0].message).toContain('./charts/missing.tgz');
  });

  it('accepts a pack without a logo, with a warning', async () => {
    const result = await readEntries(minimalPackEntries('demo-1.0.0', { 'logo.png': undefined }));
    expect(result.ok).toBe(true);
    expect(summary(result.issues)).toEqual([{ code: 'LOGO_MISSING', severity: 'warning', path: 'logo.png' }]);
    expect(result.ok && result.pack.logo).toBeNull();
  });

  it('takes another logo format when there is no logo.png', async () => {
    const result = await readEntries(minimalPackEntries('demo-1.0.0', { 'logo.png': undefined, 'logo.svg': '<svg/>' }));
    expect(result.ok && result.pack.logo?.fileName).toBe('logo.svg');
    expect(result.ok && result.pack.logo?.bytes.toString()).toBe('<svg/>');
  });

  it('refuses a pack without pack.json or values.yaml', async () => {
    const result = await readEntries(minimalPackEntries('demo-1.0.0', { 'pack.json': undefined, 'values.yaml': undefined }));
    expect(summary(result.issues)).toEqual([
      { code: 'PACK_JSON_MISSING', severity: 'error', path: 'pack.json' },
      { code: 'VALUES_MISSING', severity: 'error', path: 'values.yaml' },
    ]);
  });

  it('refuses values.yaml that is not YAML, and pack.json that is not UTF-8', async () => {
    const result = await readEntries([
      { path: 'demo/pack.json', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
      { path: 'demo/values.yaml', body: 'pack: [\n' },
      { path: 'demo/logo.png', body: 'png' },
    ]);
    expect(summary(result.issues)).toEqual([
      { code: 'PACK_FILE_ENCODING', severity: 'error', path: 'pack.json' },
      { code: 'VALUES_INVALID_YAML', severity: 'error', path: 'values.yaml' },
    ]);
  });

  it('returns presets, schema and README of a good pack', async () => {
    const result = await readEntries(
      minimalPackEntries('demo-1.0.0', {
        'values.yaml': '# spectrocloud.com/enabled-presets: Size:small\npack:\n  namespace: demo\n',
        'presets.yaml': 'presets:\n  - name: small\n    displayName: Small\n    group: Size\n    remove: []\n    add: "charts: {}"\n',
        'schema.yaml': 'charts.demo.replicas:\n  schema: "{{ required }}"\n',
        'README.md': '# Demo\n',
      }),
    );
    expect(summary(result.issues)).toEqual([]);
    expect(result.ok && result.pack).toMatchObject({
      presets: [{ name: 'small', group: 'Size', add: 'charts: {}' }],
      schema: { 'charts.demo.replicas': '{{ required }}' },
      readme: '# Demo\n',
    });
  });
});

describe('readPackDirectory', () => {
  it('reads a folder with the same rules as an archive', async () => {
    const dir = await writePackFolder({ 'pack.json': packJson({ kubeManifests: ['manifests/a.yaml'] }), 'values.yaml': '', 'manifests/a.yaml': 'kind: x' });
    const result = await readPackDirectory(dir);
    expect(result.ok && result.pack.files).toEqual(['manifests/a.yaml', 'pack.json', 'values.yaml']);
    expect(summary(result.issues)).toEqual([{ code: 'LOGO_MISSING', severity: 'warning', path: 'logo.png' }]);
    const missing = await readPackDirectory(await writePackFolder({ 'pack.json': packJson({ charts: ['charts/x.tgz'] }), 'values.yaml': '' }));
    expect(summary(missing.issues)).toContainEqual({ code: 'PACK_FILE_MISSING', severity: 'error', path: 'pack.json#/charts/0' });
    const unchecked = await readPackDirectory(await writePackFolder({ 'pack.json': packJson({ charts: ['charts/x.tgz'] }), 'values.yaml': '' }), {
      checkReferencedFiles: false,
    });
    expect(unchecked.ok).toBe(true);
  });

  it('follows links inside the folder and refuses links leading out', async () => {
    const dir = await writePackFolder({ 'pack.json': packJson({ charts: ['charts/demo.tgz'] }), 'values.yaml': '', 'real/demo.tgz': 'chart', 'logo.png': 'png' });
    await symlink(path.join(dir, 'real'), path.join(dir, 'charts'));
    await symlink('.', path.join(dir, 'loop'));
    expect((await readPackDirectory(dir)).ok).toBe(true);

    await symlink('/etc/passwd', path.join(dir, 'README.md'));
    const result = await readPackDirectory(dir);
    expect(summary(result.issues)).toEqual([{ code: 'ARCHIVE_LINK', severity: 'error', path: 'README.md' }]);
  });

  it('refuses a FIFO without opening it', async () => {
    const dir = await writePackFolder({ 'pack.json': packJson(), 'values.yaml': '', 'logo.png': 'png' });
    execFileSync('mkfifo', [path.join(dir, 'values.yaml.fifo')]);
    const result = await readPackDirectory(dir);
    expect(summary(result.issues)).toEqual([{ code: 'ARCHIVE_DEVICE', severity: 'error', path: 'values.yaml.fifo' }]);
  });

  it('refuses a folder that does not exist, and too many entries', async () => {
    expect(summary((await readPackDirectory('/nonexistent/pack')).issues)).toEqual([{ code: 'PACK_UNREADABLE', severity: 'error' }]);
    const dir = await writePackFolder({ 'pack.json': packJson(), 'values.yaml': '', 'a/1': '', 'a/2': '', 'a/3': '' });
    const result = await readPackDirectory(dir, { limits: { maxEntries: 4 } });
    expect(summary(result.issues)).toEqual([{ code: 'ARCHIVE_TOO_MANY_ENTRIES', severity: 'error' }]);
  });
});

describe('validatePackContents', () => {
  it('is the pure core both readers share', () => {
    const content = new Map([
      ['pack.json', Buffer.from(packJson())],
      ['values.yaml', Buffer.from('')],
      ['logo.png', Buffer.from('png')],
    ]);
    const result = validatePackContents({ files: ['values.yaml', 'pack.json', 'logo.png'], content });
    expect(result).toMatchObject({ ok: true, issues: [], pack: { files: ['logo.png', 'pack.json', 'values.yaml'], rootFolder: null } });
  });
});
