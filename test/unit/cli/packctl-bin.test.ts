/**
 * bin/packctl.js in a clone: the first `npx packctl` builds, and says so while it does (issue 20,
 * point 2). Run in a scratch clone whose `npm run build` writes a stand-in dist/cli/main.js.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

describe('bin/packctl.js', () => {
  let clone: string;

  beforeAll(() => {
    clone = mkdtempSync(path.join(tmpdir(), 'packctl-bin-'));
    mkdirSync(path.join(clone, 'bin'));
    mkdirSync(path.join(clone, 'src'));
    copyFileSync(path.join(ROOT, 'bin', 'packctl.js'), path.join(clone, 'bin', 'packctl.js'));
    writeFileSync(path.join(clone, 'src', 'main.ts'), 'export {};\n');
    writeFileSync(path.join(clone, 'package.json'), JSON.stringify({ type: 'module', scripts: { build: 'node build.mjs' } }));
    writeFileSync(
      path.join(clone, 'build.mjs'),
      `import { mkdirSync, writeFileSync } from 'node:fs';
mkdirSync('dist/cli', { recursive: true });
writeFileSync('dist/cli/main.js', 'export async function runAndExit(argv) { process.stdout.write("ran " + argv.slice(2).join(" ") + "\\\\n"); process.exit(0); }\\n');
`,
    );
  });

  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  const packctl = (...args: string[]) => {
    const env = { ...process.env };
    delete env.PACKCTL_SKIP_BUILD;
    return spawnSync(process.execPath, [path.join(clone, 'bin', 'packctl.js'), ...args], { cwd: clone, env, encoding: 'utf8', timeout: 30_000 });
  };

  it('says it is building on first use, then runs the command; later runs build nothing', () => {
    const first = packctl('whoami');
    expect(first.stderr).toBe('packctl: building packctl, first use only (npm run build, about 30 s)...\n');
    expect(first.stdout).toBe('ran whoami\n');
    expect(first.status).toBe(0);

    const second = packctl('whoami');
    expect(second).toMatchObject({ status: 0, stdout: 'ran whoami\n', stderr: '' });
  });

  it('says it is rebuilding when the sources are newer than the build', () => {
    packctl('whoami');
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(clone, 'src', 'main.ts'), later, later);
    const rebuilt = packctl('pack', 'ls');
    expect(rebuilt.stderr).toBe('packctl: the sources changed: rebuilding packctl (npm run build, about 30 s)...\n');
    expect(rebuilt).toMatchObject({ status: 0, stdout: 'ran pack ls\n' });
  });
});
