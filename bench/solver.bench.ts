/**
 * The profile solver (issue 16, section 2).
 *
 * 1. A 12-layer request over the full catalog (the DEFAULT registry's packs and the 220
 *    pack-central packs, in memory as the service loads them for one request): fixed OS and six
 *    add-ons, Kubernetes 1.31.x, CNI and CSI slots (CSI preferring csi-aws-ebs), an add-on slot, and
 *    the packs they require; solved, then checked by the real validation (solveValidated, what
 *    proposeProfile runs after its catalog read). Goal: median under 100 ms.
 * 2. The search against brute force on the same small cases (5 layers over the same catalog, one with
 *    a profile and one without): brute force enumerates every combination in policy order and checks
 *    every rule on each; the solver propagates and decides. Time per request; ratio solver / brute force.
 *
 * Run: npm run bench:solver   (in process, no database). BENCH_SOLVER_RUNS (default 200) per figure.
 */
import { performance } from 'node:perf_hooks';
import { validateProfileDraft } from '../src/profiles/rules/index.js';
import { buildProblem } from '../src/profiles/solver/build-problem.js';
import { conflictOf } from '../src/profiles/solver/compatibility.js';
import { solve, type SolveRequest } from '../src/profiles/solver/index.js';
import { candidateKey } from '../src/profiles/solver/solver.model.js';
import { solveValidated } from '../src/profiles/solver/validated.js';
import { loadRealCatalog } from '../test/unit/profiles/solver/real-catalog.js';
import { fmt, printFigures, runBench, type Figure } from './bench.lib.js';

const RUNS = Number(process.env.BENCH_SOLVER_RUNS ?? 200);
const GOAL_MS = 100;

const TWELVE: SolveRequest = {
  type: 'CLUSTER',
  cloudType: 'aws',
  kubernetes: '1.31.x',
  fixed: [
    { pack: 'ubuntu' },
    { pack: 'trust-manager' },
    { pack: 'ingress-nginx' },
    { pack: 'prometheus-operator' },
    { pack: 'argo-cd' },
    { pack: 'elastic-stack' },
  ],
  slots: [{ layer: 'cni' }, { layer: 'csi', prefer: ['csi-aws-ebs'] }, { layer: 'addon', prefer: ['fluentbit'] }],
  policy: { kind: 'NEWEST' },
};

/** Five layers on vSphere with Kubernetes 1.29.x: ubuntu 24.04 (the newest) is not supported there, so 22.04 it is. */
const SMALL: SolveRequest = {
  type: 'CLUSTER',
  cloudType: 'vsphere',
  kubernetes: '1.29.x',
  fixed: [{ pack: 'elastic-operator' }, { pack: 'ubuntu' }],
  slots: [],
  policy: { kind: 'NEWEST' },
};

/** The same five layers with ubuntu 24.04 fixed: no profile fits, and brute force has to try every combination to know it. */
const SMALL_IMPOSSIBLE: SolveRequest = { ...SMALL, fixed: [{ pack: 'elastic-operator' }, { pack: 'ubuntu', version: '24.04' }] };

/** Every combination in policy order (first variable slowest), every rule checked on each: the first that passes. */
function bruteForce(request: SolveRequest, catalog: ReturnType<typeof loadRealCatalog>['catalog']): { combinations: number; choice: string[] | null } {
  const problem = buildProblem(request, catalog);
  const vars = problem.variables;
  const index = vars.map(() => 0);
  let combinations = 0;
  for (;;) {
    combinations++;
    let ok = vars.every((v, i) => v.initialFacts[index[i]] === null);
    for (let i = 0; ok && i < vars.length; i++) {
      for (let j = i + 1; ok && j < vars.length; j++) {
        if (conflictOf(problem, vars[i], vars[i].values[index[i]], vars[j], vars[j].values[index[j]]) !== null) ok = false;
      }
    }
    if (ok) return { combinations, choice: vars.map((v, i) => { const c = v.values[index[i]]; return c ? `${c.pack}@${c.version}` : '-'; }) };
    let k = vars.length - 1;
    while (k >= 0 && ++index[k] === vars[k].values.length) index[k--] = 0;
    if (k < 0) return { combinations, choice: null };
  }
}

