/** GraphQL shape of a pack version's signatures (docs/signatures.md). */
import { Field, ObjectType } from 'type-graphql';
import { DateTimeResolver } from '../graphql/scalars.js';

@ObjectType({ description: "A signature of a pack version (cosign layout, stored as an OCI referrer), checked against its registry's trust policy now." })
export class PackSignature {
  @Field(() => String, { nullable: true, description: 'The trusted key that made it; null when no trusted key verifies it.' })
  keyName!: string | null;

  @Field(() => String, { nullable: true, description: '`ECDSA_P256_SHA256` or `ED25519`, when verified.' })
  algorithm!: string | null;

  @Field(() => Boolean)
  verified!: boolean;

  @Field(() => String, { nullable: true, description: 'Why it is not verified: SIGNATURE_TAMPERED, SIGNATURE_MALFORMED, SIGNATURE_DIGEST_MISMATCH or SIGNATURE_UNKNOWN_KEY.' })
  failure!: string | null;

  @Field(() => DateTimeResolver, { description: 'When the signature was pushed here.' })
  signedAt!: Date;
}
