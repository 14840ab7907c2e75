/**
 * Profile validation throughput (issue 13): a 12-layer CLUSTER profile of the DEFAULT registry's
 * packs, four of its layers carrying the caller's own values text (ingress-nginx four times, told
 * apart by display names, as Palette allows).
 *
 * 1. In process (measured after 2, so no idle keep-alive connection is cut during its busy loop):
 *    validateProfileDraft over the layers as the service resolves them. Goal >= 5,000/s. Baseline:
 *    reading the caller's own four values texts uncached with the reader the rules use (nothing
 *    else), what validating texts never seen before pays; re-validating the same texts reads them
 *    from the cache (rules/caller-values.ts), and a context line measures the texts new each call. A context line compares that reader with
 *    the `yaml` library every validation used before.
 * 2. Through GraphQL `validateProfile` over HTTP at BENCH_CONNECTIONS connections (autocannon in
 *    its own process) on the whole service (startServer, PostgreSQL, catalog change notifications
 *    wired as in production). Goal >= 600/s. Baseline: `{ __typename }` through the same server,
 *    same token, same connections (what HTTP, auth and Apollo cost before any resolver).
 *
 * Run: npm run bench:profiles  (needs PostgreSQL on 127.0.0.1:5432: createdb/dropdb)
 * Tuning: BENCH_SECONDS (per measurement, default 5), BENCH_CONNECTIONS (default 8),
 * BENCH_PART=inprocess|graphql (one half only, e.g. under `node --cpu-prof`).
 */
// First: graphql-js reads NODE_ENV when it loads (the service runs in production mode).
import './production-env.js';
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createLoaders } from '../src/app/context.js';
import { validateProfileDraft } from '../src/profiles/rules/index.js';
import { parseDocument } from 'yaml';
import { parseValues } from '../src/profiles/rules/parsed-values.js';
import type { ProfileDraft, ProfileLayerDraft } from '../src/profiles/profile.model.js';
import { createBenchDatabase, fmt, isMain, printFigures, runBench, runLoad, startBenchService, type Figure } from './bench.lib.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const PART = process.env.BENCH_PART ?? 'all';
const GOAL_IN_PROCESS = 5_000;
const GOAL_GRAPHQL = 600;

const VALIDATE = `query($input: ProfileInput!) {
  validateProfile(input: $input) { valid issues { code severity layerIndex path message } resolvedLayers { pack version digest } installOrder { pack } resources { cpuMillicores memoryMi } }
}`;

function verdict(ok: boolean, goal: string): string {
  return `goal ${goal}: ${ok ? 'PASS' : 'FAIL'}`;
}

/** Calls per second of `run` over SECONDS, after half a second of warm-up. */
function rate(run: () => void): number {
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) run();
  let calls = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 20; i++) run();
    calls += 20;
  }
  return calls / ((performance.now() - start) / 1000);
}

