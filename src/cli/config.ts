/**
 * packctl's configuration: the servers it is logged in to, each with its token, and which one is
 * the default. Kept in `~/.packctl/config.json` (folder 0700, file 0600, because it holds
 * secrets), or at `PACKCTL_CONFIG` when set.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError, NOT_LOGGED_IN, UsageError } from './errors.js';

/** One server packctl is logged in to. */
export interface ServerEntry {
  token: string;
  /** Accept a self-signed TLS certificate from this server. */
  insecure?: boolean;
  /** Who the token belongs to, as `me` answered at login. */
  principal?: { name: string; role: string };
  loggedInAt?: string;
}

export interface CliConfig {
  /** The URL of the server used when `--server` is not given. */
  defaultServer?: string;
  servers: Record<string, ServerEntry>;
}

/** A server chosen for one command: its URL and stored entry. */
export interface SelectedServer extends ServerEntry {
  url: string;
}

/** `PACKCTL_CONFIG` if set, else `~/.packctl/config.json` (HOME respected). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.PACKCTL_CONFIG?.trim();
  if (override) return path.resolve(override);
  return defaultConfigPath(env);
}

function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.HOME?.trim() || homedir(), '.packctl', 'config.json');
}

/**
 * The canonical form of a server URL, so `http://Host:80/` and `http://host` name one server.
 * A bare `host:port` means https, the safe default, except on a loopback address (what a newcomer
 * runs locally), where it means http.
 */
export function normalizeServerUrl(raw: string): string {
  let text = raw.trim();
  if (text === '') throw new UsageError('The server URL is empty.');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const local = /^(localhost|127\.|\[::1\])/i.test(text);
    text = `${local ? 'http' : 'https'}://${text}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${raw}" is not a URL (expected e.g. http://localhost:4000).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`"${raw}" is not an http(s) URL.`);
  }
  if (url.username || url.password) throw new UsageError('Put the token in --token, not in the URL.');
  const pathname = url.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '');
  return `${url.protocol}//${url.host}${pathname}`;
}

export async function loadConfig(file = configPath()): Promise<CliConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw new CliError(`Could not read ${file} (${(error as NodeJS.ErrnoException).code ?? 'I/O error'}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON; fix it or remove it and log in again.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`${file} does not hold a packctl configuration; remove it and log in again.`);
  }
  const raw = parsed as Partial<CliConfig>;
  const servers: Record<string, ServerEntry> = {};
  for (const [url, entry] of Object.entries(raw.servers ?? {})) {
    if (entry && typeof entry === 'object' && typeof entry.token === 'string') servers[url] = entry;
  }
  const defaultServer = typeof raw.defaultServer === 'string' && servers[raw.defaultServer] ? raw.defaultServer : undefined;
  return { defaultServer, servers };
}

/**
 * Write the configuration with owner-only permissions. The file is written beside the old one
 * and renamed over it, so a crash never leaves half a file (and tokens) behind.
 */
export async function saveConfig(config: CliConfig, file = configPath()): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // An existing folder keeps its mode through mkdir; only the default location is ours to tighten.
  if (file === defaultConfigPath()) await chmod(dir, 0o700);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError(`Could not write ${file} (${(error as NodeJS.ErrnoException).code ?? 'I/O error'}).`);
  }
}

/** Store a login; the first server, or one stored with `makeDefault`, becomes the default. */
export function addServer(config: CliConfig, url: string, entry: ServerEntry, makeDefault: boolean): CliConfig {
  const servers = { ...config.servers, [url]: entry };
  const defaultServer = makeDefault || !config.defaultServer ? url : config.defaultServer;
  return { defaultServer, servers };
}

/** Forget a login; when it was the default, the first remaining server (if any) takes its place. */
export function removeServer(config: CliConfig, url: string): CliConfig {
  const servers = { ...config.servers };
  delete servers[url];
  const defaultServer = config.defaultServer === url || !config.defaultServer ? Object.keys(servers)[0] : config.defaultServer;
  return { defaultServer, servers };
}

/** The server a command talks to: `--server` when given, else the default. Throws when not logged in. */
export function selectServer(config: CliConfig, requested?: string): SelectedServer {
  if (requested) {
    const url = normalizeServerUrl(requested);
    const entry = config.servers[url];
    if (!entry) {
      throw new CliError(`Not logged in to ${url}. Run: packctl login ${url} --token <token>`);
    }
    return { url, ...entry };
  }
  const url = config.defaultServer;
  if (!url || !config.servers[url]) throw new CliError(NOT_LOGGED_IN);
  return { url, ...config.servers[url] };
}
