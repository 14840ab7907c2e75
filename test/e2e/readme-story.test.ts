/**
 * The README, followed as a newcomer follows it (issue 20, point 1): every block marked
 * `<!-- readme-story -->`, in document order, run by bash against the built service on a fresh
 * start, from a folder laid out like the clone. The one step it stands in for is the first,
 * `npm install && npm start`: the service is started here, on a free port the story finds through
 * the PORT variable the README itself reads (`CATALOG=127.0.0.1:${PORT:-4000}`).
 *
 * Needs what .ci/run installs: bash, curl and skopeo. Set PACK_CATALOG_DIST to run another build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { outputByStep, readmeStory, storyScript, type StoryStep } from '../helpers/readme-story.js';
import { DIST, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { runProcess } from '../helpers/run-process.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
/** What `npx packctl` runs: the clone's bin (dist/ is built before the tests), or another build's CLI. */
const PACKCTL = process.env.PACK_CATALOG_DIST ? path.join(DIST, 'cli', 'main.js') : path.join(ROOT, 'bin', 'packctl.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<Run> {
  return runProcess('bash', ['-c', script], { cwd, env });
}

/** Where a step is in the README, and what it printed: the message of every failed assertion. */
function describeStep(step: StoryStep, index: number, out: string, err: string): string {
  return `README story step ${index} (README.md line ${step.line}):\n${step.kind === 'file' ? `save as ${step.path}` : step.text}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;
}

/** Every `totalCount` in a GraphQL answer, wherever it is. */
function totalCounts(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(totalCounts);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (key === 'totalCount' && typeof inner === 'number' ? [inner] : totalCounts(inner)));
  }
  return [];
}

describe('the README, top to bottom, on a fresh start', () => {
  const steps = readmeStory(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  let service: ServiceProcess;
  let clone: string;
  let scratch: string;
  let run: Run;
  let work: string;
  let stdoutByStep: Map<number, string>;
  let stderrByStep: Map<number, string>;

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'app', 'main.js'))) throw new Error(`No build at ${DIST}: run \`npm run build\` (or set PACK_CATALOG_DIST) before the e2e tests.`);
    // As `npm start` runs it: the embedded database, the default registry seeded, the default log level.
    // A first start on a busy 2-core machine can take a minute: room for it (the default is 60 s).
    service = await startServiceProcess({ timeoutMs: 180_000 });
    scratch = await mkdtemp(path.join(tmpdir(), 'readme-story-'));
    // The clone as the story sees it: its default-packs/ and the data/ folder `npm start` made.
    clone = await mkdtemp(path.join(scratch, 'clone-'));
    await symlink(path.join(ROOT, 'default-packs'), path.join(clone, 'default-packs'));
    await symlink(service.dataDir, path.join(clone, 'data'));
    const home = await mkdtemp(path.join(scratch, 'home-'));
    const tmp = await mkdtemp(path.join(scratch, 'tmp-'));
    run = await bash(storyScript(steps), clone, {
      PATH: process.env.PATH ?? '',
      HOME: home,
      TMPDIR: tmp,
      PORT: new URL(service.url).port,
      STORY_PACKCTL: PACKCTL,
      PACKCTL_SKIP_BUILD: '1',
      // skopeo keeps no credentials of this machine's user, and leaves none behind.
      REGISTRY_AUTH_FILE: path.join(home, 'auth.json'),
    });
    stdoutByStep = outputByStep(run.stdout);
    stderrByStep = outputByStep(run.stderr);
    work = /@@work (.+)@@/.exec(run.stdout)?.[1] ?? '';
  }, 420_000);

  afterAll(async () => {
    await service?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 30_000);

  it('runs every step to the end', () => {
    expect(steps.length).toBeGreaterThanOrEqual(6);
    const reached = Math.max(-1, ...stdoutByStep.keys());
    const failed = steps[reached];
    const context = failed ? describeStep(failed, reached, stdoutByStep.get(reached) ?? '', stderrByStep.get(reached) ?? '') : run.stderr;
    expect({ exit: run.code, finished: run.stdout.includes('@@step end@@'), context }).toEqual({ exit: 0, finished: true, context });
  });

  it('gets no GraphQL error, and finds something wherever it searches', () => {
    steps.forEach((step, index) => {
      const out = stdoutByStep.get(index) ?? '';
      const context = describeStep(step, index, out, stderrByStep.get(index) ?? '');
      expect({ errors: out.includes('"errors"'), context }).toEqual({ errors: false, context });
      if (step.kind !== 'graphql') return;
      const answer = JSON.parse(out) as { data: Record<string, unknown> };
      // The browse example ran before anything matched it once (totalCount 0): every search must find.
      expect({ nullFields: Object.keys(answer.data).filter((key) => answer.data[key] === null), context }).toEqual({ nullFields: [], context });
      expect({ emptyCounts: totalCounts(answer.data).filter((count) => count === 0), context }).toEqual({ emptyCounts: [], context });
    });
  });

  it('ends with what it says it made: a pushed, tagged, pulled pack, an OCI copy, a valid saved profile', async () => {
    const all = run.stdout;
    expect(all).toMatch(/"pushPack":\{"version":"1\.16\.1"/);
    expect(all).toContain('Logged in to ');
    expect(all).toMatch(/unchanged \(same digest sha256:[0-9a-f]{12}\)/);
    expect(all).toMatch(/tagged trust-manager:0\.12\.0 as stable__0\.12 in registry platform/);
    // pack show gives resources with their units.
    expect(all).toMatch(/^cpu\s+25m \(0\.025 CPU\)$/m);
    expect(all).toMatch(/^memory\s+64 MiB$/m);
    expect(all).toContain('install order: ubuntu -> kubernetes -> cni-calico -> csi-longhorn');
    // The proposeProfile example answers what the README says it does.
    const proposal = steps.findIndex((step) => step.kind === 'graphql' && step.text.includes('proposeProfile'));
    const proposed = JSON.parse(stdoutByStep.get(proposal) ?? '{}').data?.proposeProfile;
    expect(proposed?.validation).toEqual({ valid: true });
    expect(proposed?.profile.layers.map((layer: { pack: string; version: string; origin: string }) => `${layer.pack} ${layer.version} ${layer.origin}`)).toEqual([
      'ubuntu 24.04 FIXED',
      'kubernetes 1.31.2 SLOT',
      'cni-calico 3.28.2 SLOT',
      'csi-aws-ebs 1.36.0 SLOT',
      'trust-manager 0.12.0 FIXED',
      'cert-manager 1.16.1 REQUIRED',
    ]);
    expect(all).toContain('web-cluster:1.0.0 is valid');
    expect(all).toMatch(/created profile web-cluster:1\.0\.0 \(CLUSTER, aws, 4 layers\)/);

    expect(work.startsWith(scratch)).toBe(true);
    expect(JSON.parse(await readFile(path.join(work, 'trust-manager', 'pack.json'), 'utf8'))).toMatchObject({ name: 'trust-manager', version: '0.12.0' });
    expect(JSON.parse(await readFile(path.join(work, 'cert-manager-oci', 'index.json'), 'utf8')).manifests).toHaveLength(1);
  });

  it('writes nothing into the clone', async () => {
    expect((await readdir(clone)).sort()).toEqual(['data', 'default-packs']);
  });
});