function benchDraft(ingressValues: string): ProfileDraft {
  const ingress = (display: string): ProfileLayerDraft => ({
    pack: 'ingress-nginx',
    version: '4.11.3',
    values: ingressValues.replace(/^pack:\n/m, `pack:\n  spectrocloud.com/display-name: ${display}\n`),
  });
  return {
    name: 'bench-edge',
    version: '1.0.0',
    type: 'CLUSTER',
    cloudType: 'vsphere',
    layers: [
      { pack: 'ubuntu', version: '22.04' },
      { pack: 'kubernetes', version: '1.31.x' },
      { pack: 'cni-calico', version: '3.28.2' },
      { pack: 'csi-longhorn', version: '1.7.2' },
      { pack: 'cert-manager', version: 'latest' },
      { pack: 'trust-manager', version: '0.12.0' },
      ingress('public'),
      ingress('internal'),
      ingress('admin'),
      ingress('partners'),
      { pack: 'prometheus-operator', version: '65.1.1' },
      { pack: 'metallb', version: '0.14.8' },
    ],
  };
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('bench_profiles');
  const service = await startBenchService(db.url, { SEED_DEFAULT_REGISTRY: 'true' }).catch(async (error: unknown) => {
    await db.drop();
    throw error;
  });
  try {
    const graphqlUrl = `${service.url}/graphql`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${service.adminToken}` };
    const gql = async (query: string, variables?: unknown): Promise<any> => {
      const response = await fetch(graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const json = (await response.json()) as { errors?: unknown; data?: any };
      if (response.status !== 200 || json.errors) throw new Error(`GraphQL failed: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
      return json.data;
    };
    const ingressValues = (await gql('{ packVersion(name: "ingress-nginx", version: "4.11.3") { values } }')).packVersion.values as string;
    const draft = benchDraft(ingressValues);
    const callerTexts = draft.layers.flatMap((l) => (typeof l.values === 'string' ? [l.values] : []));
    const figures: Figure[] = [];

    if (PART === 'all' || PART === 'graphql') {
      const body = JSON.stringify({ query: VALIDATE, variables: { input: draft } });
      const answer = await gql(VALIDATE, { input: draft });
      if (answer.validateProfile.valid !== true) throw new Error(`validateProfile: ${JSON.stringify(answer).slice(0, 500)}`);
      const load = { url: graphqlUrl, method: 'POST' as const, headers, connections: CONNECTIONS, duration: SECONDS };
      const trivial = await runLoad({ ...load, body: JSON.stringify({ query: '{ __typename }' }) });
      const validating = await runLoad({ ...load, body });
      for (const [what, r] of [['__typename', trivial], ['validateProfile', validating]] as const) {
        if (r.errors > 0 || r.non2xx > 0) throw new Error(`${what}: ${r.errors} errors, ${r.non2xx} non-2xx answers under load`);
      }
      figures.push({
        metric: `GraphQL validateProfile over HTTP, ${CONNECTIONS} connections`,
        subject: validating.requestsPerSecond,
        baseline: trivial.requestsPerSecond,
        unit: 'req/s',
        better: 'higher',
        note:
          `${verdict(validating.requestsPerSecond >= GOAL_GRAPHQL, `>= ${GOAL_GRAPHQL}/s`)}; p50 ${validating.p50} ms, p99 ${validating.p99} ms ` +
          `(baseline p50 ${trivial.p50}, p99 ${trivial.p99}); ` +
          'baseline: `{ __typename }` through the same server, token and connections',
      });
    }

    if (PART === 'all' || PART === 'inprocess') {
      const { services } = service.server;
      const loaders = createLoaders(services, { name: 'bench', role: 'ADMIN', registries: [], kind: 'bootstrap' }).catalog;
      const resolved = await services.profiles.resolveLayers(loaders, draft.layers);
      const check = validateProfileDraft(draft, resolved);
      if (!check.valid) throw new Error(`bench profile is not valid: ${JSON.stringify(check.issues.filter((i) => i.severity === 'ERROR'))}`);
      const floor = rate(() => {
        for (const text of callerTexts) parseValues(text);
      });
      const pure = rate(() => validateProfileDraft(draft, resolved));
      // The caller's texts are cached by content (rules/caller-values.ts): the figure above is a
      // re-validation (CI, an editor). A comment line makes every text new on each call: all misses.
      let edit = 0;
      const cold = rate(() => {
        edit++;
        const layers = draft.layers.map((l) => (typeof l.values === 'string' ? { ...l, values: `${l.values}\n# edit ${edit}\n` } : l));
        validateProfileDraft({ ...draft, layers }, resolved);
      });
      const yamlLibrary = rate(() => {
        for (const text of callerTexts) parseDocument(text).toJS({ maxAliasCount: 1000 });
      });
      figures.push({
        metric: 'in process: validateProfileDraft, 12 layers',
        subject: pure,
        baseline: floor,
        unit: 'validations/s',
        better: 'higher',
        note:
          `${verdict(pure >= GOAL_IN_PROCESS, `>= ${GOAL_IN_PROCESS}/s`)}; ${(1000 / pure).toFixed(3)} ms each; baseline: parsing only the caller's ` +
          `${callerTexts.length} values texts (${callerTexts.reduce((n, t) => n + t.length, 0)} chars) uncached, what validating new texts pays; ` +
          'the subject re-validates the same profile, so its texts are read from the cache',
      });
      figures.push({
        metric: "in process: validateProfileDraft, 12 layers, the caller's 4 texts new on every call (cache misses; context, no goal)",
        subject: cold,
        baseline: floor,
        unit: 'validations/s',
        better: 'higher',
        note: `${(1000 / cold).toFixed(3)} ms each; baseline: parsing only the caller's texts (as above)`,
      });
      figures.push({
        metric: "in process: reading the caller's values texts (context, no goal)",
        subject: floor,
        baseline: yamlLibrary,
        unit: 'reads/s',
        better: 'higher',
        note: "subject: parseValues (the plain-YAML reader, `yaml` for what it declines); baseline: the `yaml` library's parseDocument + toJS, how every validation read them before",
      });
    }

    printFigures(`profile validation, 12 layers (PostgreSQL, ${SECONDS} s per measurement)`, figures);
    for (const f of figures) console.log(`[profiles] ${f.metric}: ${fmt(f.subject)} ${f.unit} (${fmt(f.subject / f.baseline!)}x the baseline); ${f.note!.split(';')[0]}`);
  } finally {
    await service.close();
    await db.drop();
  }
}

if (isMain(import.meta.url)) runBench('profiles', main);
