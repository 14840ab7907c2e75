/** rules/lifecycle.ts: which eol texts are dates, and the day the rule compares them with. */
import { checkLifecycle, eolDayOf } from '../../../../src/profiles/rules/lifecycle.js';
import type { LayerContext } from '../../../../src/profiles/rules/layer-context.js';
import type { ValidationIssue } from '../../../../src/profiles/profile.model.js';

/** Only what the rule reads of a layer: its index, name and resolved pack's manifest, version and registry. */
function layer(eol: string | undefined, annotations: Record<string, string> = {}): LayerContext {
  return {
    index: 0,
    name: 'kubernetes',
    pack: { version: '1.29.10', registry: 'default', manifest: { eol, annotations } },
  } as unknown as LayerContext;
}

function run(l: LayerContext, now: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkLifecycle([l], (i) => issues.push(i), new Date(now));
  return issues;
}

describe('pack lifecycle rule', () => {
  it('reads YYYY-MM-DD eol dates and ignores blanks and non-dates (pack-central writes "" and " ")', () => {
    expect(eolDayOf('2025-02-28')?.toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(eolDayOf(' 2025-02-28 ')?.toISOString()).toBe('2025-02-28T00:00:00.000Z');
    for (const text of [undefined, '', ' ', 'soon', '2025-02-30', '28/02/2025']) expect(eolDayOf(text)).toBeNull();
  });

  it('warns from the day after eol on, not before', () => {
    expect(run(layer('2025-02-28'), '2025-02-27T23:59:59Z')).toEqual([]);
    expect(run(layer('2025-02-28'), '2025-02-28T00:00:01Z').map((i) => i.code)).toEqual(['PACK_VERSION_PAST_EOL']);
  });

  it('errors on disabled, warns on deprecated, and names replaced_by', () => {
    expect(run(layer(undefined, { system_state: 'disabled' }), '2026-01-01T00:00:00Z')).toEqual([
      expect.objectContaining({ code: 'PACK_VERSION_DISABLED', severity: 'ERROR', path: 'layers[0].version' }),
    ]);
    const [deprecated] = run(layer(undefined, { system_state: 'deprecated', replaced_by: 'kubernetes:1.31.2' }), '2026-01-01T00:00:00Z');
    expect(deprecated).toMatchObject({ code: 'PACK_VERSION_DEPRECATED', severity: 'WARNING' });
    expect(deprecated.message).toContain('use kubernetes:1.31.2 instead');
    expect(run(layer(undefined, { system_state: 'deleted' }), '2026-01-01T00:00:00Z')).toEqual([]);
  });
});
