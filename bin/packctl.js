#!/usr/bin/env node
// packctl: runs the built CLI (dist/cli/main.js). From a clone, builds first when dist/ is
// missing or older than src/, so `npx packctl` works without a manual `npm run build`.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'cli', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) {
      if (item.name !== 'generated') newest = Math.max(newest, newestMtime(full));
    } else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Why packctl must be built before it runs, or null when dist/ is current. */
function buildReason() {
  if (process.env.PACKCTL_SKIP_BUILD === '1') return null;
  const sources = path.join(root, 'src');
  // An installed package ships dist/ without src/: nothing to build.
  if (!existsSync(sources)) return null;
  if (!existsSync(entry)) return 'building packctl, first use only';
  return newestMtime(sources) > statSync(entry).mtimeMs ? 'the sources changed: rebuilding packctl' : null;
}

const reason = buildReason();
if (reason) {
  // The build takes half a minute: say so, on stderr (stdout stays the command's), whatever the terminal.
  process.stderr.write(`packctl: ${reason} (npm run build, about 30 s)...\n`);
  try {
    execSync('npm run build', { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    process.stderr.write(`packctl: the build failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    if (!existsSync(entry)) process.exit(1);
  }
}

const { runAndExit } = await import(pathToFileURL(entry).href);
await runAndExit(process.argv);
