/**
 * A clean `npm install` prints no warning (issue 20, point 6): no locked package refuses the Node
 * versions `engines` promises (EBADENGINE), and every install script is reviewed in `allowScripts`
 * (npm 11.16+ warns about the others; npm 12 blocks them). Read from package.json and the lock, so
 * a dependency change that brings a warning back fails here, not on a newcomer's first install.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  overrides: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/** `node_modules/a/node_modules/@b/c` -> `@b/c`. */
const nameOf = (lockPath: string) => lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
const locked = Object.entries(lock.packages).filter(([lockPath]) => lockPath !== '');
const libc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime ? 'glibc' : 'musl';
/** Packages npm installs on this machine: optional ones for other platforms are skipped, with their scripts and engines. */
const installedHere = locked.filter(
  ([, entry]) =>
    !entry.optional ||
    ((!entry.os || entry.os.includes(process.platform)) &&
      (!entry.cpu || entry.cpu.includes(process.arch)) &&
      (!entry.libc || process.platform !== 'linux' || entry.libc.includes(libc))),
);
const nodeRange = (entry: LockEntry) => (entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined);

describe('package.json and the lock', () => {
  it('promise in engines a Node range that this Node satisfies, and whose lowest version every locked package accepts', () => {
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
    const lowest = semver.minVersion(manifest.engines.node)!.version;
    const refusing = (version: string) =>
      installedHere
        .filter(([, entry]) => nodeRange(entry) && !semver.satisfies(version, nodeRange(entry)!))
        .map(([lockPath, entry]) => `${nameOf(lockPath)}@${entry.version} wants node ${nodeRange(entry)}`);
    expect({ lowest, refusing: refusing(lowest) }).toEqual({ lowest, refusing: [] });
    expect({ running: process.version, refusing: refusing(process.version) }).toEqual({ running: process.version, refusing: [] });
  });

  it('review every install script in allowScripts, and name nothing else there', () => {
    const withScripts = [...new Set(installedHere.filter(([, entry]) => entry.hasInstallScript).map(([lockPath]) => nameOf(lockPath)))].sort();
    expect(Object.keys(manifest.allowScripts).sort()).toEqual(withScripts);
    for (const value of Object.values(manifest.allowScripts)) expect(typeof value).toBe('boolean');
  });

  it('lock every overridden package at its override only', () => {
    for (const [name, version] of Object.entries(manifest.overrides)) {
      const versions = [...new Set(locked.filter(([lockPath]) => nameOf(lockPath) === name).map(([, entry]) => entry.version))];
      expect({ name, versions }).toEqual({ name, versions: [version] });
    }
  });
});
