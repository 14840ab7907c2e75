/**
 * The solver's promise, checked on many generated requests over the real catalog (the DEFAULT
 * registry's packs and the 220 pack-central packs): every proposal passes the real validation with
 * no ERROR, and every failure comes with an explanation whose facts name layers of the request.
 * A plain loop over a seeded PRNG: the same seed gives the same requests, so a failure replays.
 */
import type { PackLayer } from '../../../../src/packs/pack.types.js';
import { validateProfileDraft } from '../../../../src/profiles/rules/index.js';
import { solve, type SolveRequest } from '../../../../src/profiles/solver/index.js';
import { slotLabel } from '../../../../src/profiles/solver/build-problem.js';
import { solveValidated } from '../../../../src/profiles/solver/validated.js';
import { candidateKey } from '../../../../src/profiles/solver/solver.model.js';
import { loadRealCatalog } from './real-catalog.js';

/** mulberry32: small, seedable, good enough to spread requests. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REQUESTS = 150;
const CLOUDS = ['aws', 'vsphere', 'gcp', 'azure', 'edge-native', 'openstack', 'maas', 'eks'];
const KUBERNETES = [null, '1.29.x', '1.30.x', '1.31.x', '1.28.x', '>=1.30'];

describe('solver over the real catalog (property)', () => {
  const real = loadRealCatalog();
  const addons = [...new Set(real.candidates.filter((c) => c.layer === 'addon').map((c) => c.pack))].sort();
  const csis = [...new Set(real.candidates.filter((c) => c.layer === 'csi').map((c) => c.pack))].sort();

  function generate(random: () => number): SolveRequest {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const fixed = Array.from({ length: Math.floor(random() * 5) }, () => {
      const pack = pick(addons);
      const versions = real.catalog.versionsOf(pack).map((c) => c.version);
      const form = random();
      const version = form < 0.5 ? null : form < 0.8 ? pick(versions) : `${pick(versions).split('.').slice(0, 2).join('.')}.x`;
      return { pack, version };
    }).filter((f, i, all) => all.findIndex((g) => g.pack === f.pack) === i);
    const slots: SolveRequest['slots'] = [];
    if (random() < 0.5) slots.push({ layer: 'cni' as PackLayer });
    if (random() < 0.6) slots.push({ layer: 'csi' as PackLayer, prefer: random() < 0.7 ? [pick(csis)] : [] });
    if (random() < 0.3) slots.push({ layer: 'addon' as PackLayer, prefer: [pick(addons)] });
    return { type: 'CLUSTER', cloudType: pick(CLOUDS), kubernetes: pick(KUBERNETES), fixed, slots, policy: { kind: 'NEWEST' } };
  }

  it(`${REQUESTS} requests: proposals validate with no ERROR, failures explain themselves`, async () => {
    const random = prng(16_2);
    let proposed = 0;
    let explained = 0;
    for (let n = 0; n < REQUESTS; n++) {
      const request = generate(random);
      const draft = (layers: Array<{ pack: string; version: string; registry: string }>) => ({
        name: `property-${n}`,
        type: 'CLUSTER' as const,
        cloudType: request.cloudType,
        layers: layers.map(({ pack, version, registry }) => ({ pack, version, registry })),
      });
      const validate = (layers: Array<{ pack: string; version: string; registry: string }>) =>
        validateProfileDraft(draft(layers), layers.map((l) => real.resolved.get(candidateKey(l))!));
      const result = await solveValidated(request, real.catalog, validate);
      const context = JSON.stringify(request);
      if (result.ok) {
        proposed++;
        const errors = result.validation.issues.filter((i) => i.severity === 'ERROR').map((i) => `${i.code}: ${i.message}`);
        expect({ context, errors }).toEqual({ context, errors: [] });
        for (const f of request.fixed) expect(result.layers.map((l) => l.pack)).toContain(f.pack);
        // CLOSEST to a proposal, with the same request, is that proposal (nothing needs to move).
        const base = result.layers.map(({ pack, version, layer }) => ({ pack, version, layer }));
        const again = await solveValidated({ ...request, policy: { kind: 'CLOSEST', base, baseName: 'self' } }, real.catalog, validate);
        expect({ context, layers: again.ok ? again.layers : again.explanation.text }).toEqual({ context, layers: result.layers });
      } else {
        explained++;
        const { explanation } = result;
        expect(explanation.facts.length).toBeGreaterThan(0);
        expect(explanation.text.length).toBeGreaterThan(0);
        const named = new Set([
          ...request.fixed.map((f) => f.pack),
          ...(['os', 'k8s', 'cni', 'csi', 'addon'] as const).map(slotLabel),
        ]);
        expect({ context, layers: explanation.layers.filter((l) => named.has(l)).length > 0 }).toEqual({ context, layers: true });
      }
    }
    // The generator reaches both outcomes.
    expect(proposed).toBeGreaterThan(REQUESTS / 3);
    expect(explained).toBeGreaterThan(5);
  });

  it('is deterministic over the real catalog', () => {
    const random = prng(7);
    for (let n = 0; n < 20; n++) {
      const request = generate(random);
      expect(solve(request, real.catalog)).toEqual(solve(request, real.catalog));
    }
  });
});
