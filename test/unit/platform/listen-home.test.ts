/**
 * One home for LISTEN: src/platform/pg-notifications.ts is the only module that sends a LISTEN
 * statement or opens a `pg.Client` for notifications, so a consumer cannot quietly bring back a
 * connection of its own (each one is a PostgreSQL backend per replica).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');
const HOME = path.join(SRC, 'platform', 'pg-notifications.ts');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Code without its comments (a comment may well talk about LISTEN). */
function code(file: string): string {
  return readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('LISTEN has one home', () => {
  it('is sent by src/platform/pg-notifications.ts only', () => {
    const files = sources(SRC);
    expect(files).toContain(HOME);
    expect(code(HOME)).toMatch(/LISTEN \$\{/);
    const others = files.filter((file) => file !== HOME && /[`'"]\s*LISTEN\s/i.test(code(file)));
    expect(others.map((file) => path.relative(SRC, file))).toEqual([]);
  });

  it('names no notification connection outside it', () => {
    const others = sources(SRC).filter((file) => file !== HOME && /on\(\s*'notification'/.test(code(file)));
    expect(others.map((file) => path.relative(SRC, file))).toEqual([]);
  });
});
