import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  addServer,
  configPath,
  loadConfig,
  normalizeServerUrl,
  removeServer,
  saveConfig,
  selectServer,
  type CliConfig,
} from '../../../src/cli/config.js';
import { CliError, NOT_LOGGED_IN, UsageError } from '../../../src/cli/errors.js';

describe('normalizeServerUrl', () => {
  it('gives one spelling per server', () => {
    expect(normalizeServerUrl('http://LocalHost:4000/')).toBe('http://localhost:4000');
    expect(normalizeServerUrl('http://localhost:4000/graphql')).toBe('http://localhost:4000');
    expect(normalizeServerUrl('https://catalog.example.com:443/base/')).toBe('https://catalog.example.com/base');
    expect(normalizeServerUrl('localhost:4000')).toBe('http://localhost:4000');
    expect(normalizeServerUrl('127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    expect(normalizeServerUrl('catalog.example.com')).toBe('https://catalog.example.com');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => normalizeServerUrl('ftp://x')).toThrow(UsageError);
    expect(() => normalizeServerUrl('http://')).toThrow(UsageError);
    expect(() => normalizeServerUrl('https://user:pw@host')).toThrow('not in the URL');
  });
});

describe('servers in the configuration', () => {
  const a = { token: 'pkc_a' };
  const b = { token: 'pkc_b', insecure: true };

  it('makes the first login the default, and another only when asked', () => {
    let config: CliConfig = { servers: {} };
    config = addServer(config, 'http://a', a, false);
    config = addServer(config, 'https://b', b, false);
    expect(config.defaultServer).toBe('http://a');
    expect(selectServer(config)).toEqual({ url: 'http://a', token: 'pkc_a' });
    expect(selectServer(config, 'https://b/')).toEqual({ url: 'https://b', token: 'pkc_b', insecure: true });
    config = addServer(config, 'https://b', b, true);
    expect(config.defaultServer).toBe('https://b');
  });

  it('moves the default to a remaining server on logout, and says how to log in when none is left', () => {
    let config: CliConfig = addServer(addServer({ servers: {} }, 'http://a', a, false), 'https://b', b, false);
    config = removeServer(config, 'http://a');
    expect(config.defaultServer).toBe('https://b');
    config = removeServer(config, 'https://b');
    expect(config).toEqual({ defaultServer: undefined, servers: {} });
    expect(() => selectServer(config)).toThrow(NOT_LOGGED_IN);
    expect(() => selectServer(config, 'http://c')).toThrow('Not logged in to http://c. Run: packctl login http://c --token <token>');
  });
});

describe('the configuration file', () => {
  let dir: string;
  const savedEnv = { HOME: process.env.HOME, PACKCTL_CONFIG: process.env.PACKCTL_CONFIG };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'packctl-config-'));
  });
  afterEach(async () => {
    process.env.HOME = savedEnv.HOME;
    if (savedEnv.PACKCTL_CONFIG === undefined) delete process.env.PACKCTL_CONFIG;
    else process.env.PACKCTL_CONFIG = savedEnv.PACKCTL_CONFIG;
    await rm(dir, { recursive: true, force: true });
  });

  it('lives in ~/.packctl/config.json (HOME respected), folder 0700 and file 0600', async () => {
    delete process.env.PACKCTL_CONFIG;
    process.env.HOME = dir;
    const file = configPath();
    expect(file).toBe(path.join(dir, '.packctl', 'config.json'));
    const config = addServer({ servers: {} }, 'http://a', { token: 'pkc_secret' }, false);
    await saveConfig(config, file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await loadConfig(file)).toEqual(config);
    // Rewriting keeps the modes and leaves no temporary file behind.
    await saveConfig(addServer(config, 'http://b', { token: 'pkc_b' }, true), file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadConfig(file)).defaultServer).toBe('http://b');
  });

  it('can be moved with PACKCTL_CONFIG', async () => {
    process.env.PACKCTL_CONFIG = path.join(dir, 'elsewhere', 'packctl.json');
    expect(configPath()).toBe(path.join(dir, 'elsewhere', 'packctl.json'));
    await saveConfig({ servers: { 'http://a': { token: 'x' } }, defaultServer: 'http://a' }, configPath());
    expect(JSON.parse(await readFile(configPath(), 'utf8')).servers['http://a'].token).toBe('x');
  });

  it('reads a missing file as no login, and reports a broken one without a stack', async () => {
    expect(await loadConfig(path.join(dir, 'none.json'))).toEqual({ servers: {} });
    await mkdir(path.join(dir, 'x'));
    await writeFile(path.join(dir, 'x', 'config.json'), '{ not json');
    await expect(loadConfig(path.join(dir, 'x', 'config.json'))).rejects.toThrow(CliError);
    await writeFile(path.join(dir, 'x', 'config.json'), JSON.stringify({ defaultServer: 'http://gone', servers: { 'http://a': { token: 't' }, 'http://b': {} } }));
    expect(await loadConfig(path.join(dir, 'x', 'config.json'))).toEqual({ defaultServer: undefined, servers: { 'http://a': { token: 't' } } });
  });
});
