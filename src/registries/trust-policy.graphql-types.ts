/** GraphQL shapes of registry trust policies (signature verification, docs/signatures.md). */
import { Field, InputType, ObjectType } from 'type-graphql';
import { DateTimeResolver } from '../graphql/scalars.js';
import { TrustEnforcement } from '../graphql/enums.js';

@ObjectType({ description: 'A public key a registry trusts to sign its packs.' })
export class TrustedKey {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: '`ECDSA_P256_SHA256` or `ED25519`.' })
  algorithm!: string;

  @Field(() => String, { description: 'The public key, PEM (SPKI).' })
  publicKeyPem!: string;
}

@ObjectType({ description: 'Which keys a registry trusts, and whether a pack version needs their signature.' })
export class TrustPolicy {
  @Field(() => TrustEnforcement)
  enforce!: TrustEnforcement;

  @Field(() => [TrustedKey])
  keys!: TrustedKey[];

  @Field(() => String, { nullable: true })
  updatedBy!: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  updatedAt!: Date | null;
}

@InputType()
export class TrustedKeyInput {
  @Field(() => String, { description: 'A name for the key: 1-64 letters, digits, ".", "_" or "-", unique in the policy.' })
  name!: string;

  @Field(() => String, { description: 'A PEM public key: ECDSA P-256 or Ed25519 (what `packctl key generate` and `cosign generate-key-pair` write).' })
  publicKeyPem!: string;
}

@InputType()
export class TrustPolicyInput {
  @Field(() => TrustEnforcement)
  enforce!: TrustEnforcement;

  @Field(() => [TrustedKeyInput], { description: 'At most 20; WARN and REQUIRE need at least one.' })
  keys!: TrustedKeyInput[];
}
