/** The built service (dist/app/main.js) as a child process, as users run it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ServiceProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** The admin token: ADMIN_TOKEN if given, else the one the first start wrote under DATA_DIR. */
  adminToken(): Promise<string>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  gql(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<any>;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
/**
 * The build to run: PACK_CATALOG_DIST names another one (`tsc --outDir`, in a folder that also
 * holds or links prisma/, default-packs/, package.json and node_modules/), else the clone's dist/.
 */
export const DIST = process.env.PACK_CATALOG_DIST ? path.resolve(process.env.PACK_CATALOG_DIST) : path.join(ROOT, 'dist');

export async function startServiceProcess(
  options: {
    env?: Record<string, string>;
    dataDir?: string;
    keepDataDir?: boolean;
    timeoutMs?: number;
    /** The built entry point; defaults to dist/app/main.js (a bench may run a private build). */
    main?: string;
    /** Extra node flags before the entry point (e.g. --cpu-prof to profile the service). */
    nodeArgs?: string[];
  } = {},
): Promise<ServiceProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'pack-catalog-e2e-')));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main ?? path.join(DIST, 'app/main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // The caller gets no handle to stop it: a start that comes late would outlive the test run.
      child.kill('SIGKILL');
      reject(new Error(`service did not start in time:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const check = () => {
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${output}`));
    });
  });

  const service: ServiceProcess = {
    url,
    dataDir,
    child,
    output: () => output,
    async adminToken() {
      return options.env?.ADMIN_TOKEN ?? (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      if (!options.keepDataDir && !options.dataDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
    async gql(query, variables = {}, token) {
      const bearer = token === undefined ? await service.adminToken() : token;
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
  };
  return service;
}
