/** Thin resolvers for cluster profiles: map arguments, call ProfileService, return types. */
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import type { Layer } from '../graphql/enums.js';
import { toGlobalId } from '../graphql/node.js';
import type { ProfileValidationResult, ValidationIssue as IssueData } from './profile.model.js';
import type { StoredProfile } from './profile.repository.js';
import {
  ClusterProfile,
  ProfileInput,
  ProfileLayer,
  ProfileUpgradePlan,
  ProfileValidation,
  ProfileVariable,
  ResolvedLayer,
  ValidationIssue,
} from './profile.graphql-types.js';

function toIssue(issue: IssueData): ValidationIssue {
  return {
    code: issue.code,
    severity: issue.severity,
    layerIndex: issue.layerIndex ?? null,
    pack: issue.pack ?? null,
    path: issue.path ?? null,
    message: issue.message,
  };
}

export function toValidation(result: ProfileValidationResult): ProfileValidation {
  return {
    valid: result.valid,
    issues: result.issues.map(toIssue),
    errorCount: result.issues.filter((i) => i.severity === 'ERROR').length,
    warningCount: result.issues.filter((i) => i.severity === 'WARNING').length,
    resolvedLayers: result.resolvedLayers.map((r) => ({ ...r, layer: r.layer.toUpperCase() as Layer })),
    installOrder: result.installOrder,
    resources: { ...result.resources, diskGi: result.resources.diskGi ?? null },
  };
}

export function toProfile(stored: StoredProfile, validation?: ProfileValidationResult): ClusterProfile {
  const { layers: _layers, variables: _variables, ...fields } = stored;
  return { ...fields, stored, ...(validation ? { validated: Promise.resolve(validation) } : {}) };
}

/** One validation per profile object and request, shared by the fields that need it. */
function validationOf(profile: ClusterProfile, ctx: Context): Promise<ProfileValidationResult> {
  profile.validated ??= ctx.services.profiles.validateStored(ctx.principal, ctx.loaders.catalog, profile.stored);
  return profile.validated;
}

@Resolver(() => ClusterProfile)
export class ProfileResolver {
  @Query(() => [ClusterProfile], {
    description: 'Every profile version (or those of one name): by name, newest version first.',
    deprecationReason: 'Use profilesConnection (paged); removal on 2027-03-01.',
  })
  async profiles(@Arg('name', () => String, { nullable: true }) name: string | undefined, @Ctx() ctx: Context): Promise<ClusterProfile[]> {
    return (await ctx.services.profiles.list(ctx.principal, name)).map((p) => toProfile(p));
  }

