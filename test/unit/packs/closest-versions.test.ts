/** The versions a "not found" answer suggests (issue 20, point 14). */
import { closestVersions } from '../../../src/packs/closest-versions.js';

describe('closestVersions', () => {
  it('puts the versions that share the most leading numbers first, then the nearest, newest on ties', () => {
    const k8s = ['1.29.4', '1.29.10', '1.30.2', '1.30.6', '1.31.2', '1.31.0-rc.1'];
    expect(closestVersions('1.30.9', k8s, 3)).toEqual(['1.30.6', '1.30.2', '1.31.2']);
    expect(closestVersions('1.29.5', k8s, 2)).toEqual(['1.29.4', '1.29.10']);
    expect(closestVersions('1.32', k8s, 2)).toEqual(['1.31.2', '1.31.0-rc.1']);
  });

  it('answers crossplane:9.9 with the newest of what exists, since nothing is near', () => {
    expect(closestVersions('9.9', ['1.0.0', '2.1.2', '2.0.0', '2.1.3'])).toEqual(['2.1.3', '2.1.2', '2.0.0', '1.0.0']);
  });

  it('reads parent tags and a leading v by their numbers', () => {
    expect(closestVersions('3.28.x', ['3.27.4', '3.28.2', '3.29.0', '3.28.0'], 2)).toEqual(['3.28.2', '3.28.0']);
    expect(closestVersions('v2', ['1.9.0', '2.4.1', '3.0.0'], 1)).toEqual(['2.4.1']);
  });

  it('falls back to the newest for a tag or digest, and never lists a version twice', () => {
    expect(closestVersions('stable__1', ['1.0.0', '1.2.0', '1.1.0', '1.2.0'], 2)).toEqual(['1.2.0', '1.1.0']);
    expect(closestVersions(`sha256:${'a'.repeat(64)}`, ['0.1.0', '0.2.0'])).toEqual(['0.2.0', '0.1.0']);
    expect(closestVersions('1.0.0', [])).toEqual([]);
  });
});
