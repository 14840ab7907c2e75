import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeJsonSyntaxError, describeYamlSyntaxError } from '../../../src/packs/parse-errors.js';
import { parseDocument } from 'yaml';
import { parsePackManifest } from '../../../src/packs/pack.manifest.js';
import { listFolder, openRegularFile, readSmallRegularFile, UnreadableFileError } from '../../../src/registries/adapters/directory/folder-reader.js';

const jsonError = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return describeJsonSyntaxError(text, error);
  }
  throw new Error('parsed');
};

describe('JSON syntax errors without the input', () => {
  it('keeps the position and V8\'s fixed wording, never a snippet of the text', () => {
    expect(jsonError('{\n  "a": 1,\n}')).toBe(' at line 3, column 1 (expected double-quoted property name)');
    expect(jsonError('{"a": "x\u0001"}')).toMatch(/^ at line 1, column \d+ \(bad control character in string literal\)$/);
    expect(jsonError('{"a"')).toMatch(/^ at line 1, column 5/);
    expect(jsonError('root:x:0:0:root:/root:/bin/bash')).toBe('');
    expect(jsonError('')).toBe(' (it ends too early)');
  });

  it('leaves the text of a broken pack.json out of the issue', () => {
    const { issues } = parsePackManifest('secret-password-123 {');
    expect(issues[0]).toMatchObject({ code: 'PACK_JSON_INVALID', message: 'pack.json is not valid JSON.' });
    expect(parsePackManifest('{"name": "a",}').issues[0].message).toBe('pack.json is not valid JSON at line 1, column 14 (expected double-quoted property name).');
  });
});

describe('YAML syntax errors without the input', () => {
  it('drops the tokens and names the parser quotes, keeping the position', () => {
    const described = parseDocument('- a\nb: secret-token-value\n').errors.map((error) => describeYamlSyntaxError(error.message));
    expect(described).toContain('Unexpected scalar token in YAML stream at line 2, column 4:');
    expect(described.join('\n')).not.toContain('secret-token-value');
    expect(describeYamlSyntaxError('Unresolved alias (the anchor must be set before the alias): secretname')).toBe(
      'Unresolved alias (the anchor must be set before the alias)',
    );
  });
});

describe('DIRECTORY folder reader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'folder-reader-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a regular file, and refuses a FIFO without blocking and a link without following it', async () => {
    await writeFile(path.join(dir, 'plain.json'), '{"a":1}');
    expect(await readSmallRegularFile(path.join(dir, 'plain.json'), 'plain.json', 100)).toBe('{"a":1}');
    await expect(readSmallRegularFile(path.join(dir, 'plain.json'), 'plain.json', 3)).rejects.toThrow(/larger than 3 bytes/);
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    await expect(openRegularFile(path.join(dir, 'fifo'), 'pack.json')).rejects.toThrow(new UnreadableFileError('pack.json', 'a FIFO'));
    await symlink('/etc/passwd', path.join(dir, 'link'));
    const error = await readSmallRegularFile(path.join(dir, 'link'), 'pack.json', 1 << 20).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as Error).message).toBe("pack.json is a symbolic link; only regular files inside the registry's folder are read.");
    await expect(openRegularFile(path.join(dir, 'absent'), 'absent')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('walks folders by entry type: links (to folders too) and special files are named, never entered', async () => {
    const pack = path.join(dir, 'pack');
    await mkdir(path.join(pack, 'charts'), { recursive: true });
    await writeFile(path.join(pack, 'pack.json'), '{}');
    await writeFile(path.join(pack, 'charts', 'a.tgz'), 'x');
    await mkdir(path.join(pack, '.git'));
    await symlink('/etc', path.join(pack, 'etc'));
    execFileSync('mkfifo', [path.join(pack, 'charts', 'pipe')]);
    expect(await listFolder(pack, 100)).toEqual({
      folders: ['charts'],
      files: ['charts/a.tgz', 'pack.json'],
      refused: [
        { path: 'charts/pipe', kind: 'a FIFO' },
        { path: 'etc', kind: 'a symbolic link' },
      ],
    });
    await expect(listFolder(pack, 2)).rejects.toThrow(/more than 2 entries/);
  });
});
