import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { buildProgram, run } from '../../../src/cli/main.js';
import { smallerPageSize } from '../../../src/cli/commands/pack/ls.js';
import { CliError } from '../../../src/cli/errors.js';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = (stream: PassThrough) => () => (stream.read() ?? '').toString();
  return { io: { stdout, stderr }, stdout: text(stdout), stderr: text(stderr) };
}

function leaves(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leaves);
}

describe('packctl command tree', () => {
  let dir: string;
  const saved = process.env.PACKCTL_CONFIG;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'packctl-program-'));
    process.env.PACKCTL_CONFIG = path.join(dir, 'config.json');
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.PACKCTL_CONFIG;
    else process.env.PACKCTL_CONFIG = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('has the commands of the issue, each with help that shows examples', () => {
    const { io, stdout } = capture();
    const program = buildProgram(io);
    const names = leaves(program).map((command) => {
      const parts: string[] = [];
      for (let c: Command | null = command; c && c.parent; c = c.parent) parts.unshift(c.name());
      return parts.join(' ');
    });
    expect(names).toEqual(
      expect.arrayContaining([
        'login', 'logout', 'whoami',
        'pack push', 'pack pull', 'pack ls', 'pack show', 'pack tag add', 'pack tag delete', 'pack rm',
        'registry ls', 'registry add', 'registry update', 'registry rm', 'registry sync',
        'profile validate', 'profile apply', 'profile export', 'profile ls',
        'token create', 'token ls', 'token revoke',
      ]),
    );
    const all: Command[] = [];
    const walk = (c: Command) => {
      all.push(c);
      c.commands.forEach(walk);
    };
    walk(program);
    for (const command of all) {
      command.outputHelp();
      const help = stdout();
      expect({ command: command.name(), hasExamples: help.includes('Examples:\n  $ packctl') }).toEqual({ command: command.name(), hasExamples: true });
    }
  });

  it('exits 0 for --help and --version, 2 for usage errors', async () => {
    const cases: Array<[string[], number]> = [
      [['--help'], 0],
      [['pack', 'push', '--help'], 0],
      [['--version'], 0],
      [[], 2],
      [['pack'], 2],
      [['bogus'], 2],
      [['pack', 'push'], 2],
      [['pack', 'ls', '-o', 'yaml'], 2],
      [['pack', 'ls', 'extra'], 2],
      [['token', 'create', 'x'], 2],
      [['pack', 'push', '.', '--force'], 2],
    ];
    for (const [args, code] of cases) {
      const { io } = capture();
      expect({ args, code: await run(['node', 'packctl', ...args], io) }).toEqual({ args, code });
    }
  });

  it('refuses commands without a login: exit 1 and how to log in', async () => {
    for (const args of [['pack', 'ls'], ['whoami'], ['registry', 'ls'], ['profile', 'ls'], ['token', 'ls']]) {
      const { io, stderr } = capture();
      expect(await run(['node', 'packctl', ...args], io)).toBe(1);
      expect(stderr()).toBe('error: Not logged in. Run: packctl login <url> --token <token>\n');
    }
  });

  it('prints errors as JSON on stdout with -o json', async () => {
    const { io, stdout, stderr } = capture();
    expect(await run(['node', 'packctl', 'pack', 'ls', '-o', 'json'], io)).toBe(1);
    expect(JSON.parse(stdout())).toEqual({ error: { message: 'Not logged in. Run: packctl login <url> --token <token>', code: null, issues: [] } });
    expect(stderr()).toContain('error: Not logged in.');
  });
});

describe('smallerPageSize', () => {
  it('shrinks a page the server found too costly to what fits its limit', () => {
    const tooComplex = new CliError('Query is too complex', { code: 'BAD_USER_INPUT', extensions: { complexity: 40_000, maxComplexity: 20_000 } });
    expect(smallerPageSize(tooComplex, 50)).toBe(25);
    expect(smallerPageSize(tooComplex, 1)).toBeUndefined();
    expect(smallerPageSize(new CliError('other'), 50)).toBeUndefined();
  });
});
