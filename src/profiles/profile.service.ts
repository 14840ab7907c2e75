/**
 * Cluster profiles: resolves layer references through the catalog, runs the pure validation
 * (rules/) and the upgrade planner (rules/upgrade-plan.ts), checks permissions and input
 * bounds, and stores profiles through ProfileRepository.
 *
 * Resolution costs a constant number of SQL statements whatever the number of layers: every pack
 * name in one loader batch, then the versions and the tags of every candidate pack in one batch
 * each, then the chosen versions' details (values, presets, schema, pack.json) in one batch.
 */
import { ConflictError, InvalidInputError, NotFoundError, type InputIssue } from '../errors.js';
import { assertCanChangeProfile, assertCanRead, assertRole, profileOwnerOf, type AccessPolicy, type Principal } from '../auth/principal.js';
import type { CatalogLoaders, VersionDetails } from '../catalog/catalog.loaders.js';
import type { PackRow, VersionRow } from '../catalog/catalog.model.js';
import type { PackQueryService } from '../catalog/pack.query.service.js';
import { manifestOf } from '../catalog/pack.store.columns.js';
import type { PackManifest, PackPreset, PackValueSchema } from '../packs/pack.types.js';
import { sortVersionsDescending } from '../packs/version.js';
import { validateProfileDraft } from './rules/index.js';
import { planProfileUpgrade, type ProfileUpgradePlan, type UpgradeLayer } from './rules/upgrade-plan.js';
import type {
  ProfileDraft,
  ProfileLayerDraft,
  ProfileValidationResult,
  ProfileVariableDraft,
  ResolvedLayer,
  ResolvedPackLayer,
  ValidationIssue,
} from './profile.model.js';
import { isUniqueViolation, type ProfileRepository, type ProfileWrite, type StoredProfile } from './profile.repository.js';

/** A profile as the API takes it: the draft plus a free-text description. */
export interface ProfileInputData extends ProfileDraft {
  description?: string | null;
}

/** A profile just saved, with the validation it passed (its warnings go back to the client). */
export interface SavedProfile {
  profile: StoredProfile;
  validation: ProfileValidationResult;
}

export interface ProfileUpgradeResult {
  from: StoredProfile;
  to: StoredProfile;
  plan: ProfileUpgradePlan;
}

/** Input bounds: they cap the work one request can ask for before anything is resolved. */
export const PROFILE_LIMITS = {
  maxLayers: 50,
  maxVariables: 100,
  maxValuesBytes: 1024 * 1024,
  maxNameLength: 100,
  maxReferenceLength: 100,
  maxDescriptionLength: 10_000,
  maxPresetsPerLayer: 50,
  maxOptionsPerVariable: 100,
  maxTextLength: 4096,
} as const;

export const DEFAULT_PROFILE_VERSION = '1.0.0';

const PROFILE_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** A layer reference to resolve: pack name, version reference, optional registry. */
export type LayerReference = Pick<ProfileLayerDraft, 'pack' | 'version' | 'registry'>;

function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

/** loadMany answers an Error per failed key; a failed batch is a failed request, not a missing pack. */
function settled<T>(results: Array<T | Error>): T[] {
  for (const r of results) if (r instanceof Error) throw r;
  return results as T[];
}

function resolvedPackLayer(pack: PackRow, row: VersionRow, details: VersionDetails): ResolvedPackLayer {
  return {
    status: 'OK',
    registry: pack.registry.name,
    version: row.version,
    digest: row.digest,
    manifest: manifestOf(pack, row, details),
    defaultValues: details.values,
    presets: Array.isArray(details.presets) ? (details.presets as PackPreset[]) : null,
    schema: details.schema && typeof details.schema === 'object' ? (details.schema as PackValueSchema) : null,
  };
}