async function median(run: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  for (let i = 0; i < Math.min(20, runs); i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

runBench('solver', async () => {
  const real = loadRealCatalog();
  const layers = (request: SolveRequest) => {
    const r = solve(request, real.catalog);
    if (!r.ok) throw new Error(`the bench request does not solve: ${r.explanation.text}`);
    return r.layers;
  };
  const twelve = layers(TWELVE);
  console.log(`catalog: ${real.candidates.length} pack versions; 12-layer request -> ${twelve.length} layers: ${twelve.map((l) => `${l.pack}@${l.version}`).join(', ')}`);
  if (twelve.length < 12) throw new Error(`the bench request gives ${twelve.length} layers, not 12`);

  const validated = () =>
    solveValidated(TWELVE, real.catalog, (ls) =>
      validateProfileDraft(
        { name: 'bench', type: 'CLUSTER', cloudType: 'aws', layers: ls.map(({ pack, version, registry }) => ({ pack, version, registry })) },
        ls.map((l) => real.resolved.get(candidateKey(l))!),
      ),
    );
  const check = await validated();
  if (!check.ok || !check.validation.valid) throw new Error('the 12-layer proposal does not validate');
  const withValidation = await median(validated);
  const solveOnly = await median(() => solve(TWELVE, real.catalog));

  const small = layers(SMALL);
  const brute = bruteForce(SMALL, real.catalog);
  const impossible = bruteForce(SMALL_IMPOSSIBLE, real.catalog);
  if (solve(SMALL_IMPOSSIBLE, real.catalog).ok || impossible.choice !== null) throw new Error('the impossible case has a profile');
  console.log(`small case: ${small.map((l) => `${l.pack}@${l.version}`).join(', ')}; brute force tried ${brute.combinations} combinations, first fit ${brute.choice?.join(', ') ?? 'none'}`);
  console.log(`impossible small case: brute force tried ${impossible.combinations} combinations; solver: ${(solve(SMALL_IMPOSSIBLE, real.catalog) as { explanation: { text: string } }).explanation.text}`);
  const smallSolver = await median(() => solve(SMALL, real.catalog));
  const smallBrute = await median(() => bruteForce(SMALL, real.catalog), Math.max(5, Math.floor(RUNS / 10)));
  const impossibleSolver = await median(() => solve(SMALL_IMPOSSIBLE, real.catalog));
  const impossibleBrute = await median(() => bruteForce(SMALL_IMPOSSIBLE, real.catalog), Math.max(5, Math.floor(RUNS / 10)));

  const figures: Figure[] = [
    {
      metric: '12-layer request, solve + real validation (median)',
      subject: withValidation,
      baseline: GOAL_MS,
      unit: 'ms',
      better: 'lower',
      note: `goal < ${GOAL_MS} ms: ${withValidation < GOAL_MS ? 'PASS' : 'FAIL'} (baseline column: the goal); solve alone ${fmt(solveOnly)} ms`,
    },
    {
      metric: `small case (${small.length} layers): solver vs brute force (median)`,
      subject: smallSolver,
      baseline: smallBrute,
      unit: 'ms',
      better: 'lower',
      note: `${smallSolver < smallBrute ? 'PASS' : 'FAIL'} (solver faster); brute force tries ${brute.combinations} combinations, same run`,
    },
    {
      metric: `impossible small case (${small.length} layers): solver vs brute force (median)`,
      subject: impossibleSolver,
      baseline: impossibleBrute,
      unit: 'ms',
      better: 'lower',
      note: `${impossibleSolver < impossibleBrute ? 'PASS' : 'FAIL'} (solver faster, with its explanation); brute force tries all ${impossible.combinations} combinations`,
    },
  ];
  printFigures('profile solver (in process, DEFAULT + pack-central catalog)', figures);
});
