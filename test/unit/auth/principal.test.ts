/** The pure access rules of issue 12: who reads which registry, and who changes whose profile. */
import {
  ANONYMOUS,
  assertCanChangeProfile,
  canChangeProfile,
  canReadRegistry,
  profileOwnerOf,
  readableRegistryWhere,
  type Principal,
} from '../../../src/auth/principal.js';
import type { RegistryVisibility } from '../../../src/generated/prisma/enums.js';

const token = (name: string, role: Principal['role'], registries: string[] = [], team?: string): Principal => ({
  name,
  role,
  registries,
  team: team ?? null,
  tokenId: `id-${name}`,
  kind: 'token',
});
const bootstrap: Principal = { name: 'admin', role: 'ADMIN', registries: [], kind: 'bootstrap' };

/** Evaluates a `readableRegistryWhere` filter on one registry, for the shapes it produces. */
function matches(where: ReturnType<typeof readableRegistryWhere>, registry: { name: string; visibility: RegistryVisibility }): boolean {
  const w = where as { visibility?: RegistryVisibility; name?: { in: string[] }; OR?: Array<typeof where> };
  if (w.OR) return w.OR.some((branch) => matches(branch, registry));
  if (w.visibility !== undefined && w.visibility !== registry.visibility) return false;
  if (w.name !== undefined && !w.name.in.includes(registry.name)) return false;
  return true;
}

describe('registry visibility', () => {
  const registries = [
    { name: 'a', visibility: 'PUBLIC' as const },
    { name: 'b', visibility: 'PRIVATE' as const },
    { name: 'c', visibility: 'PRIVATE' as const },
  ];
  const callers: Array<[string, Principal, string[]]> = [
    ['anonymous', ANONYMOUS, ['a']],
    ['bootstrap admin', bootstrap, ['a', 'b', 'c']],
    ['admin token naming nothing', token('root', 'ADMIN'), ['a', 'b', 'c']],
    ['viewer naming nothing', token('v', 'VIEWER'), ['a']],
    ['viewer naming b', token('v', 'VIEWER', ['b']), ['a', 'b']],
    ['publisher naming c and a', token('p', 'PUBLISHER', ['c', 'a']), ['a', 'b', 'c'].filter((n) => n !== 'b')],
    // An anonymous principal never names registries, whatever it carries.
    ['anonymous carrying names', { ...ANONYMOUS, registries: ['b'] }, ['a']],
  ];

  it.each(callers)('%s reads exactly the PUBLIC registries and the PRIVATE ones its token names', (_label, principal, readable) => {
    expect(registries.filter((r) => canReadRegistry(principal, r)).map((r) => r.name)).toEqual(readable);
  });

  it.each(callers)('the Prisma filter for %s selects what canReadRegistry allows', (_label, principal) => {
    const where = readableRegistryWhere(principal);
    for (const registry of registries) expect(matches(where, registry)).toBe(canReadRegistry(principal, registry));
  });
});

describe('profile ownership', () => {
  const owned = (owner: string | null) => ({ name: 'web', version: '1.0.0', owner });

  it('owns new profiles by the token team, else by the token name', () => {
    expect(profileOwnerOf(token('alice', 'PUBLISHER', [], 'payments'))).toBe('payments');
    expect(profileOwnerOf(token('alice', 'PUBLISHER'))).toBe('alice');
    expect(profileOwnerOf(bootstrap)).toBe('admin');
  });

  it.each([
    ['admin, any owner', true, bootstrap, 'payments'],
    ['admin, no owner', true, bootstrap, null],
    ['publisher of the owning team', true, token('bob', 'PUBLISHER', ['x'], 'payments'), 'payments'],
    ['publisher whose name owns it', true, token('carol', 'PUBLISHER'), 'carol'],
    ['publisher of another team', false, token('dave', 'PUBLISHER', [], 'search'), 'payments'],
    ['publisher, no owner', false, token('carol', 'PUBLISHER'), null],
    ['viewer of the owning team', false, token('erin', 'VIEWER', [], 'payments'), 'payments'],
    ['anonymous', false, ANONYMOUS, 'anonymous'],
  ] as const)('%s: may change = %s', (_label, allowed, principal, owner) => {
    expect(canChangeProfile(principal, owned(owner))).toBe(allowed);
  });

  it('names the owner and the rule when it refuses', () => {
    expect(() => assertCanChangeProfile(token('dave', 'PUBLISHER', [], 'search'), owned('payments'))).toThrow(
      /owner "payments".*team.*token "dave" \(team "search"\)/,
    );
    expect(() => assertCanChangeProfile(token('carol', 'PUBLISHER'), owned(null))).toThrow(/no owner \(only ADMINs may change it\)/);
    expect(() => assertCanChangeProfile(token('erin', 'VIEWER'), owned('erin'))).toThrow(/needs the PUBLISHER role/);
  });
});