/** The stored profile as a draft again (for re-validation and upgrade plans). */
export function draftOf(profile: StoredProfile): ProfileDraft {
  return {
    name: profile.name,
    version: profile.version,
    type: profile.type,
    cloudType: profile.cloudType,
    layers: profile.layers.map((l) => ({
      pack: l.packName,
      version: l.versionRef,
      registry: l.registryName,
      values: l.values,
      presets: l.presets.length > 0 ? l.presets : null,
    })),
    variables: profile.variables.map((v) => ({
      name: v.name,
      format: v.format,
      default: v.defaultValue,
      required: v.required,
      regex: v.regex,
      options: v.options,
      displayName: v.displayName,
      description: v.description,
      hidden: v.hidden,
      readonly: v.readonly,
    })),
  };
}

function writeOf(input: ProfileInputData, version: string): ProfileWrite {
  return {
    name: input.name,
    version,
    type: input.type,
    cloudType: input.cloudType.trim(),
    description: input.description ?? null,
    layers: input.layers.map((l) => ({
      packName: l.pack.trim(),
      versionRef: l.version.trim(),
      registryName: l.registry?.trim() || null,
      values: l.values ?? null,
      presets: l.presets ?? [],
    })),
    variables: (input.variables ?? []).map((v: ProfileVariableDraft) => ({
      name: v.name,
      displayName: v.displayName ?? null,
      description: v.description ?? null,
      format: (v.format ?? 'string').trim().toLowerCase() || 'string',
      defaultValue: v.default ?? null,
      required: v.required ?? false,
      regex: v.regex || null,
      options: v.options ?? [],
      hidden: v.hidden ?? false,
      readonly: v.readonly ?? false,
    })),
  };
}

/**
 * Issues as `extensions.issues` carries them: the shape every BAD_USER_INPUT issue list of the API
 * has (lower-case severity, as pack pushes report theirs), plus the layer index and pack.
 */
export function toInputIssues(issues: readonly ValidationIssue[]): InputIssue[] {
  return issues.map((i) => ({
    code: i.code,
    severity: i.severity === 'ERROR' ? 'error' : 'warning',
    message: i.message,
    ...(i.path !== undefined ? { path: i.path } : {}),
    ...(i.layerIndex !== undefined ? { layerIndex: i.layerIndex } : {}),
    ...(i.pack !== undefined ? { pack: i.pack } : {}),
  }));
}

