/**
 * The README's story: the fenced blocks marked `<!-- readme-story -->` (or `<!-- readme-story:
 * save as PATH -->` for a file to write), in document order, as one bash script. The e2e test runs
 * that script against the built service, so the README can't drift from the product.
 *
 * - a `sh` block runs as written;
 * - a `graphql` block is POSTed to `$CATALOG/graphql` with `$TOKEN`, as the README says to send it;
 * - a block marked `save as PATH` is written to PATH (shell-expanded: `$WORK/web-cluster.yaml`).
 *
 * `npx packctl` runs the built CLI named by `$STORY_PACKCTL`. Each step starts with a `@@step N@@`
 * line on stdout and stderr, so a failure names its step.
 */

export type StoryStep =
  | { kind: 'sh'; line: number; text: string }
  | { kind: 'graphql'; line: number; text: string }
  | { kind: 'file'; line: number; path: string; text: string };

const MARKER = /^<!--\s*readme-story(?::\s*save as\s+(\S+))?\s*-->\s*$/;
const FENCE_OPEN = /^```(\w+)\s*$/;

/** The marked blocks of `markdown`, in order; a marker without a fenced block under it is an error. */
export function readmeStory(markdown: string): StoryStep[] {
  const lines = markdown.split('\n');
  const steps: StoryStep[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const open = FENCE_OPEN.exec(lines[i + 1] ?? '');
    if (!open) throw new Error(`README line ${i + 1}: a readme-story marker must be followed by a fenced block`);
    const end = lines.indexOf('```', i + 2);
    if (end < 0) throw new Error(`README line ${i + 2}: the fenced block never closes`);
    const text = `${lines.slice(i + 2, end).join('\n')}\n`;
    const line = i + 3;
    if (marker[1]) steps.push({ kind: 'file', line, path: marker[1], text });
    else if (open[1] === 'sh') steps.push({ kind: 'sh', line, text });
    else if (open[1] === 'graphql') steps.push({ kind: 'graphql', line, text });
    else throw new Error(`README line ${i + 2}: a story block is sh or graphql, or is saved as a file (got ${open[1]})`);
    i = end;
  }
  return steps;
}

/** A here-document delimiter the text doesn't contain. */
function delimiter(text: string, base: string): string {
  let name = base;
  while (text.split('\n').includes(name)) name += '_';
  return name;
}

/** The steps as one bash script (stops at the first failing command: `set -euo pipefail`). */
export function storyScript(steps: readonly StoryStep[]): string {
  const parts = [
    'set -euo pipefail',
    // `npx packctl` as the README writes it, run by the build under test; nothing else goes to npx.
    'npx() { if [ "${1:-}" = packctl ]; then shift; node "$STORY_PACKCTL" "$@"; else echo "the story runs only npx packctl" >&2; return 127; fi; }',
  ];
  steps.forEach((step, index) => {
    parts.push(`printf '\\n@@step %d@@\\n' ${index}`, `printf '\\n@@step %d@@\\n' ${index} >&2`);
    if (step.kind === 'sh') {
      parts.push(step.text);
    } else if (step.kind === 'graphql') {
      const body = JSON.stringify({ query: step.text });
      const eof = delimiter(body, 'STORY_GRAPHQL');
      parts.push(
        `curl -sS "$CATALOG/graphql" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' --data-binary @- <<'${eof}'\n${body}\n${eof}`,
      );
    } else {
      const eof = delimiter(step.text, 'STORY_FILE');
      parts.push(`cat > ${step.path} <<'${eof}'\n${step.text}${eof}`);
    }
  });
  parts.push(`printf '\\n@@step end@@\\n'`, `printf '@@work %s@@\\n' "$WORK"`);
  return `${parts.join('\n')}\n`;
}

/** Output of a story run, cut at the step markers: index -> text. */
export function outputByStep(output: string): Map<number, string> {
  const byStep = new Map<number, string>();
  const pieces = output.split(/\n@@step (\d+|end)@@\n/);
  for (let i = 1; i < pieces.length; i += 2) {
    if (pieces[i] !== 'end') byStep.set(Number(pieces[i]), pieces[i + 1] ?? '');
  }
  return byStep;
}
