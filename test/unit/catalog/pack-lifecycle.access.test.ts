/** Who may set a version's lifecycle (src/catalog/pack-lifecycle.access.ts): every role against every registry kind. */
import { assertMaySetLifecycle } from '../../../src/catalog/pack-lifecycle.access.js';
import type { Principal } from '../../../src/auth/principal.js';

const token = (role: Principal['role'], registries: string[] = []): Principal => ({ name: `t-${role}`, role, registries, kind: 'token' });
const codeOf = (actor: Principal, kind: string, name = 'reg'): string => {
  try {
    assertMaySetLifecycle(actor, { name, kind: kind as never });
    return 'ALLOWED';
  } catch (error) {
    return (error as Error).constructor.name;
  }
};
const UPSTREAM = ['DEFAULT', 'OCI', 'HELM', 'DIRECTORY', 'CATALOG'];

describe('assertMaySetLifecycle', () => {
  it('lets the publishers of a HOSTED registry set it, and no one else', () => {
    expect(codeOf(token('PUBLISHER'), 'HOSTED')).toBe('ALLOWED');
    expect(codeOf(token('PUBLISHER', ['reg']), 'HOSTED')).toBe('ALLOWED');
    expect(codeOf(token('PUBLISHER', ['other']), 'HOSTED')).toBe('ForbiddenError');
    expect(codeOf(token('ADMIN'), 'HOSTED')).toBe('ALLOWED');
    expect(codeOf(token('VIEWER'), 'HOSTED')).toBe('ForbiddenError');
    expect(codeOf({ name: 'anonymous', role: null, registries: [], kind: 'anonymous' }, 'HOSTED')).toBe('UnauthenticatedError');
  });

  it('leaves upstream-fed registries to their source, with an ADMIN override only', () => {
    for (const kind of UPSTREAM) {
      expect([kind, codeOf(token('ADMIN'), kind)]).toEqual([kind, 'ALLOWED']);
      // Even a publisher whose token names the registry: it does not own what the upstream publishes.
      expect([kind, codeOf(token('PUBLISHER', ['reg']), kind)]).toEqual([kind, 'ForbiddenError']);
      expect([kind, codeOf(token('VIEWER'), kind)]).toEqual([kind, 'ForbiddenError']);
    }
  });

  it('says where the lifecycle comes from and who may override it', () => {
    expect(() => assertMaySetLifecycle(token('PUBLISHER'), { name: 'charts', kind: 'HELM' })).toThrow(
      'Registry "charts" is HELM: its versions\' lifecycle comes from its upstream (pack.json system_state, replacedBy, eol); only an ADMIN may override it. Publishers set it in HOSTED registries.',
    );
  });
});
