/**
 * Document checking cost vs document size (issue 12, point 1): every check a GraphQL document goes
 * through before execution (parse with the token limit, graphql-js's validation rules, the Armor
 * alias/directive/depth rules, the cost estimate) must take time linear in its size.
 *
 * 1. In process, with every limit raised out of the way so each document is checked in full:
 *    fragment chains (each fragment spreading the next twice: 2^n paths), `__typename` aliases and
 *    directives, at growing sizes. The figure is the time per KB at the largest size, the baseline
 *    the time per KB of the same shape at 8 KB; PASS when the ratio is at most 3 (linear, with room
 *    for noise and cache effects; the old walkers doubled per fragment).
 * 2. Through the service with the default limits: the 903-byte fragment chain and 50,000
 *    aliases, against `{ me { name } }` as the baseline (all three over HTTP, the same app).
 *
 * Run: npm run bench:documents  (PostgreSQL on 127.0.0.1:5432 when reachable, else the embedded database)
 * Tuning: BENCH_DOC_MAX_KB (largest document, default 64), BENCH_DOC_MIN_MS (time per measurement, default 300).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import globalSetup from '../test/helpers/global-setup.js';
import globalTeardown from '../test/helpers/global-teardown.js';
import { createTestApp } from '../test/helpers/test-app.js';
import { directives, fragmentChain, typenameAliases } from '../test/unit/graphql/hostile-documents.js';
import { buildGraphQLSchema } from '../src/app/schema.js';
import { documentLimitOptions } from '../src/graphql/document-limits.js';
import { estimateComplexity } from '../src/graphql/complexity.plugin.js';
import { fmt, printFigures, runBench, type Figure } from './bench.lib.js';

const MAX_KB = Number(process.env.BENCH_DOC_MAX_KB ?? 64);
const MIN_MS = Number(process.env.BENCH_DOC_MIN_MS ?? 300);
const BASELINE_KB = 8;
const MAX_RATIO = 3;

/** Each shape builds a document of about `bytes` bytes. */
const SHAPES: Array<{ name: string; build(bytes: number): string }> = [
  { name: 'fragment chain (2 spreads per link)', build: (bytes) => fragmentChain(Math.max(1, Math.round(bytes / 44))) },
  { name: '__typename aliases', build: (bytes) => typenameAliases(Math.max(1, Math.round(bytes / 16))) },
  // One directive per aliased field: repeating a directive on one field is refused by graphql-js itself.
  {
    name: 'directives (one per aliased field)',
    build: (bytes) => typenameAliases(Math.max(1, Math.round(bytes / 33))).replace(/__typename/g, '__typename @skip(if: false)'),
  },
  { name: 'directives (on one field, refused by graphql-js)', build: (bytes) => directives(Math.max(1, Math.round(bytes / 17))) },
];

/** Median milliseconds of parse + validate + estimate, repeated for at least MIN_MS. */
function measure(schema: GraphQLSchema, query: string): { ms: number; errors: number } {
  const limits = documentLimitOptions(
    { maxQueryTokens: Number.MAX_SAFE_INTEGER, maxQueryAliases: Number.MAX_SAFE_INTEGER, maxQueryDirectives: Number.MAX_SAFE_INTEGER, maxQueryDepth: Number.MAX_SAFE_INTEGER },
    { hideSuggestions: true },
  );
  const rules = [...specifiedRules, ...limits.validationRules];
  const once = () => {
    const started = performance.now();
    const document = parse(query, limits.parseOptions);
    const errors = validate(schema, document, rules);
    estimateComplexity(schema, document, undefined, {});
    return { ms: performance.now() - started, errors: errors.length };
  };
  once(); // warm-up
  const samples: number[] = [];
  let errors = 0;
  const until = performance.now() + MIN_MS;
  while (samples.length < 3 || (performance.now() < until && samples.length < 200)) {
    const run = once();
    samples.push(run.ms);
    errors = run.errors;
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, errors };
}

runBench('documents', async () => {
  const schema = await buildGraphQLSchema();
  const sizes = [2, BASELINE_KB, 16, 32, 64, 128, 256].filter((kb) => kb <= MAX_KB);
  const rows = ['| shape | size (KB) | validation errors | time (ms) | time per KB (µs) |', '|---|---|---|---|---|'];
  const figures: Figure[] = [];
  let failed = 0;
  for (const shape of SHAPES) {
    const perKb = new Map<number, number>();
    for (const kb of sizes) {
      const query = shape.build(kb * 1024);
      const actualKb = query.length / 1024;
      const { ms, errors } = measure(schema, query);
      perKb.set(kb, (ms * 1000) / actualKb);
      rows.push(`| ${shape.name} | ${fmt(actualKb)} | ${errors} | ${fmt(ms)} | ${fmt((ms * 1000) / actualKb)} |`);
    }
    const largest = sizes.at(-1)!;
    const ratio = perKb.get(largest)! / perKb.get(BASELINE_KB)!;
    const pass = ratio <= MAX_RATIO;
    if (!pass) failed++;
    figures.push({
      metric: `${shape.name}: time per KB at ${largest} KB`,
      subject: perKb.get(largest)!,
      baseline: perKb.get(BASELINE_KB)!,
      unit: 'µs/KB',
      better: 'lower',
      note: `${pass ? 'PASS' : 'FAIL'} (ratio <= ${MAX_RATIO}; baseline: the same shape at ${BASELINE_KB} KB)`,
    });
  }
  console.log(`### document checking time vs size (in process, every limit raised)\n\n${rows.join('\n')}\n`);
  printFigures('document checking: linear in size', figures);

  await globalSetup();
  const t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' } });
  try {
    const median = async (query: string, expected: string | null): Promise<number> => {
      const samples: number[] = [];
      for (let i = 0; i < 15; i++) {
        const started = performance.now();
        const { body } = await t.gql(query);
        samples.push(performance.now() - started);
        const limit = body.errors?.[0]?.extensions?.limit ?? null;
        if (limit !== expected) throw new Error(`expected ${expected ?? 'an answer'}, got ${JSON.stringify(body).slice(0, 300)}`);
      }
      return samples.sort((a, b) => a - b)[7]!;
    };
    const baseline = await median('{ me { name } }', null);
    const chain = fragmentChain(21);
    const aliases = typenameAliases(50_000);
    printFigures('hostile documents through the service (default limits)', [
      { metric: `${chain.length}-byte fragment chain (2^21 paths), refused`, subject: await median(chain, 'MAX_QUERY_COMPLEXITY'), baseline, unit: 'ms', better: 'lower', note: 'baseline: { me { name } } answered' },
      { metric: `50,000 __typename aliases (${fmt(aliases.length / 1024)} KB), refused`, subject: await median(aliases, 'MAX_QUERY_TOKENS'), baseline, unit: 'ms', better: 'lower', note: 'refused at parse time' },
    ]);
  } finally {
    await t.close();
    await globalTeardown();
  }
  if (failed > 0) throw new Error(`${failed} shape(s) grew faster than linearly`);
});