/** Every bound the input breaks, each with its argument path; throws BAD_USER_INPUT when there is one. */
export function checkProfileInput(input: ProfileInputData, argument = 'input'): void {
  const L = PROFILE_LIMITS;
  const issues: InputIssue[] = [];
  const problem = (path: string, message: string) => issues.push({ code: 'INVALID_FIELD', path: `${argument}.${path}`, message });
  const text = (path: string, value: string | null | undefined, max: number, required = false) => {
    if (value === null || value === undefined) {
      if (required) problem(path, 'is required');
      return;
    }
    if (required && value.trim() === '') problem(path, 'must not be empty');
    else if (value.length > max) problem(path, `must be at most ${max} characters`);
  };

  if (input.name.length < 1 || input.name.length > L.maxNameLength || !PROFILE_NAME_PATTERN.test(input.name)) {
    problem(
      'name',
      `must be 1-${L.maxNameLength} letters, digits, ".", "_" or "-", starting and ending with a letter or digit`,
    );
  }
  text('version', input.version, L.maxReferenceLength);
  text('cloudType', input.cloudType, L.maxNameLength, true);
  text('description', input.description, L.maxDescriptionLength);

  if (input.layers.length > L.maxLayers) {
    problem('layers', `a profile holds at most ${L.maxLayers} layers, not ${input.layers.length}`);
  } else {
    input.layers.forEach((layer, i) => {
      const at = `layers[${i}]`;
      text(`${at}.pack`, layer.pack, L.maxNameLength, true);
      text(`${at}.version`, layer.version, L.maxReferenceLength, true);
      text(`${at}.registry`, layer.registry, L.maxNameLength);
      if (layer.values !== null && layer.values !== undefined && Buffer.byteLength(layer.values, 'utf8') > L.maxValuesBytes) {
        problem(`${at}.values`, `values are limited to ${L.maxValuesBytes} bytes (1 MiB)`);
      }
      const presets = layer.presets ?? [];
      if (presets.length > L.maxPresetsPerLayer) problem(`${at}.presets`, `at most ${L.maxPresetsPerLayer} presets per layer`);
      else presets.forEach((p, j) => text(`${at}.presets[${j}]`, p, L.maxNameLength * 2, true));
    });
  }

  const variables = input.variables ?? [];
  if (variables.length > L.maxVariables) {
    problem('variables', `a profile holds at most ${L.maxVariables} variables, not ${variables.length}`);
  } else {
    variables.forEach((v, i) => {
      const at = `variables[${i}]`;
      text(`${at}.name`, v.name, L.maxNameLength, true);
      text(`${at}.format`, v.format, L.maxNameLength);
      for (const key of ['default', 'regex', 'displayName', 'description'] as const) text(`${at}.${key}`, v[key], L.maxTextLength);
      const options = v.options ?? [];
      if (options.length > L.maxOptionsPerVariable) problem(`${at}.options`, `at most ${L.maxOptionsPerVariable} options`);
      else options.forEach((o, j) => text(`${at}.options[${j}]`, o, L.maxTextLength));
    });
  }

  if (issues.length > 0) {
    throw new InvalidInputError(`Invalid profile input: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, {
      field: issues[0].path,
      issues,
    });
  }
}

function refusal(input: ProfileInputData, version: string, result: ProfileValidationResult): InvalidInputError {
  const errors = result.issues.filter((i) => i.severity === 'ERROR');
  const first = errors[0];
  const where = first.layerIndex !== undefined ? ` (layer ${first.layerIndex})` : '';
  return new InvalidInputError(
    `Profile "${input.name}" ${version} was not saved: ${errors.length} error(s), first ${first.code}${where}: ${first.message}. ` +
      'extensions.issues lists every issue.',
    { issues: toInputIssues(result.issues) },
  );
}

export class ProfileService {
  constructor(
    private readonly repository: ProfileRepository,
    private readonly packQueries: PackQueryService,
    private readonly policy: AccessPolicy,
  ) {}

  /** Every issue of a draft against today's catalog. Saves nothing. */
  async validate(actor: Principal, loaders: CatalogLoaders, input: ProfileInputData): Promise<ProfileValidationResult> {
    assertCanRead(actor, this.policy);
    checkProfileInput(input);
    return this.validateDraft(loaders, input);
  }

  /** A stored profile validated against today's catalog (packs may have gone or changed since it was saved). */
  async validateStored(actor: Principal, loaders: CatalogLoaders, profile: StoredProfile): Promise<ProfileValidationResult> {
    assertCanRead(actor, this.policy);
    return this.validateDraft(loaders, draftOf(profile));
  }

  /** Every profile version (or those of one name): by name, then newest version first. */
  async list(actor: Principal, name?: string | null): Promise<StoredProfile[]> {
    assertCanRead(actor, this.policy);
    const rows = await this.repository.list(name);
    const byName = new Map<string, StoredProfile[]>();
    for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
    return [...byName.keys()].sort().flatMap((n) => sortVersionsDescending(byName.get(n)!, (p) => p.version));
  }

  /** One version, or the newest (semver order) when `version` is omitted; null when there is none. */
  async find(actor: Principal, name: string, version?: string | null): Promise<StoredProfile | null> {
    assertCanRead(actor, this.policy);
    if (version) return this.repository.find(name, version);
    const [newest] = sortVersionsDescending(await this.repository.versionsOf(name), (v) => v);
    return newest === undefined ? null : this.repository.find(name, newest);
  }

  /**
   * Validates, then stores; refuses on any ERROR with the full issue list. PUBLISHER. The profile
   * belongs to the caller's team (or token name): see `canChangeProfile` for who may change it.
   */
  async create(actor: Principal, loaders: CatalogLoaders, input: ProfileInputData): Promise<SavedProfile> {
    assertRole(actor, 'PUBLISHER');
    checkProfileInput(input);
    const version = input.version?.trim() || DEFAULT_PROFILE_VERSION;
    const validation = await this.validateDraft(loaders, { ...input, version });
    if (!validation.valid) throw refusal(input, version, validation);
    if (await this.repository.find(input.name, version)) throw this.conflict(input.name, version);
    try {
      return { profile: await this.repository.create(writeOf(input, version), actor.name, profileOwnerOf(actor)), validation };
    } catch (error) {
      if (isUniqueViolation(error)) throw this.conflict(input.name, version);
      throw error;
    }
  }

  /**
   * Replaces profile `name`@`version` with `input` (validated like a new one). The input may rename it
   * or give it another version; an omitted version keeps the current one. ADMIN, or a PUBLISHER of
   * the owning team; the owner stays.
   */
  async update(actor: Principal, loaders: CatalogLoaders, name: string, version: string, input: ProfileInputData): Promise<SavedProfile> {
    assertRole(actor, 'PUBLISHER');
    checkProfileInput(input);
    const existing = await this.repository.find(name, version);
    if (!existing) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    assertCanChangeProfile(actor, existing);
    const target = input.version?.trim() || version;
    const validation = await this.validateDraft(loaders, { ...input, version: target });
    if (!validation.valid) throw refusal(input, target, validation);
    if ((input.name !== name || target !== version) && (await this.repository.find(input.name, target))) {
      throw this.conflict(input.name, target);
    }
    try {
      return { profile: await this.repository.replace(existing.id, writeOf(input, target)), validation };
    } catch (error) {
      if (isUniqueViolation(error)) throw this.conflict(input.name, target);
      throw error;
    }
  }

  /** ADMIN, or a PUBLISHER of the owning team. NOT_FOUND when there is no such version. */
  async delete(actor: Principal, name: string, version: string): Promise<boolean> {
    assertRole(actor, 'PUBLISHER');
    const existing = await this.repository.find(name, version);
    if (!existing) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    assertCanChangeProfile(actor, existing);
    if (!(await this.repository.delete(existing.id))) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    return true;
  }

  /**
   * What changes from one version of a profile to another, and which version changes an `upgrade`
   * constraint of the target pack forbids. Both sides are resolved against today's catalog in one
   * batch. Null when either version doesn't exist.
   */
  async upgradePlan(
    actor: Principal,
    loaders: CatalogLoaders,
    name: string,
    fromVersion: string,
    toVersion: string,
  ): Promise<ProfileUpgradeResult | null> {
    assertCanRead(actor, this.policy);
    const [from, to] = await Promise.all([this.repository.find(name, fromVersion), this.repository.find(name, toVersion)]);
    if (!from || !to) return null;
    const fromDraft = draftOf(from);
    const toDraft = draftOf(to);
    const resolved = await this.resolveLayers(loaders, [...fromDraft.layers, ...toDraft.layers]);
    const issues: ValidationIssue[] = [];
    const side = (layers: ProfileLayerDraft[], offset: number, isTarget: boolean): UpgradeLayer[] =>
      layers.map((layer, i) => {
        const found = resolved[offset + i];
        if (found.status === 'OK') {
          return { pack: found.manifest.name, version: found.version, manifest: found.manifest, values: layer.values ?? found.defaultValues };
        }
        issues.push({
          code: found.status,
          severity: isTarget ? 'ERROR' : 'WARNING',
          ...(isTarget ? { layerIndex: i } : {}),
          pack: layer.pack,
          path: `${isTarget ? 'to' : 'from'}.layers[${i}]`,
          message:
            `${layer.pack}:${layer.version} of version ${isTarget ? toVersion : fromVersion} no longer resolves` +
            (isTarget ? '; the target profile cannot be deployed' : '; its upgrade constraints are compared with the reference as written'),
        });
        return { pack: layer.pack, version: layer.version, manifest: unresolvedManifest(layer), values: layer.values ?? null };
      });
    const plan = planProfileUpgrade({ layers: side(fromDraft.layers, 0, false) }, { layers: side(toDraft.layers, fromDraft.layers.length, true) });
    // A version change of a layer that keeps the pack's own values on both sides changes no values of
    // the author's: the packs' defaults differ from version to version by nature.
    const changes = plan.changes.map((c) =>
      c.kind === 'VERSION_CHANGED' && fromDraft.layers[c.fromIndex!].values == null && toDraft.layers[c.toIndex!].values == null
        ? { ...c, valuesChanged: false }
        : c,
    );
    const all = [...issues, ...plan.issues];
    return { from, to, plan: { changes, issues: all, allowed: !all.some((i) => i.severity === 'ERROR') } };
  }

  /**
   * Resolve each reference: in its registry when given, else in the pack's sources by registry
   * priority until one holds the version (exact, tag, parent tag or `latest`). `result[i]` belongs
   * to `references[i]`. Four loader batches whatever the number of references.
   */
  async resolveLayers(loaders: CatalogLoaders, references: readonly LayerReference[]): Promise<ResolvedLayer[]> {
    const names = unique(references.map((r) => r.pack.trim()));
    const sources = new Map<string, PackRow[]>();
    settled(await loaders.packRowsByName.loadMany(names)).forEach((rows, i) => sources.set(names[i], rows));
    const candidates = references.map((r) => {
      const rows = sources.get(r.pack.trim()) ?? [];
      const registry = r.registry?.trim();
      return registry ? rows.filter((row) => row.registry.name === registry) : rows;
    });

    // Prime both loaders for every candidate pack at once; resolveInPack then reads them from memory.
    const packIds = unique(candidates.flat().map((p) => p.id));
    const [versionLists] = await Promise.all([
      loaders.versionsByPackId.loadMany(packIds).then(settled),
      loaders.tagsByPackId.loadMany(packIds).then(settled),
    ]);
    const versionsOfPack = new Map(packIds.map((id, i) => [id, versionLists[i]]));

    const chosen = await Promise.all(
      references.map(async (r, i) => {
        for (const pack of candidates[i]) {
          const row = await this.packQueries.resolveInPack(loaders, pack, r.version.trim());
          if (row) return { pack, row };
        }
        return null;
      }),
    );
    const detailIds = unique(chosen.flatMap((c) => (c ? [c.row.id] : [])));
    const details = new Map<string, VersionDetails | null>();
    settled(await loaders.versionDetailsById.loadMany(detailIds)).forEach((d, i) => details.set(detailIds[i], d));

    return references.map((_, i): ResolvedLayer => {
      const found = chosen[i];
      const detail = found ? details.get(found.row.id) : null;
      if (found && detail) return resolvedPackLayer(found.pack, found.row, detail);
      if (candidates[i].length === 0) return { status: 'PACK_NOT_FOUND' };
      const live = candidates[i].flatMap((p) => (versionsOfPack.get(p.id) ?? []).filter((v) => v.removedAt === null).map((v) => v.version));
      return { status: 'VERSION_NOT_FOUND', availableVersions: unique(live) };
    });
  }

  private async validateDraft(loaders: CatalogLoaders, draft: ProfileDraft): Promise<ProfileValidationResult> {
    return validateProfileDraft(draft, await this.resolveLayers(loaders, draft.layers));
  }

  private conflict(name: string, version: string): ConflictError {
    return new ConflictError(`Profile "${name}" ${version} already exists: choose another version, or update it.`);
  }
}

/** A stand-in for a layer that no longer resolves: no constraints, so nothing is checked against it. */
function unresolvedManifest(layer: ProfileLayerDraft): PackManifest {
  return {
    name: layer.pack,
    displayName: layer.pack,
    version: layer.version,
    layer: 'addon',
    cloudTypes: [],
    charts: [],
    kubeManifests: [],
    ansibleRoles: [],
    annotations: {},
    constraints: { dependencies: [], resources: [] },
    raw: {},
  };
}
