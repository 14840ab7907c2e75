/**
 * Profile validation throughput: a 12-layer CLUSTER profile of the DEFAULT registry's packs,
 * validated (1) in process by the pure validateProfileDraft over already-resolved layers, and
 * (2) through GraphQL `validateProfile` on a started server (HTTP, auth, resolution through the
 * catalog loaders: a constant handful of SQL statements, then the same pure function).
 *
 * Run: npm run bench:profiles  (PostgreSQL on 127.0.0.1:5432 when reachable, else the embedded database)
 * Tuning: BENCH_SECONDS (per measurement, default 4), BENCH_CONNECTIONS (concurrent HTTP clients, default 8).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import globalSetup from '../test/helpers/global-setup.js';
import globalTeardown from '../test/helpers/global-teardown.js';
import { createTestApp } from '../test/helpers/test-app.js';
import { createLoaders } from '../src/app/context.js';
import { validateProfileDraft } from '../src/profiles/rules/index.js';
import type { ProfileDraft, ProfileLayerDraft } from '../src/profiles/profile.model.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);

const VALIDATE = `query($input: ProfileInput!) {
  validateProfile(input: $input) { valid issues { code severity layerIndex path message } resolvedLayers { pack version digest } installOrder { pack } resources { cpuMillicores memoryMi } }
}`;

function format(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

await globalSetup();
const t = await createTestApp({ seed: true, env: { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' } });
try {
  const ingressValues = (await t.gql('{ packVersion(name: "ingress-nginx", version: "4.11.3") { values } }')).body.data!.packVersion
    .values as string;
  // The same pack four times, told apart by display names, as Palette allows.
  const ingress = (display: string): ProfileLayerDraft => ({
    pack: 'ingress-nginx',
    version: '4.11.3',
    values: ingressValues.replace(/^pack:\n/m, `pack:\n  spectrocloud.com/display-name: ${display}\n`),
  });
  const draft: ProfileDraft = {
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

  // 1. In process: resolve once, then only the pure function.
  const resolved = await t.services.profiles.resolveLayers(createLoaders(t.services, { name: 'bench', role: 'ADMIN', registries: [], kind: 'bootstrap' }).catalog, draft.layers);
  const check = validateProfileDraft(draft, resolved);
  if (!check.valid) throw new Error(`bench profile is not valid: ${JSON.stringify(check.issues.filter((i) => i.severity === 'ERROR'))}`);
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) validateProfileDraft(draft, resolved);
  let pure = 0;
  const pureStart = performance.now();
  const pureEnd = pureStart + SECONDS * 1000;
  while (performance.now() < pureEnd) {
    for (let i = 0; i < 20; i++) validateProfileDraft(draft, resolved);
    pure += 20;
  }
  const pureRate = pure / ((performance.now() - pureStart) / 1000);

  // 2. Through GraphQL on a started server, CONNECTIONS clients in a loop.
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const body = JSON.stringify({ query: VALIDATE, variables: { input: draft } });
  const post = async (): Promise<void> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` },
      body,
    });
    const json = (await response.json()) as { errors?: unknown; data?: { validateProfile?: { valid: boolean } } };
    if (response.status !== 200 || json.errors || json.data?.validateProfile?.valid !== true) {
      throw new Error(`validateProfile failed: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
    }
  };
  for (let i = 0; i < 20; i++) await post();
  t.takeQueryCount();
  await post();
  const statements = t.takeQueryCount();
  let viaGraphql = 0;
  const gqlStart = performance.now();
  const gqlEnd = gqlStart + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < gqlEnd) {
        await post();
        viaGraphql++;
      }
    }),
  );
  const gqlRate = viaGraphql / ((performance.now() - gqlStart) / 1000);
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));

  console.log(`profile validation, 12 layers (${t.database.kind} database, ${SECONDS} s per measurement)`);
  console.log(`  in process, pure validateProfileDraft : ${format(pureRate)} validations/s (${(1000 / pureRate).toFixed(3)} ms each)`);
  console.log(
    `  GraphQL validateProfile over HTTP     : ${format(gqlRate)} validations/s with ${CONNECTIONS} connections ` +
      `(${statements} SQL statements per request)`,
  );
  console.log(`  ratio in-process / GraphQL            : ${(pureRate / gqlRate).toFixed(1)}x`);
} finally {
  await t.close();
  await globalTeardown();
}
