/**
 * The values of two versions side by side as one unified, line-numbered diff (`diff` package),
 * with counts for the summary. Pure: unit-tested in test/unit/web/values-diff.test.ts.
 */
import { diffLines } from 'diff';

export interface DiffLine {
  kind: 'added' | 'removed' | 'same';
  text: string;
  /** Line number in the older text (removed, same). */
  oldLine: number | null;
  /** Line number in the newer text (added, same). */
  newLine: number | null;
}

export interface ValuesDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

export function valuesDiff(older: string, newer: string): ValuesDiff {
  const lines: DiffLine[] = [];
  let oldLine = 1;
  let newLine = 1;
  let added = 0;
  let removed = 0;
  for (const change of diffLines(older, newer)) {
    const texts = change.value.replace(/\n$/, '').split('\n');
    for (const text of texts) {
      if (change.added) {
        lines.push({ kind: 'added', text, oldLine: null, newLine: newLine++ });
        added++;
      } else if (change.removed) {
        lines.push({ kind: 'removed', text, oldLine: oldLine++, newLine: null });
        removed++;
      } else {
        lines.push({ kind: 'same', text, oldLine: oldLine++, newLine: newLine++ });
      }
    }
  }
  return { lines, added, removed };
}

/**
 * The lines worth showing: changes with `context` unchanged lines around them; runs of hidden
 * lines become one `{ skipped: n }` marker.
 */
export function withContext(lines: DiffLine[], context = 3): (DiffLine | { skipped: number })[] {
  const keep = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: (DiffLine | { skipped: number })[] = [];
  let skipped = 0;
  lines.forEach((line, i) => {
    if (keep[i]) {
      if (skipped) out.push({ skipped });
      skipped = 0;
      out.push(line);
    } else skipped++;
  });
  if (skipped) out.push({ skipped });
  return out;
}
