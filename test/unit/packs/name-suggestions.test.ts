/** "Did you mean" suggestions for unknown pack names (src/packs/name-suggestions.ts). */
import { readdirSync } from 'node:fs';
import { didYouMean, suggestNames } from '../../../src/packs/name-suggestions.js';

// The default registry's pack names (folders are NAME-VERSION).
const DEFAULT_PACKS = readdirSync(new URL('../../../default-packs/', import.meta.url))
  .filter((f) => !f.startsWith('_') && !f.endsWith('.md'))
  .map((f) => f.replace(/-\d[\w.]*$/, ''));

describe('suggestNames', () => {
  it('offers the close name for a typo, nearest first', () => {
    expect(DEFAULT_PACKS).toContain('cert-manager');
    expect(suggestNames('cert-manger', DEFAULT_PACKS)).toEqual(['cert-manager']);
    expect(suggestNames('kubernets', DEFAULT_PACKS)).toEqual(['kubernetes']);
    expect(suggestNames('CNI-Calico', DEFAULT_PACKS)).toEqual(['cni-calico']);
  });

  it('offers a name containing what was typed (prometheus -> prometheus-operator)', () => {
    expect(suggestNames('prometheus', DEFAULT_PACKS)).toEqual(['prometheus-operator']);
  });

  it('offers nothing for a name far from every pack, for an empty name, or for the name itself', () => {
    expect(suggestNames('zzz-unrelated-thing', DEFAULT_PACKS)).toEqual([]);
    expect(suggestNames('  ', DEFAULT_PACKS)).toEqual([]);
    expect(suggestNames('ubuntu', ['ubuntu'])).toEqual([]);
  });

  it('keeps at most `max`, ties by name', () => {
    expect(suggestNames('pack-a', ['pack-b', 'pack-c', 'pack-d', 'pack-e'], 2)).toEqual(['pack-b', 'pack-c']);
  });
});

describe('didYouMean', () => {
  it('reads as a sentence for one, two or three names, and is empty for none', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['cert-manager'])).toBe(' (did you mean "cert-manager"?)');
    expect(didYouMean(['a', 'b', 'c'])).toBe(' (did you mean "a", "b" or "c"?)');
  });
});
