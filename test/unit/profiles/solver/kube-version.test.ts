import { inKubernetesRange, normaliseKubernetesVersion, satisfiesKubeVersion } from '../../../../src/profiles/solver/kube-version.js';

describe('Kubernetes versions with vendor suffixes', () => {
  it('keeps the numeric part', () => {
    expect(normaliseKubernetesVersion('1.31.2-gke.123')).toBe('1.31.2');
    expect(normaliseKubernetesVersion('v1.30.4+rke2r1')).toBe('1.30.4');
    expect(normaliseKubernetesVersion('1.29.8-eks-1-29-20')).toBe('1.29.8');
    expect(normaliseKubernetesVersion('1.28')).toBe('1.28.0');
    expect(normaliseKubernetesVersion('latest')).toBeNull();
  });

  it.each([
    ['1.31.2-gke.123', '>= 1.21.0-0', true],
    ['1.30.4+rke2r1', '>=1.31.0', false],
    ['1.29.8-eks-1-29-20', '^1.28', true],
    ['1.29.8', '~1.28.0', false],
    ['1.33.1', '>=1.25 <1.32 || 1.33.x', true],
    ['1.32.0', '>=1.25 <1.32 || 1.33.x', false],
    ['1.27.3', '1.26 - 1.30', true],
    ['1.31.0', '1.26 - 1.30', false],
    ['1.30.9', '1.26 - 1.30', true],
    ['1.30.1', '>= 1.20, < 1.31', true],
    ['1.30.1', 'not a constraint', true],
  ])('%s against kubeVersion %s: %s', (version, constraint, expected) => {
    expect(satisfiesKubeVersion(version, constraint)).toBe(expected);
  });

  it('reads the request range as a parent tag, an exact version, a minor or a constraint', () => {
    expect(inKubernetesRange('1.31.2-gke.1', '1.31.x')).toBe(true);
    expect(inKubernetesRange('1.30.6', '1.31.x')).toBe(false);
    expect(inKubernetesRange('1.31.2+rke2r1', '1.31.2')).toBe(true);
    expect(inKubernetesRange('1.31.9', '1.31')).toBe(true);
    expect(inKubernetesRange('1.30.9', '>=1.30 <1.31')).toBe(true);
    expect(inKubernetesRange('1.30.9', null)).toBe(true);
  });
});
