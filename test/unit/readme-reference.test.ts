/**
 * The README's reference parts stay true to the code: its Configuration table names every variable
 * src/config.ts reads (and nothing else), and its Web console section shows every screenshot the
 * browser tests write to docs/screenshots/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The text of one `## ` section, up to the next one. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('README.md', () => {
  it('lists in its Configuration table every environment variable src/config.ts reads, and only those', () => {
    const source = readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8');
    // The keys of the zod environment schema: `    NAME: z...` lines of its object.
    const schema = source.slice(source.indexOf('const environmentSchema'), source.indexOf('.superRefine('));
    const read = [...schema.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]).sort();
    expect(read.length).toBeGreaterThan(40);
    // The first cell of each table row: one or more `NAME`s.
    const rows = section('Configuration').split('\n').filter((line) => line.startsWith('| `'));
    const documented = rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])).sort();
    expect(documented).toEqual(read);
  });

  it('shows every screenshot in docs/screenshots/ in its Web console section, and no missing one', () => {
    const files = readdirSync(path.join(ROOT, 'docs/screenshots')).filter((f) => f.endsWith('.png')).sort();
    const shown = [...section('Web console').matchAll(/\(docs\/screenshots\/([^)]+\.png)\)/g)].map((m) => m[1]).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(shown).toEqual(files);
  });
});
