import { describe, expect, it } from '@jest/globals';
import { EMPTY_AUDIT_FILTER, auditFilterInput, auditFilterParams, parseAuditFilter, tokenInput, tokenState } from '../../../web/src/admin/admin-state.js';
import { duration, formatTime, interval, relativeTime, stateBadgeClass, syncs } from '../../../web/src/registries/registry-format.js';

describe('registry formatting', () => {
  it('gives each sync state its badge', () => {
    expect(stateBadgeClass('SUCCEEDED')).toBe('badge ok');
    expect(stateBadgeClass('PARTIAL')).toBe('badge warn');
    expect(stateBadgeClass('FAILED')).toBe('badge danger');
    expect(stateBadgeClass('RUNNING')).toBe('badge accent');
    expect(stateBadgeClass('NEVER')).toBe('badge');
  });

  it('offers a sync only for upstream kinds (the service refuses the others)', () => {
    expect(['OCI', 'HELM', 'DIRECTORY', 'CATALOG'].every((k) => syncs(k as never))).toBe(true);
    expect(syncs('DEFAULT')).toBe(false);
    expect(syncs('HOSTED')).toBe(false);
  });

  it('writes times at UTC, relative times, durations and intervals', () => {
    expect(formatTime('2026-11-26T17:04:59.123Z')).toBe('2026-11-26 17:04 UTC');
    expect(formatTime(null)).toBe('—');
    const now = Date.parse('2026-11-26T18:00:00Z');
    expect(relativeTime('2026-11-26T17:58:00Z', now)).toBe('2 min ago');
    expect(relativeTime('2026-11-26T15:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime('2026-11-26T18:00:30Z', now)).toBe('in 30 s');
    expect(duration('2026-11-26T17:00:00.000Z', '2026-11-26T17:00:00.850Z')).toBe('850 ms');
    expect(duration('2026-11-26T17:00:00Z', '2026-11-26T17:03:04Z')).toBe('3 min 4 s');
    expect(duration('2026-11-26T17:59:48Z', null, now)).toBe('12 s');
    expect(interval(21_600)).toBe('every 6 h');
    expect(interval(900)).toBe('every 15 min');
    expect(interval(0)).toBe('not scheduled');
  });
});

describe('audit filter in the URL', () => {
  it('reads the filter, dropping unknown outcomes and malformed times', () => {
    expect(parseAuditFilter(new URLSearchParams('actor=%20ops%20&action=revokeApiToken&target=abc&outcome=MAYBE&since=yesterday'))).toEqual({
      actor: 'ops',
      action: 'revokeApiToken',
      target: 'abc',
      outcome: '',
      since: '',
    });
    expect(parseAuditFilter(new URLSearchParams('outcome=FAILURE&since=2026-11-26T17:00')).since).toBe('2026-11-26T17:00');
  });

  it('writes only what is set, and the API input with `since` at UTC', () => {
    const state = { ...EMPTY_AUDIT_FILTER, action: 'createApiToken', since: '2026-11-26T17:00' };
    expect(auditFilterParams(state).toString()).toBe('action=createApiToken&since=2026-11-26T17%3A00');
    expect(auditFilterInput(state)).toEqual({ action: 'createApiToken', since: '2026-11-26T17:00:00.000Z' });
    expect(auditFilterInput(EMPTY_AUDIT_FILTER)).toEqual({});
    expect(parseAuditFilter(auditFilterParams(state))).toEqual(state);
  });
});

describe('token form', () => {
  const form = { name: ' ci-reader ', role: 'VIEWER' as const, registries: [], expires: '', team: '' };

  it('gives createApiToken its variables: trimmed name, no registries as null, expiry at the end of the day UTC', () => {
    expect(tokenInput(form, '2026-11-26')).toEqual({ input: { name: 'ci-reader', role: 'VIEWER', registries: null, expiresAt: null, team: null } });
    expect(tokenInput({ ...form, registries: ['a', 'b', 'a'], expires: '2026-12-31', team: ' platform ' }, '2026-11-26')).toEqual({
      input: { name: 'ci-reader', role: 'VIEWER', registries: ['a', 'b'], expiresAt: '2026-12-31T23:59:59.000Z', team: 'platform' },
    });
  });

  it('says what is wrong before asking the service', () => {
    expect(tokenInput({ ...form, name: '  ' }, '2026-11-26')).toMatchObject({ field: 'name' });
    expect(tokenInput({ ...form, expires: '2026-11-25' }, '2026-11-26')).toMatchObject({ field: 'expires', problem: 'The expiry is in the past.' });
  });

  it('tells revoked and expired tokens from active ones', () => {
    const now = Date.parse('2026-11-26T18:00:00Z');
    expect(tokenState({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-11-26T17:00:00Z' }, now)).toBe('expired');
    expect(tokenState({ revokedAt: '2026-11-26T17:00:00Z', expiresAt: '2026-11-26T17:00:00Z' }, now)).toBe('revoked');
  });
});
