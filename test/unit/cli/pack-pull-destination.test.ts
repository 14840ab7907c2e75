/**
 * `packctl pack pull` checks its target folder before it asks the server anything (issue 20,
 * point 8): no login is configured here, so reaching the server would say "Not logged in".
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../../src/cli/main.js';
import { NOT_LOGGED_IN } from '../../../src/cli/errors.js';

async function packctl(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = await run(['node', 'packctl', ...args], { stdout, stderr });
  return { code, stdout: (stdout.read() ?? '').toString(), stderr: (stderr.read() ?? '').toString() };
}

describe('packctl pack pull: the target folder', () => {
  let dir: string;
  const saved = process.env.PACKCTL_CONFIG;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'packctl-pull-'));
    process.env.PACKCTL_CONFIG = path.join(dir, 'no-login.json');
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.PACKCTL_CONFIG;
    else process.env.PACKCTL_CONFIG = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a folder that is not empty before contacting the server, with a code', async () => {
    const full = path.join(dir, 'full');
    await mkdir(full);
    await writeFile(path.join(full, 'index.json'), '{}');
    expect(await packctl('pack', 'pull', 'crossplane:2.1.3', full)).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: ${full} is not empty; pull into an empty (or new) folder, or pass --force to write into it. (DIR_NOT_EMPTY)\n`,
    });
    const json = await packctl('pack', 'pull', 'crossplane:2.1.3', full, '-o', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'DIR_NOT_EMPTY' } });
  });

  it('refuses a file, with a code', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    const result = await packctl('pack', 'pull', 'crossplane', file);
    expect(result).toMatchObject({ code: 1 });
    expect(result.stderr).toBe(`error: ${file} is a file, not a folder; pull into an empty (or new) folder. (DIR_IS_FILE)\n`);
  });

  it('goes on to the server with an empty or new folder (and --force), creating nothing before the version is found', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    const fresh = path.join(dir, 'new');
    const full = path.join(dir, 'forced');
    await mkdir(full);
    await writeFile(path.join(full, 'README.md'), 'kept');
    for (const args of [[empty], [fresh], [full, '--force']]) {
      const result = await packctl('pack', 'pull', 'crossplane:2.1.3', ...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 1, stderr: `error: ${NOT_LOGGED_IN}\n` });
    }
    expect(existsSync(fresh)).toBe(false);
  });
});
