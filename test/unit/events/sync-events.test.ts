/** SYNC_FAILED / SYNC_RECOVERED only when a run differs from the one before it. */
import { syncTransitionEvent, type RunOutcome } from '../../../src/registries/sync/sync-events.js';

const run = (state: RunOutcome['state'], items: string[] = [], id = 'r'): RunOutcome => ({ id, state, message: null, items });

describe('sync transition events', () => {
  it('says SYNC_FAILED on the first failure, not again for the same one', () => {
    expect(syncTransitionEvent('reg', null, run('FAILED'))?.type).toBe('SYNC_FAILED');
    expect(syncTransitionEvent('reg', run('SUCCEEDED'), run('FAILED'))?.type).toBe('SYNC_FAILED');
    expect(syncTransitionEvent('reg', run('FAILED'), run('FAILED'))).toBeNull();
    expect(syncTransitionEvent('reg', run('PARTIAL', ['a', 'b']), run('PARTIAL', ['b', 'a']))).toBeNull();
  });

  it('says it again when the state or the set of failed items changes', () => {
    expect(syncTransitionEvent('reg', run('PARTIAL', ['a']), run('PARTIAL', ['a', 'b']))?.data).toMatchObject({ failedItems: 2, items: ['a', 'b'] });
    expect(syncTransitionEvent('reg', run('PARTIAL', ['a']), run('FAILED'))?.type).toBe('SYNC_FAILED');
  });

  it('says SYNC_RECOVERED on the first clean run after failures, and nothing between clean runs', () => {
    expect(syncTransitionEvent('reg', run('FAILED', [], 'old'), run('SUCCEEDED', [], 'new'))).toEqual({
      type: 'SYNC_RECOVERED',
      registryId: 'reg',
      data: { runId: 'new', previousState: 'FAILED', previousRunId: 'old' },
    });
    expect(syncTransitionEvent('reg', run('SUCCEEDED'), run('SUCCEEDED'))).toBeNull();
    expect(syncTransitionEvent('reg', null, run('SUCCEEDED'))).toBeNull();
    // A PARTIAL run without item errors is not a failure.
    expect(syncTransitionEvent('reg', run('SUCCEEDED'), run('PARTIAL'))).toBeNull();
  });
});
