/** `PackVersion.signatures`: through the request's signature loader, never a query per row. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { PackVersion } from './pack.graphql-types.js';
import { PackSignature } from './pack-signature.graphql-types.js';

@Resolver(() => PackVersion)
export class PackVersionSignaturesResolver {
  @FieldResolver(() => [PackSignature], {
    description: "Signatures of this version (cosign layout, docs/signatures.md), each checked against the registry's current trust policy.",
  })
  signatures(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<PackSignature[]> {
    return ctx.loaders.signatures.byVersion.load({
      id: v.id,
      registryId: v.row.registryId,
      pack: v.pack.name,
      version: v.version,
      digest: v.digest,
      size: Number(v.row.size),
    });
  }
}
