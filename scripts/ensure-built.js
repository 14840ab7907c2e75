// `npm start` runs the built service: build first when dist/ is missing or older than the sources,
// and the web console (web/dist) when it is missing or older than web/'s sources.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function newestMtime(dir, skip = ['generated']) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (skip.includes(entry.name)) continue;
      newest = Math.max(newest, newestMtime(full, skip));
    } else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const builtMain = path.join(root, 'dist', 'app', 'main.js');
const sourcesChanged = () =>
  Math.max(newestMtime(path.join(root, 'src')), statSync(path.join(root, 'prisma', 'schema.prisma')).mtimeMs) >
  statSync(builtMain).mtimeMs;

const build = (command, reason, took) => {
  console.error(`[pack-catalog] ${reason} (${command}, ${took})...`);
  execSync(command, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
};

const reason = !existsSync(builtMain) ? 'building the service, first start only' : sourcesChanged() ? 'the sources changed: rebuilding' : null;
if (reason) {
  build('npm run build', reason, 'about 30 s'); // the web console too
} else {
  // The web console alone: its sources are web/ (the generated operations too) but not its build.
  const web = path.join(root, 'web');
  const builtIndex = path.join(web, 'dist', 'index.html');
  if (existsSync(path.join(web, 'vite.config.ts'))) {
    const webReason = !existsSync(builtIndex)
      ? 'building the web console'
      : newestMtime(web, ['dist', 'node_modules']) > statSync(builtIndex).mtimeMs
        ? 'the web console changed: rebuilding it'
        : null;
    if (webReason) build('npm run build:web', webReason, 'a few seconds');
  }
}
