import { planSync, type StoredVersion } from '../../../src/registries/sync/plan.js';
import type { UpstreamListing } from '../../../src/registries/adapters/adapter.js';

const stored = (name: string, version: string, marker: string | null, removed = false): StoredVersion => ({
  name,
  version,
  upstreamMarker: marker,
  removedAt: removed ? new Date() : null,
});

describe('planSync', () => {
  const listing: UpstreamListing = {
    items: [
      { name: 'a', version: '1.0.0', marker: 'm1' },
      { name: 'a', version: '1.1.0', marker: 'm2-new' },
      { name: 'b', version: '2.0.0', marker: 'm3' },
      { name: 'c', version: '0.1.0', marker: 'm4' },
    ],
  };
  const current = [
    stored('a', '1.0.0', 'm1'),
    stored('a', '1.1.0', 'm2-old'),
    stored('b', '2.0.0', 'm3', true),
    stored('d', '9.9.9', 'm9'),
    stored('e', '1.0.0', 'm10', true),
  ];

  it('fetches new, changed and come-back items, keeps equal markers, removes what vanished', () => {
    const plan = planSync(listing, current);
    expect(plan.fetch.map((i) => `${i.name}:${i.version}`)).toEqual(['a:1.1.0', 'b:2.0.0', 'c:0.1.0']);
    expect(plan.unchanged).toBe(1);
    // e is already removed: it is not removed twice.
    expect(plan.removed).toEqual([{ name: 'd', version: '9.9.9' }]);
  });

  it('fetches everything when forced', () => {
    const plan = planSync(listing, current, { force: true });
    expect(plan.fetch).toHaveLength(4);
    expect(plan.unchanged).toBe(0);
  });

  it('does nothing when the whole upstream is unchanged (unless forced)', () => {
    expect(planSync({ items: [], unchanged: true }, current)).toEqual({ fetch: [], unchanged: 3, removed: [] });
    expect(planSync({ items: [], unchanged: true }, current, { force: true }).removed).toHaveLength(3);
  });

  it('never removes what a listing problem names, and ignores a duplicate entry', () => {
    const plan = planSync(
      { items: [...listing.items, { name: 'c', version: '0.1.0', marker: 'other' }] },
      current,
      { keep: ['d\u00009.9.9'] },
    );
    expect(plan.removed).toEqual([]);
    expect(plan.fetch.filter((i) => i.name === 'c')).toHaveLength(1);
  });

  it('an empty but complete listing removes everything present', () => {
    expect(planSync({ items: [] }, current).removed.map((v) => v.name)).toEqual(['a', 'a', 'd']);
  });
});
