/**
 * Issue 21: docs/errors.md lists every `extensions.code` the API can return, and only those. The
 * codes are read from where the code makes them: domain errors (src/errors.ts), the request error
 * codes formatError passes through, `extensions: { code }` literals, and the GraphQL-shaped HTTP
 * refusals (`sendError(res, status, 'CODE', ...)`).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** Source of the API's own errors: everything but the OCI front door (OCI codes), the CLI, generated code and pure rule cores. */
const SKIPPED = ['src/oci', 'src/cli', 'src/generated', 'src/profiles/rules', 'src/packs', 'src/platform', 'src/registries/adapters'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const relative = path.relative(root, full);
    if (SKIPPED.some((s) => relative === s || relative.startsWith(`${s}/`))) return [];
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function codesInCode(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (code: string, file: string) => found.set(code, path.relative(root, file));
  for (const file of sources(path.join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/readonly code = '([A-Z_]+)'/g)) add(m[1], file);
    for (const m of text.matchAll(/extensions: \{[^}]*?\bcode: '([A-Z_]+)'/g)) add(m[1], file);
    for (const m of text.matchAll(/sendError\(\s*\w+,\s*[\w.()]+,\s*'([A-Z_]+)'/g)) add(m[1], file);
    const passed = text.match(/REQUEST_ERROR_CODES = new Set\(\[([\s\S]*?)\]\)/);
    if (passed) for (const m of passed[1].matchAll(/'([A-Z_]+)'/g)) add(m[1], file);
  }
  return found;
}

function codesInDoc(): string[] {
  const doc = readFileSync(path.join(root, 'docs/errors.md'), 'utf8');
  return [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
}

describe('docs/errors.md', () => {
  it('lists every code the API returns, each once, with a meaning', () => {
    const inCode = codesInCode();
    const documented = codesInDoc();
    expect(new Set(documented).size).toBe(documented.length);
    const missing = [...inCode.entries()].filter(([code]) => !documented.includes(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('lists no code the API cannot return', () => {
    const inCode = codesInCode();
    expect(codesInDoc().filter((code) => !inCode.has(code))).toEqual([]);
  });

  it('finds the codes it should (the scan is not vacuous)', () => {
    const inCode = codesInCode();
    for (const code of ['BAD_USER_INPUT', 'FORBIDDEN', 'PERSISTED_QUERY_NOT_ALLOWED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'INTERNAL_SERVER_ERROR']) {
      expect(inCode.has(code)).toBe(true);
    }
  });
});
