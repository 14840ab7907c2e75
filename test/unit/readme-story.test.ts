/**
 * The README's story, read without running it (test/e2e/readme-story.test.ts runs it): its blocks
 * are found, everything it writes goes under $WORK (never into the clone), and the names it writes
 * are ignored should someone run it with WORK=. (issue 20, points 1 and 7).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readmeStory, storyScript, outputByStep } from '../helpers/readme-story.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const steps = readmeStory(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
const shellText = steps.map((step) => (step.kind === 'file' ? `save as ${step.path}` : step.text)).join('\n');

describe('the README story', () => {
  it('starts by naming the token, the address and the scratch folder, and covers curl, GraphQL, skopeo, packctl and a profile', () => {
    expect(steps[0]).toMatchObject({ kind: 'sh' });
    for (const variable of ['TOKEN=', 'CATALOG=', 'WORK=$(mktemp -d)']) expect(steps[0].text).toContain(variable);
    expect(steps.map((step) => step.kind)).toEqual(expect.arrayContaining(['sh', 'graphql', 'file']));
    for (const command of ['curl ', 'createRegistry', 'pushPack', 'skopeo copy', 'npx packctl login', 'npx packctl registry add', 'npx packctl pack push', 'npx packctl pack tag add', 'npx packctl pack pull', 'npx packctl profile validate', 'npx packctl profile apply']) {
      expect({ command, found: shellText.includes(command) }).toEqual({ command, found: true });
    }
  });

  it('creates each registry once (the curl and packctl parts name different ones)', () => {
    const created = [...shellText.matchAll(/createRegistry\(input: \{name: \\"([a-z0-9-]+)\\"|npx packctl registry add ([a-z0-9-]+)/g)].map((m) => m[1] ?? m[2]);
    expect(created.length).toBeGreaterThanOrEqual(2);
    expect(new Set(created).size).toBe(created.length);
  });

  it('writes only under $WORK, and every name it writes there is ignored in the clone', () => {
    const targets = [
      ...[...shellText.matchAll(/tar -czf (\S+)/g)].map((m) => m[1]),
      ...[...shellText.matchAll(/ oci:([^:\s]+)/g)].map((m) => m[1]),
      ...[...shellText.matchAll(/npx packctl pack pull \S+ (\S+)/g)].map((m) => m[1]),
      ...steps.flatMap((step) => (step.kind === 'file' ? [step.path] : [])),
    ];
    expect(targets.length).toBeGreaterThanOrEqual(4);
    for (const target of targets) {
      expect({ target, underWork: target.startsWith('$WORK/') }).toEqual({ target, underWork: true });
      const name = target.slice('$WORK/'.length).split('/')[0];
      // Exit status 0: ignored (as a file, and as a folder when the story makes one).
      const ignored = (candidate: string) => {
        try {
          execFileSync('git', ['check-ignore', '--no-index', '-q', candidate], { cwd: ROOT });
          return true;
        } catch {
          return false;
        }
      };
      expect({ name, ignored: ignored(name) || ignored(`${name}/x`) }).toEqual({ name, ignored: true });
    }
  });
});

describe('readmeStory', () => {
  const markdown = [
    'Intro',
    '<!-- readme-story -->',
    '```sh',
    'echo "$WORK"',
    '```',
    '```sh',
    'not part of the story',
    '```',
    '<!-- readme-story -->',
    '```graphql',
    '{ me { name } }',
    '```',
    '<!-- readme-story: save as $WORK/p.yaml -->',
    '```yaml',
    'name: p',
    '```',
  ].join('\n');

  it('takes the marked blocks in order, by kind, and leaves the others', () => {
    expect(readmeStory(markdown)).toEqual([
      { kind: 'sh', line: 4, text: 'echo "$WORK"\n' },
      { kind: 'graphql', line: 11, text: '{ me { name } }\n' },
      { kind: 'file', line: 15, path: '$WORK/p.yaml', text: 'name: p\n' },
    ]);
  });

  it('refuses a marker without a block, and a block it cannot run', () => {
    expect(() => readmeStory('<!-- readme-story -->\ntext')).toThrow('must be followed by a fenced block');
    expect(() => readmeStory('<!-- readme-story -->\n```python\nprint(1)\n```')).toThrow('sh or graphql');
  });

  it('makes one bash script whose output splits by step', () => {
    const script = storyScript(readmeStory(markdown));
    expect(script.startsWith('set -euo pipefail\n')).toBe(true);
    expect(script).toContain(`--data-binary @- <<'STORY_GRAPHQL'\n{"query":"{ me { name } }\\n"}\nSTORY_GRAPHQL`);
    expect(script).toContain("cat > $WORK/p.yaml <<'STORY_FILE'\nname: p\nSTORY_FILE");
    const work = mkdtempSync(path.join(tmpdir(), 'readme-story-'));
    try {
      // curl stands aside: the here-document it would send is printed instead.
      const output = execFileSync('bash', ['-c', script.replace(/curl -sS [^\n]*?--data-binary @- /, 'cat ')], { env: { PATH: process.env.PATH, WORK: work }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(outputByStep(output)).toEqual(new Map([[0, `${work}\n`], [1, '{"query":"{ me { name } }\\n"}\n'], [2, '']]));
      expect(readFileSync(path.join(work, 'p.yaml'), 'utf8')).toBe('name: p\n');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
