/** GraphQL enums of the API contract, registered once from the data model's enums. */
import { registerEnumType } from 'type-graphql';
import { AuditOutcome, Layer, ProfileType, RegistryKind, RegistryVisibility, Role, SyncState, TrustEnforcement } from '../generated/prisma/enums.js';

export const DependencyType = {
  REQUIRED: 'REQUIRED',
  OPTIONAL: 'OPTIONAL',
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  UPGRADE: 'UPGRADE',
} as const;
export type DependencyType = (typeof DependencyType)[keyof typeof DependencyType];

export const Severity = { ERROR: 'ERROR', WARNING: 'WARNING' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

registerEnumType(Layer, { name: 'Layer', description: 'The layer a pack forms in a cluster profile (pack.json `layer`).' });
registerEnumType(RegistryKind, { name: 'RegistryKind', description: 'Where a registry\'s packs come from.' });
registerEnumType(ProfileType, { name: 'ProfileType', description: 'Palette profile types: cluster, infra, add-on, system.' });
registerEnumType(DependencyType, { name: 'DependencyType' });
registerEnumType(SyncState, { name: 'SyncState' });
registerEnumType(Severity, { name: 'Severity' });
registerEnumType(Role, { name: 'Role', description: 'VIEWER reads; PUBLISHER also pushes and tags; ADMIN does everything.' });
registerEnumType(AuditOutcome, { name: 'AuditOutcome' });
registerEnumType(TrustEnforcement, {
  name: 'TrustEnforcement',
  description: 'A registry trust policy: NONE checks no signature; WARN accepts an unsigned version with a warning; REQUIRE refuses it.',
});
registerEnumType(RegistryVisibility, {
  name: 'RegistryVisibility',
  description: 'PUBLIC: every caller who may read the catalog sees the registry. PRIVATE: only ADMINs and tokens that name it.',
});

export { AuditOutcome, Layer, ProfileType, RegistryKind, RegistryVisibility, Role, SyncState, TrustEnforcement };
