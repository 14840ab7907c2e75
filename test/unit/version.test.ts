import {
  compareVersions,
  isVersionInRange,
  parentTagsOf,
  resolveVersionReference,
  sortVersionsDescending,
} from '../../src/packs/version.js';

describe('compareVersions', () => {
  it('orders real-world pack versions, pre-releases below releases', () => {
    const input = ['2.0.1', '1.27', '0.30.0-5.5.2026', '2.0.1-up.1', 'v23.01.0', '0.30.0', '1.27.3', '1.3.0', 'nonsense'];
    const ordered = sortVersionsDescending(input, (v) => v);
    expect(ordered).toEqual(['v23.01.0', '2.0.1', '2.0.1-up.1', '1.27.3', '1.27', '1.3.0', '0.30.0', '0.30.0-5.5.2026', 'nonsense']);
  });

  it('treats missing numeric parts as zero and compares numerically', () => {
    expect(compareVersions('1.27', '1.27.0')).toBe(0);
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBeLessThan(0);
    expect(compareVersions('1.0.0-2', '1.0.0-beta')).toBeLessThan(0);
  });
});

describe('isVersionInRange', () => {
  it('honours inclusive bounds and skips empty ones', () => {
    expect(isVersionInRange('1.27.0', '1.27', '')).toBe(true);
    expect(isVersionInRange('1.26.9', '1.27', '')).toBe(false);
    expect(isVersionInRange('1.30.0', '', '1.29.99')).toBe(false);
    expect(isVersionInRange('1.14.168', '1.14.168', undefined)).toBe(true);
    expect(isVersionInRange('9.9.9', null, null)).toBe(true);
  });
});

describe('resolveVersionReference', () => {
  const versions = ['1.28.9', '1.29.4', '1.29.10', '1.30.2', '1.31.0-rc.1'];
  const tags = new Map([['lts__1.29.4', '1.29.4']]);

  it('resolves exact versions, tags, parent tags and latest', () => {
    expect(resolveVersionReference('1.29.4', versions, tags)).toBe('1.29.4');
    expect(resolveVersionReference('lts__1.29.4', versions, tags)).toBe('1.29.4');
    expect(resolveVersionReference('1.29.x', versions, tags)).toBe('1.29.10');
    expect(resolveVersionReference('1.x', versions, tags)).toBe('1.30.2');
    expect(resolveVersionReference('latest', versions, tags)).toBe('1.30.2');
    // A string that is not a version is never `latest` (nor matched by a parent tag), even when it is the only one; named exactly, it resolves.
    expect(resolveVersionReference('latest', ['not-a-version'])).toBeNull();
    expect(resolveVersionReference('latest', ['not-a-version', '0.1.0-rc.1'])).toBe('0.1.0-rc.1');
    expect(resolveVersionReference('not-a-version', ['not-a-version'])).toBe('not-a-version');
    expect(resolveVersionReference('v1.28.9', versions, tags)).toBe('1.28.9');
    expect(resolveVersionReference('2.x', versions, tags)).toBeNull();
    expect(resolveVersionReference('1.2', versions, tags)).toBeNull();
  });

  it('lists the parent tags of a version', () => {
    expect(parentTagsOf('1.29.4')).toEqual(['1.x', '1.29.x']);
    expect(parentTagsOf('7')).toEqual([]);
  });
});
