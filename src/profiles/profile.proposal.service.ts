/**
 * proposeProfile and the upgrade steps (issue 16, section 2): the shell around the pure solver.
 * It reads the catalog in bulk (profile.solver-catalog.ts), solves, and runs the real validation
 * on the answer: a version validation refuses for a reason the solver does not model (its own
 * values break its schema, a macro names a missing pack) is ruled out with that reason and the
 * solver runs again (solver/validated.ts), so a proposal never carries an ERROR.
 */
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';
import type { CatalogLoaders } from '../catalog/catalog.loaders.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { PackLayer } from '../packs/pack.types.js';
import { draftOf } from './profile.mapping.js';
import type { ProfileDraft, ProfileValidationResult } from './profile.model.js';
import { checkProposeInput, PROPOSAL_LIMITS, type ProposeInputData } from './profile.proposal.input.js';
import type { ProfileService } from './profile.service.js';
import { loadSolverCatalog, type SolverCatalogSource } from './profile.solver-catalog.js';
import { normaliseKubernetesVersion, type BaseLayer, type Explanation, type SolveRequest, type SolvedLayer, type SolverCatalog } from './solver/index.js';
import { solveValidated } from './solver/validated.js';

export type Proposal =
  | { profile: ProfileDraft; layers: SolvedLayer[]; validation: ProfileValidationResult; explanation: null }
  | { profile: null; layers: null; validation: null; explanation: Explanation };

export interface UpgradeStep {
  /** The Kubernetes minor of this step (`1.31`). */
  kubernetes: string;
  /** Layers whose version changes at this step: they move together. */
  moves: Array<{ pack: string; fromVersion: string; toVersion: string }>;
  proposal: Proposal;
}

export interface UpgradeSteps {
  fromKubernetes: string;
  toKubernetes: string;
  steps: UpgradeStep[];
  /** Every step has a profile. */
  complete: boolean;
}

const DEFAULT_NAME = 'proposal';

export class ProfileProposalService {
  constructor(
    private readonly profiles: ProfileService,
    private readonly source: Pick<SolverCatalogSource, 'packQueries' | 'chartKubeVersions'>,
    private readonly policy: AccessPolicy,
  ) {}

  async propose(actor: Principal, loaders: CatalogLoaders, input: ProposeInputData): Promise<Proposal> {
    assertCanRead(actor, this.policy);
    checkProposeInput(input);
    const base = input.policy === 'CLOSEST' && input.from ? await this.baseOf(actor, loaders, input.from.name, input.from.version, 'input.from') : null;
    const request: SolveRequest = {
      type: input.type === 'ADDON' ? 'ADDON' : 'CLUSTER',
      cloudType: input.cloudType.trim(),
      kubernetes: input.kubernetes?.trim() || null,
      fixed: (input.layers ?? []).map((l) => ({ pack: l.pack.trim(), version: l.version?.trim() || null, registry: l.registry?.trim() || null })),
      slots: (input.slots ?? []).map((s) => ({ layer: s.layer.toLowerCase() as PackLayer, prefer: s.prefer ?? [] })),
      policy: base ? { kind: 'CLOSEST', base: base.layers, baseName: `${input.from!.name}@${input.from!.version}` } : { kind: 'NEWEST' },
    };
    const catalog = await this.catalogFor(actor, loaders, request);
    return this.solveAndValidate(actor, loaders, request, catalog, { name: input.name?.trim() || DEFAULT_NAME, version: input.version?.trim() || null });
  }

