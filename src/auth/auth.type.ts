/** GraphQL shapes of principals and API tokens. */
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeResolver } from '../graphql/scalars.js';
import { Role } from '../graphql/enums.js';
import { Node } from '../graphql/node.js';

@ObjectType('Principal', { description: 'The caller, as its token says.' })
export class PrincipalType {
  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => [String], {
    description: 'Registries the token names: a publisher writes only to these (all when empty); PRIVATE ones among them are readable.',
  })
  registries!: string[];

  @Field(() => String, { nullable: true, description: 'The team the token acts for; profiles it creates belong to it.' })
  team!: string | null;
}

@ObjectType('ApiToken', { description: 'An API token. Its secret is shown once, at creation, and never stored.', implements: Node })
export class ApiTokenType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => [String])
  registries!: string[];

  @Field(() => String, { nullable: true, description: 'The team the token acts for; profiles it creates belong to it (else to the token name).' })
  team!: string | null;

  @Field(() => String, { description: 'The first characters of the secret, to tell tokens apart.' })
  prefix!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A new token and its secret: the only time the secret is returned.' })
export class CreatedApiToken {
  @Field(() => String)
  token!: string;

  @Field(() => ApiTokenType)
  apiToken!: ApiTokenType;
}