  @Query(() => ClusterProfile, { nullable: true, description: 'One profile version; the newest (semver order) when `version` is omitted.' })
  async profile(
    @Arg('name', () => String) name: string,
    @Arg('version', () => String, { nullable: true }) version: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<ClusterProfile | null> {
    const found = await ctx.services.profiles.find(ctx.principal, name, version);
    return found ? toProfile(found) : null;
  }

  @Query(() => ProfileValidation, {
    description: 'Every issue of a draft against the catalog, with the resolved layers, install order and resources. Saves nothing.',
  })
  async validateProfile(@Arg('input', () => ProfileInput) input: ProfileInput, @Ctx() ctx: Context): Promise<ProfileValidation> {
    return toValidation(await ctx.services.profiles.validate(ctx.principal, ctx.loaders.catalog, input));
  }

  @Query(() => ProfileUpgradePlan, {
    nullable: true,
    description:
      'The layers that change between two versions of a profile, and changes an `upgrade` constraint forbids. ' +
      'Null when either version is missing.',
  })
  async profileUpgradePlan(
    @Arg('name', () => String) name: string,
    @Arg('fromVersion', () => String) fromVersion: string,
    @Arg('toVersion', () => String) toVersion: string,
    @Ctx() ctx: Context,
  ): Promise<ProfileUpgradePlan | null> {
    const result = await ctx.services.profiles.upgradePlan(ctx.principal, ctx.loaders.catalog, name, fromVersion, toVersion);
    if (!result) return null;
    const { plan } = result;
    return {
      from: toProfile(result.from),
      to: toProfile(result.to),
      changes: plan.changes.map((c) => ({
        kind: c.kind,
        pack: c.pack,
        fromIndex: c.fromIndex ?? null,
        toIndex: c.toIndex ?? null,
        fromVersion: c.fromVersion ?? null,
        toVersion: c.toVersion ?? null,
        direction: c.direction ?? null,
        valuesChanged: c.kind === 'VALUES_CHANGED' || (c.valuesChanged ?? false),
      })),
      issues: plan.issues.map(toIssue),
      allowed: plan.allowed,
    };
  }

  @Query(() => [ClusterProfile], {
    description:
      'The saved profile versions with a layer that resolves today to pack `name` at `version` (in `registry` when given; ' +
      'tags, parent tags and `latest` resolved as validation does): who a deprecation of that version hits. By name, newest version first.',
  })
  async packImpact(
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Arg('registry', () => String, { nullable: true }) registry: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<ClusterProfile[]> {
    return (await ctx.services.profiles.impact(ctx.principal, ctx.loaders.catalog, name, version, registry)).map((p) => toProfile(p));
  }

  @Mutation(() => ClusterProfile, {
    description:
      'Validate and store a profile (PUBLISHER). Refused on any ERROR: BAD_USER_INPUT with every issue in extensions.issues. ' +
      'Warnings come back in `warnings`. The same name, version and content again answers the stored version (idempotent); ' +
      'other content for a stored version is CONFLICT, extensions.reason PROFILE_VERSION_IMMUTABLE.',
  })
  async createProfile(@Arg('input', () => ProfileInput) input: ProfileInput, @Ctx() ctx: Context): Promise<ClusterProfile> {
    const saved = await ctx.services.profiles.create(ctx.principal, ctx.loaders.catalog, input);
    return toProfile(saved.profile, saved.validation);
  }

  @Mutation(() => ClusterProfile, {
    description:
      'Profile versions are immutable: answers the stored version when `input` is its content (idempotent apply; an omitted input ' +
      'version is the current one), else CONFLICT with extensions.reason PROFILE_VERSION_IMMUTABLE and the differing field ' +
      '(create a new version or cloneProfile). ADMIN, or a PUBLISHER of the profile\'s owner.',
  })
  async updateProfile(
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Arg('input', () => ProfileInput) input: ProfileInput,
    @Ctx() ctx: Context,
  ): Promise<ClusterProfile> {
    const saved = await ctx.services.profiles.update(ctx.principal, ctx.loaders.catalog, name, version, input);
    return toProfile(saved.profile, saved.validation);
  }

  @Mutation(() => ClusterProfile, {
    description:
      'Create `name`@`newVersion` with the content of `name`@`version`, validated like a new profile; the clone keeps the ' +
      'source\'s owner (ADMIN, or a PUBLISHER of that owner). An existing `newVersion` with the same content is answered as it is.',
  })
  async cloneProfile(
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Arg('newVersion', () => String) newVersion: string,
    @Ctx() ctx: Context,
  ): Promise<ClusterProfile> {
    const saved = await ctx.services.profiles.clone(ctx.principal, ctx.loaders.catalog, name, version, newVersion);
    return toProfile(saved.profile, saved.validation);
  }

  @Mutation(() => Boolean, { description: 'Delete one profile version (ADMIN, or a PUBLISHER of the profile\'s owner).' })
  deleteProfile(
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.profiles.delete(ctx.principal, name, version);
  }

  @FieldResolver(() => ID)
  id(@Root() profile: ClusterProfile): string {
    return toGlobalId('ClusterProfile', profile.id);
  }

  @FieldResolver(() => [ProfileLayer])
  layers(@Root() profile: ClusterProfile): ProfileLayer[] {
    return profile.stored.layers.map((l) => ({
      index: l.position,
      pack: l.packName,
      version: l.versionRef,
      registry: l.registryName,
      values: l.values,
      valuesOverride: l.valuesOverride ?? null,
      presets: l.presets.length > 0 ? l.presets : null,
      owner: profile,
    }));
  }

  @FieldResolver(() => [ProfileVariable])
  variables(@Root() profile: ClusterProfile): ProfileVariable[] {
    return profile.stored.variables.map(({ position: _position, defaultValue, ...v }) => ({ ...v, default: defaultValue }));
  }

  @FieldResolver(() => [ValidationIssue], {
    description: 'On createProfile/updateProfile: the warnings the saved profile passed with. Elsewhere: its warnings against today\'s catalog.',
  })
  async warnings(@Root() profile: ClusterProfile, @Ctx() ctx: Context): Promise<ValidationIssue[]> {
    return (await validationOf(profile, ctx)).issues.filter((i) => i.severity === 'WARNING').map(toIssue);
  }

  @FieldResolver(() => ProfileValidation, { description: "The stored profile validated against today's catalog." })
  async validation(@Root() profile: ClusterProfile, @Ctx() ctx: Context): Promise<ProfileValidation> {
    return toValidation(await validationOf(profile, ctx));
  }
}

@Resolver(() => ProfileLayer)
export class ProfileLayerResolver {
  @FieldResolver(() => ResolvedLayer, { nullable: true, description: "What the reference resolves to in today's catalog; null when it doesn't." })
  async resolved(@Root() layer: ProfileLayer, @Ctx() ctx: Context): Promise<ResolvedLayer | null> {
    const found = (await validationOf(layer.owner, ctx)).resolvedLayers.find((r) => r.layerIndex === layer.index);
    return found ? { ...found, layer: found.layer.toUpperCase() as Layer } : null;
  }
}