  /**
   * An upgrade of `name`@`version` to Kubernetes `toKubernetes`, one minor at a time (the version
   * skew policy: a control plane moves one minor per upgrade): each step keeps the profile's packs,
   * moves Kubernetes to the next minor and every other layer as little as it can (CLOSEST to the
   * step before); a step that has no profile ends the plan with its explanation.
   */
  async upgradeSteps(actor: Principal, loaders: CatalogLoaders, name: string, version: string, toKubernetes: string): Promise<UpgradeSteps> {
    assertCanRead(actor, this.policy);
    const target = normaliseKubernetesVersion(toKubernetes.trim());
    if (target === null || toKubernetes.length > 100) {
      throw new InvalidInputError('toKubernetes must be a Kubernetes version or minor (1.33, 1.33.x, 1.33.2).', { field: 'toKubernetes' });
    }
    const stored = await this.profiles.find(actor, name, version);
    if (!stored) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    const base = await this.baseOf(actor, loaders, name, version, 'name');
    const k8s = base.layers.find((l) => l.layer === 'k8s');
    const current = k8s ? normaliseKubernetesVersion(k8s.version) : null;
    if (!k8s || current === null) throw new InvalidInputError(`Profile "${name}" ${version} has no Kubernetes layer the catalog resolves.`, { field: 'name' });
    const [major, fromMinor] = current.split('.').map(Number);
    const [targetMajor, toMinor] = target.split('.').map(Number);
    if (targetMajor !== major || toMinor <= fromMinor) {
      throw new InvalidInputError(`toKubernetes must be a later minor of Kubernetes ${major}.x than the profile's ${current}.`, { field: 'toKubernetes' });
    }
    if (toMinor - fromMinor > PROPOSAL_LIMITS.maxUpgradeSteps) {
      throw new InvalidInputError(`An upgrade plan climbs at most ${PROPOSAL_LIMITS.maxUpgradeSteps} minors at a time.`, { field: 'toKubernetes' });
    }
    const type = stored.type === 'ADDON' ? 'ADDON' : 'CLUSTER';
    let layers = base.layers;
    let catalog: SolverCatalog | null = null;
    const steps: UpgradeStep[] = [];
    for (let minor = fromMinor + 1; minor <= toMinor; minor++) {
      const request: SolveRequest = {
        type,
        cloudType: stored.cloudType,
        kubernetes: `${major}.${minor}.x`,
        fixed: layers.map((l) => ({ pack: l.pack })),
        slots: [],
        policy: { kind: 'CLOSEST', base: layers, baseName: `${name}@${version}` },
      };
      catalog ??= await this.catalogFor(actor, loaders, request);
      const proposal = await this.solveAndValidate(actor, loaders, request, catalog, { name, version: null });
      const moves = proposal.layers
        ? proposal.layers.flatMap((l) => {
            const before = layers.find((b) => b.pack === l.pack);
            return before && before.version !== l.version ? [{ pack: l.pack, fromVersion: before.version, toVersion: l.version }] : [];
          })
        : [];
      steps.push({ kubernetes: `${major}.${minor}`, moves, proposal });
      if (!proposal.layers) break;
      layers = proposal.layers.map((l) => ({ pack: l.pack, version: l.version, layer: l.layer }));
    }
    return { fromKubernetes: current, toKubernetes: `${targetMajor}.${toMinor}`, steps, complete: steps.every((s) => s.proposal.profile !== null) && steps.length === toMinor - fromMinor };
  }

  /** A saved profile's layers as the catalog resolves them today (CLOSEST stays near them). */
  private async baseOf(actor: Principal, loaders: CatalogLoaders, name: string, version: string, field: string): Promise<{ layers: BaseLayer[] }> {
    const stored = await this.profiles.find(actor, name, version);
    if (!stored) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`, { field });
    const draft = draftOf(stored);
    const resolved = await this.profiles.resolveLayers(loaders, draft.layers, actor);
    return {
      layers: resolved.flatMap((r) => (r.status === 'OK' ? [{ pack: r.manifest.name, version: r.version, layer: r.manifest.layer }] : [])),
    };
  }

  private catalogFor(actor: Principal, loaders: CatalogLoaders, request: SolveRequest): Promise<SolverCatalog> {
    const packs = [...request.fixed.map((f) => f.pack), ...request.slots.flatMap((s) => s.prefer ?? [])];
    if (request.policy.kind === 'CLOSEST') packs.push(...request.policy.base.map((b) => b.pack));
    const open = new Set<PackLayer>(request.slots.map((s) => s.layer));
    // A CLUSTER proposal opens a slot for every core layer the fixed packs may leave open: read them all.
    if (request.type === 'CLUSTER') for (const layer of ['os', 'k8s', 'cni', 'csi'] as const) open.add(layer);
    return loadSolverCatalog(
      { ...this.source, resolve: (l, refs, a) => this.profiles.resolveLayers(l, refs, a) },
      actor,
      loaders,
      [...new Set(packs)].sort(),
      [...open].sort(),
    );
  }

  private async solveAndValidate(
    actor: Principal,
    loaders: CatalogLoaders,
    request: SolveRequest,
    catalog: SolverCatalog,
    header: { name: string; version: string | null },
  ): Promise<Proposal> {
    const draftFor = (layers: SolvedLayer[]): ProfileDraft => ({
      name: header.name,
      ...(header.version ? { version: header.version } : {}),
      type: request.type,
      cloudType: request.cloudType,
      layers: layers.map((l) => ({ pack: l.pack, version: l.version, registry: l.registry })),
    });
    const result = await solveValidated(request, catalog, (layers) => this.profiles.validate(actor, loaders, draftFor(layers)));
    if (!result.ok) return { profile: null, layers: null, validation: null, explanation: result.explanation };
    return { profile: draftFor(result.layers), layers: result.layers, validation: result.validation, explanation: null };
  }
}
