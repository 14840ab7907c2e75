import { planProfileUpgrade } from '../../../../src/profiles/rules/upgrade-plan.js';
import type { UpgradeLayer } from '../../../../src/profiles/rules/upgrade-plan.js';
import { loadFixturePack, syntheticPack } from '../fixture-packs.js';

function layer(folder: string, values?: string): UpgradeLayer {
  const pack = loadFixturePack(folder);
  return { pack: pack.manifest.name, version: pack.version, manifest: pack.manifest, values };
}

describe('planProfileUpgrade', () => {
  it('lists added, removed, re-versioned and re-configured layers', () => {
    const from = { layers: [layer('crossplane-1.16'), layer('argocd-3.3.5', 'a: 1\n'), layer('fluentbit-4.0.3')] };
    const to = { layers: [layer('crossplane-1.20.0'), layer('argocd-3.3.5', '# same data\na: 2\n'), layer('thanos-17.6.0')] };
    const plan = planProfileUpgrade(from, to);
    expect(plan.changes).toEqual([
      { kind: 'VERSION_CHANGED', pack: 'crossplane', fromIndex: 0, toIndex: 0, fromVersion: '1.16.0', toVersion: '1.20.0', direction: 'UPGRADE', valuesChanged: false },
      { kind: 'VALUES_CHANGED', pack: 'argo-cd', fromIndex: 1, toIndex: 1, fromVersion: '3.3.5', toVersion: '3.3.5' },
      { kind: 'ADDED', pack: 'thanos', toIndex: 2, toVersion: '17.6.0' },
      { kind: 'REMOVED', pack: 'fluentbit', fromIndex: 2, fromVersion: '4.0.3' },
    ]);
    expect(plan.allowed).toBe(true);
  });

  it('ignores comment-only value edits', () => {
    const plan = planProfileUpgrade({ layers: [layer('argocd-3.3.5', 'a: 1\n')] }, { layers: [layer('argocd-3.3.5', '# note\na: 1\n')] });
    expect(plan.changes).toEqual([]);
  });

  it('allows argo-cd 3.3.5 -> 3.26.7 (upgrade constraint: from <= 3.26.7)', () => {
    const plan = planProfileUpgrade({ layers: [layer('argocd-3.3.5')] }, { layers: [layer('argocd-3.26.7')] });
    expect(plan.issues).toEqual([]);
    expect(plan.allowed).toBe(true);
  });

  it('UPGRADE_NOT_SUPPORTED for piraeus-operator 2.7.1 -> 2.8.1 (upgrade constraint: from >= 2.8.1)', () => {
    const plan = planProfileUpgrade({ layers: [layer('piraeus-operator-2.7.1')] }, { layers: [layer('piraeus-operator-2.8.1')] });
    expect(plan.issues).toEqual([
      {
        code: 'UPGRADE_NOT_SUPPORTED',
        severity: 'ERROR',
        layerIndex: 0,
        pack: 'piraeus-operator',
        message: 'piraeus-operator 2.8.1 can only be reached from piraeus-operator >= 2.8.1; the current version is 2.7.1',
      },
    ]);
    expect(plan.allowed).toBe(false);
  });

  it('applies an upgrade constraint naming another pack to that pack\'s current version', () => {
    const k8s = (version: string): UpgradeLayer => {
      const pack = syntheticPack({ name: 'kubernetes', version, layer: 'k8s' });
      return { pack: 'kubernetes', version, manifest: pack.manifest };
    };
    const cni = (version: string, min?: string): UpgradeLayer => {
      const pack = syntheticPack({
        name: 'cni-calico',
        version,
        layer: 'cni',
        dependencies: min ? [{ packName: 'kubernetes', layer: 'k8s', type: 'upgrade', minVersion: min }] : [],
      });
      return { pack: 'cni-calico', version, manifest: pack.manifest };
    };
    const blocked = planProfileUpgrade({ layers: [k8s('1.27.0'), cni('3.26.0')] }, { layers: [k8s('1.29.0'), cni('3.27.0', '1.28')] });
    expect(blocked.issues.map((i) => [i.code, i.layerIndex])).toEqual([['UPGRADE_NOT_SUPPORTED', 1]]);
    const ok = planProfileUpgrade({ layers: [k8s('1.28.0'), cni('3.26.0')] }, { layers: [k8s('1.29.0'), cni('3.27.0', '1.28')] });
    expect(ok.allowed).toBe(true);
  });

  it('marks downgrades and matches repeated packs by occurrence', () => {
    const from = { layers: [layer('crossplane-1.20.0'), layer('crossplane-1.16')] };
    const to = { layers: [layer('crossplane-1.16'), layer('crossplane-1.16')] };
    expect(planProfileUpgrade(from, to).changes).toEqual([
      expect.objectContaining({ kind: 'VERSION_CHANGED', fromIndex: 0, toIndex: 0, direction: 'DOWNGRADE' }),
    ]);
  });
});
