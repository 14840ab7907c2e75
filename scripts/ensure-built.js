// `npm start` runs the built service: build first when dist/ is missing or older than the sources.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'generated') continue;
      newest = Math.max(newest, newestMtime(full));
    } else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const builtMain = path.join(root, 'dist', 'app', 'main.js');
const sourcesChanged = () =>
  Math.max(newestMtime(path.join(root, 'src')), statSync(path.join(root, 'prisma', 'schema.prisma')).mtimeMs) >
  statSync(builtMain).mtimeMs;

const reason = !existsSync(builtMain) ? 'building the service, first start only' : sourcesChanged() ? 'the sources changed: rebuilding' : null;
if (reason) {
  console.error(`[pack-catalog] ${reason} (npm run build, about 30 s)...`);
  execSync('npm run build', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
