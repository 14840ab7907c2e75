/** valuesOverride merge rules (rules/values-merge.ts): maps merge, lists and scalars replace, null deletes. */
import { mergeValues, touchedByOverride, valueSourcesOf } from '../../../../src/profiles/rules/values-merge.js';
import { deepFreeze } from '../../../../src/profiles/rules/pack-facts.js';

describe('mergeValues', () => {
  const defaults = deepFreeze({
    pack: { namespace: 'monitoring', 'spectrocloud.com/install-priority': '30' },
    charts: { app: { replicas: 1, image: { tag: '1.0' }, args: ['--a', '--b'], extra: { keep: true } } },
    flag: false,
  });

  it('merges maps key by key and keeps every key the override does not name', () => {
    const { value } = mergeValues(defaults, { charts: { app: { replicas: 3 } } });
    expect(value).toEqual({
      pack: { namespace: 'monitoring', 'spectrocloud.com/install-priority': '30' },
      charts: { app: { replicas: 3, image: { tag: '1.0' }, args: ['--a', '--b'], extra: { keep: true } } },
      flag: false,
    });
  });

  it('replaces lists and scalars whole (a list is not merged item by item)', () => {
    const { value } = mergeValues(defaults, { charts: { app: { args: ['--c'], image: 'flat' } }, flag: true });
    expect((value.charts as { app: unknown }).app).toEqual({ replicas: 1, image: 'flat', args: ['--c'], extra: { keep: true } });
    expect(value.flag).toBe(true);
  });

  it('deletes a key given null, at any depth; a null for a key the defaults lack changes nothing', () => {
    const { value, overridden } = mergeValues(defaults, { charts: { app: { extra: null, absent: null } }, flag: null });
    expect(value).toEqual({
      pack: { namespace: 'monitoring', 'spectrocloud.com/install-priority': '30' },
      charts: { app: { replicas: 1, image: { tag: '1.0' }, args: ['--a', '--b'] } },
    });
    expect(overridden).toEqual(['charts.app.extra', 'charts.app.absent', 'flag']);
  });

  it('adds new keys, and a map replacing a scalar is taken whole (its nulls dropped)', () => {
    const { value, overridden } = mergeValues(defaults, { extra: { a: 1, b: null }, flag: { on: true } });
    expect(value.extra).toEqual({ a: 1 });
    expect(value.flag).toEqual({ on: true });
    expect(overridden).toEqual(['extra', 'flag']);
  });

  it('never changes the (frozen) defaults, and an empty override is the defaults', () => {
    const before = JSON.stringify(defaults);
    mergeValues(defaults, { charts: { app: { replicas: 9, extra: null } } });
    expect(JSON.stringify(defaults)).toBe(before);
    expect(mergeValues(defaults, {}).value).toEqual(defaults);
    expect(mergeValues(defaults, {}).overridden).toEqual([]);
  });

  it('names where each top-level value came from, and each path written under a merged map', () => {
    const merged = mergeValues(defaults, { charts: { app: { replicas: 3, args: ['--c'] } }, flag: true, added: 'x' });
    expect(valueSourcesOf(merged)).toEqual([
      { path: 'pack', source: 'PACK_DEFAULT' },
      { path: 'charts', source: 'MERGED' },
      { path: 'charts.app.replicas', source: 'OVERRIDE' },
      { path: 'charts.app.args', source: 'OVERRIDE' },
      { path: 'flag', source: 'OVERRIDE' },
      { path: 'added', source: 'OVERRIDE' },
    ]);
  });

  it('touchedByOverride: a path at, under or above a written path', () => {
    const written = ['charts.app.replicas'];
    expect(touchedByOverride('charts.app.replicas', written)).toBe(true);
    expect(touchedByOverride('charts.app.replicas.x', written)).toBe(true);
    expect(touchedByOverride('charts.app', written)).toBe(true);
    expect(touchedByOverride('charts.app.image.tag', written)).toBe(false);
    expect(touchedByOverride('charts.application', written)).toBe(false);
  });
});
