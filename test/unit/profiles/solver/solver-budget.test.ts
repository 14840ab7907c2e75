/**
 * The solver's cost per request is bounded in time as well as in decisions: it runs on the event
 * loop, so a crafted catalog must not stall every other request. Worst cases measured before the
 * bound: a pigeonhole (30 fixed packs over 29 versions, each version not supported with the same
 * version of every other pack) took 20,000 decisions and ~9.6 s; 30 such packs over 100 versions
 * took ~6 s in propagation alone (30 decisions). Both now stop at MAX_SOLVE_MS (2 s) and say so.
 */
import type { PackDependencySpec } from '../../../../src/packs/pack.types.js';
import { MAX_SOLVE_MS, solve, type CandidateVersion } from '../../../../src/profiles/solver/index.js';
import { memoryCatalog } from '../../../../src/profiles/solver/memory-catalog.js';

/** `packs` add-ons of `versions` versions each; version k of one is not supported with version k of any other. */
function pigeonhole(packs: number, versions: number): CandidateVersion[] {
  const names = Array.from({ length: packs }, (_, i) => `pigeon-${i}`);
  return names.flatMap((name) =>
    Array.from({ length: versions }, (_, k): CandidateVersion => {
      const version = `${k + 1}.0.0`;
      const dependencies = names
        .filter((n) => n !== name)
        .map((n): PackDependencySpec => ({ packName: n, type: 'notSupported', layer: 'addon', minVersion: version, maxVersion: version }));
      return { pack: name, version, layer: 'addon', registry: 'r', registryPriority: 0, cloudTypes: [], dependencies, kubeVersion: null, lifecycle: 'ACTIVE', pastEol: false, tags: [] };
    }),
  );
}

describe('the solver budget', () => {
  it.each([
    [30, 29],
    [30, 100],
  ])('stops a crafted problem (%i packs, %i versions each) at its time budget and says so', (packs, versions) => {
    const catalog = memoryCatalog(pigeonhole(packs, versions));
    const fixed = Array.from({ length: packs }, (_, i) => ({ pack: `pigeon-${i}` }));
    const started = performance.now();
    const result = solve({ type: 'ADDON', cloudType: 'aws', fixed, slots: [], policy: { kind: 'NEWEST' } }, catalog);
    const elapsed = performance.now() - started;
    // The budget, plus slack for a loaded machine (the time is checked between candidates).
    expect(elapsed).toBeLessThan(MAX_SOLVE_MS + 1500);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.explanation.text).toMatch(/the search stopped at its budget/);
  });
});
