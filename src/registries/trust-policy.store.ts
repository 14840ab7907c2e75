/** The RegistryTrustPolicy table: the only SQL on it. A registry without a row trusts nothing and requires nothing (NONE). */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { TrustEnforcement } from '../generated/prisma/enums.js';
import type { TrustPolicyKey, TrustPolicyRecord } from './trust-policy.model.js';
import type { RegistryChangeNotifier } from './registry.store.js';

/**
 * The `enforce` of the policy of the registry whose id is `registryId` (an SQL expression), as
 * text, NONE without a policy: lets a catalog read carry it in its own statement.
 */
export function registryEnforceSql(registryId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`coalesce((SELECT t.enforce::text FROM "RegistryTrustPolicy" t WHERE t."registryId" = ${registryId}), 'NONE')`;
}

export class TrustPolicyStore {
  private readonly listeners: Array<(registryId: string) => void | Promise<void>> = [];

  constructor(
    private readonly prisma: Db,
    /** A policy's `enforce` decides profile validation's UNSIGNED_PACK: a save is a catalog change (cached resolutions drop). */
    private readonly changes: RegistryChangeNotifier = { changed: () => undefined },
  ) {}

  /** Called (and awaited) after each save in this process: a cache drops the registry, stored verifications are redone. */
  onSave(listener: (registryId: string) => void | Promise<void>): void {
    this.listeners.push(listener);
  }

  async find(registryId: string): Promise<TrustPolicyRecord | null> {
    const row = await this.prisma.registryTrustPolicy.findUnique({ where: { registryId } });
    return row ? { registryId: row.registryId, enforce: row.enforce, keys: row.keys as unknown as TrustPolicyKey[], updatedBy: row.updatedBy, updatedAt: row.updatedAt } : null;
  }

  /** The policy of a registry, NONE with no keys when none was set. */
  async policyFor(registryId: string): Promise<TrustPolicyRecord> {
    return (await this.find(registryId)) ?? { registryId, enforce: 'NONE', keys: [], updatedBy: null, updatedAt: null };
  }

  /** The policies of many registries in one statement (NONE for those without a row). */
  async policiesFor(registryIds: readonly string[]): Promise<Map<string, TrustPolicyRecord>> {
    const rows = await this.prisma.registryTrustPolicy.findMany({ where: { registryId: { in: [...registryIds] } } });
    const found = new Map(rows.map((row) => [row.registryId, row]));
    return new Map(
      registryIds.map((id) => {
        const row = found.get(id);
        const record: TrustPolicyRecord = row
          ? { registryId: id, enforce: row.enforce, keys: row.keys as unknown as TrustPolicyKey[], updatedBy: row.updatedBy, updatedAt: row.updatedAt }
          : { registryId: id, enforce: 'NONE', keys: [], updatedBy: null, updatedAt: null };
        return [id, record];
      }),
    );
  }

  async save(registryId: string, enforce: TrustEnforcement, keys: TrustPolicyKey[], updatedBy: string): Promise<TrustPolicyRecord> {
    const data = { enforce, keys: keys as unknown as object[], updatedBy };
    const row = await this.prisma.registryTrustPolicy.upsert({ where: { registryId }, create: { registryId, ...data }, update: data });
    for (const listener of this.listeners) await listener(registryId);
    this.changes.changed();
    return { registryId: row.registryId, enforce: row.enforce, keys, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
  }
}
