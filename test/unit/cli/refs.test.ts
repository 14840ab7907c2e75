import { UsageError } from '../../../src/cli/errors.js';
import { parseExpiry, parseLayers, parsePackRef, parseVersionedRef, suggestPublisherTag, versionQueryOf } from '../../../src/cli/refs.js';
import { isPublisherTag } from '../../../src/catalog/pack.publish.service.js';

const HEX = 'a'.repeat(64);

describe('parsePackRef', () => {
  it('reads NAME, NAME:VERSION, NAME:TAG and NAME@sha256:DIGEST', () => {
    expect(parsePackRef('crossplane')).toEqual({ name: 'crossplane' });
    expect(parsePackRef('crossplane:2.1.3')).toEqual({ name: 'crossplane', version: '2.1.3' });
    expect(parsePackRef('kubernetes:lts__1.29.4')).toEqual({ name: 'kubernetes', version: 'lts__1.29.4' });
    expect(parsePackRef('kubernetes:1.31.x')).toEqual({ name: 'kubernetes', version: '1.31.x' });
    expect(parsePackRef(`crossplane@sha256:${HEX.toUpperCase()}`)).toEqual({ name: 'crossplane', digest: `sha256:${HEX}` });
  });

  it('maps a reference to what packVersion(version:) takes, latest by default', () => {
    expect(versionQueryOf(parsePackRef('crossplane'))).toBe('latest');
    expect(versionQueryOf(parsePackRef('crossplane:1.x'))).toBe('1.x');
    expect(versionQueryOf(parsePackRef(`crossplane@sha256:${HEX}`))).toBe(`sha256:${HEX}`);
  });

  it('refuses malformed references as usage errors (exit 2)', () => {
    for (const bad of ['', ':1.0', 'x:', 'x:1:2', 'x@sha256:abc', `x@md5:${HEX}`, 'x y', '@sha256:' + HEX, 'x:1.0/evil']) {
      let caught: unknown;
      try {
        parsePackRef(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UsageError);
      expect((caught as UsageError).exitCode).toBe(2);
    }
  });

  it('requires a version where one must be named', () => {
    expect(parseVersionedRef('crossplane:2.1.3')).toEqual({ name: 'crossplane', version: '2.1.3' });
    expect(() => parseVersionedRef('crossplane')).toThrow('must be NAME:VERSION');
    expect(() => parseVersionedRef(`crossplane@sha256:${HEX}`, 'NAME:TAG')).toThrow('must be NAME:TAG');
  });
});

describe('parseLayers', () => {
  it('takes any case, commas and repeats, without duplicates', () => {
    expect(parseLayers(['addon'])).toEqual(['ADDON']);
    expect(parseLayers(['os,K8S', 'os', 'add-on'])).toEqual(['OS', 'K8S', 'ADDON']);
    expect(() => parseLayers(['storage'])).toThrow('Unknown layer "storage"');
  });
});

describe('parseExpiry', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads durations and dates', () => {
    expect(parseExpiry('30d', now).toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(parseExpiry('12h', now).toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(parseExpiry('90m', now).toISOString()).toBe('2026-01-01T01:30:00.000Z');
    expect(parseExpiry('2w', now).toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(parseExpiry('2026-03-01', now).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseExpiry('2026-03-01T10:00:00Z', now).toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('refuses nonsense, zero and the past', () => {
    expect(() => parseExpiry('soon', now)).toThrow(UsageError);
    expect(() => parseExpiry('0d', now)).toThrow('must be positive');
    expect(() => parseExpiry('2025-12-31', now)).toThrow('in the past');
  });
});

describe('suggestPublisherTag', () => {
  it('proposes a group__label close to what was typed, which the server accepts', () => {
    const cases: Array<[string, string, string]> = [
      ['stable', '2.1.3', 'stable__2.1.3'],
      ['Stable Release', '2.1.3', 'stable-release__2.1.3'],
      ['LTS__1.29', '1.29.4', 'lts__1.29'],
      ['__x', '1.0.0', 'stable__x'],
      ['prod_', '1.0.0', 'prod__1.0.0'],
      ['rc 1!', '3.0.0-rc.1', 'rc-1__3.0.0-rc.1'],
    ];
    for (const [typed, version, expected] of cases) {
      expect({ typed, suggestion: suggestPublisherTag(typed, version) }).toEqual({ typed, suggestion: expected });
      expect(isPublisherTag(expected)).toBe(true);
    }
  });
});
