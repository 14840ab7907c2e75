/**
 * Registries' trust policies: named public keys (PEM, ECDSA P-256 or Ed25519) and how strictly a
 * pack version needs a valid signature from one of them (NONE, WARN, REQUIRE). ADMIN sets them (the
 * audit plugin records who, as for every mutation); readers of a registry may see its policy; the
 * signature gate reads them without a caller.
 */
import type { TrustEnforcement } from '../generated/prisma/enums.js';
import { assertCanRead, assertRole, type AccessPolicy, type Principal } from '../auth/principal.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { parsePublicKey } from '../packs/pack.signature.js';
import type { RegistryService } from './registry.service.js';
import type { TrustPolicyStore } from './trust-policy.store.js';
import type { TrustPolicyKey, TrustPolicyRecord } from './trust-policy.model.js';

/** Bounds of what a policy holds: each key is parsed on every verification. */
export const MAX_TRUSTED_KEYS = 20;
const MAX_PEM_LENGTH = 4096;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface TrustPolicyInput {
  enforce: TrustEnforcement;
  keys: Array<{ name: string; publicKeyPem: string }>;
}

export class TrustPolicyService {
  constructor(
    private readonly store: TrustPolicyStore,
    private readonly registries: Pick<RegistryService, 'find'>,
    private readonly policy: AccessPolicy,
  ) {}

  /** The policy of a registry the caller may read (NONE with no keys when none was set). */
  async get(actor: Principal, registryName: string): Promise<TrustPolicyRecord> {
    assertCanRead(actor, this.policy);
    const registry = await this.registries.find(actor, registryName);
    if (!registry) throw new NotFoundError(`Registry "${registryName}" does not exist.`);
    return this.store.policyFor(registry.id);
  }

  /** Replaces a registry's policy (ADMIN). Every key is checked; all problems are reported at once. */
  async set(actor: Principal, registryName: string, input: TrustPolicyInput): Promise<TrustPolicyRecord> {
    assertRole(actor, 'ADMIN');
    const registry = await this.registries.find(actor, registryName);
    if (!registry) throw new NotFoundError(`Registry "${registryName}" does not exist.`);
    const keys = checkKeys(input);
    return this.store.save(registry.id, input.enforce, keys, actor.name);
  }
}

function checkKeys(input: TrustPolicyInput): TrustPolicyKey[] {
  const issues: Array<{ code: string; path: string; message: string }> = [];
  if (input.keys.length > MAX_TRUSTED_KEYS) issues.push({ code: 'TOO_MANY_KEYS', path: 'input.keys', message: `At most ${MAX_TRUSTED_KEYS} keys.` });
  if (input.enforce !== 'NONE' && input.keys.length === 0) {
    issues.push({ code: 'NO_TRUSTED_KEY', path: 'input.keys', message: `${input.enforce} needs at least one trusted key.` });
  }
  const seen = new Set<string>();
  const keys: TrustPolicyKey[] = [];
  input.keys.slice(0, MAX_TRUSTED_KEYS).forEach((key, i) => {
    const path = `input.keys[${i}]`;
    if (!KEY_NAME.test(key.name)) issues.push({ code: 'INVALID_KEY_NAME', path: `${path}.name`, message: 'A key name is 1-64 letters, digits, ".", "_" or "-".' });
    else if (seen.has(key.name)) issues.push({ code: 'DUPLICATE_KEY_NAME', path: `${path}.name`, message: `Key name "${key.name}" is used twice.` });
    seen.add(key.name);
    const parsed = key.publicKeyPem.length <= MAX_PEM_LENGTH ? parsePublicKey(key.publicKeyPem) : null;
    if (!parsed) {
      issues.push({ code: 'INVALID_PUBLIC_KEY', path: `${path}.publicKeyPem`, message: 'Not a PEM public key of ECDSA P-256 or Ed25519.' });
      return;
    }
    keys.push({ name: key.name, algorithm: parsed.algorithm, publicKeyPem: parsed.key.export({ type: 'spki', format: 'pem' }).toString() });
  });
  if (issues.length > 0) {
    throw new InvalidInputError(`The trust policy was refused: ${issues.map((i) => i.message).join(' ')}`, { field: issues[0]!.path, issues });
  }
  return keys;
}
