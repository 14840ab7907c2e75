/**
 * Request + catalog -> the search problem (problem.ts): variables for the fixed layers, the slots
 * (a CLUSTER profile gets a slot for each required core layer the request leaves open), and the
 * packs a candidate requires that the request does not name; each candidate ruled out by a unary
 * fact (reference, cloud type, lifecycle, Kubernetes range, upgrade path, a refusal) carries it.
 */
import type { PackDependencySpec, PackLayer } from '../../packs/pack.types.js';
import { compareVersions, describeVersionRange, isParentTag, isVersionInRange, matchesParentTag, parseVersion } from '../../packs/version.js';
import { REQUIRED_CORE_LAYERS } from '../rules/layers.js';
import { layerLabel } from '../rules/labels.js';
import { orderCandidates, type OrderContext } from './candidate-order.js';
import { inKubernetesRange } from './kube-version.js';
import type { Problem, RawFact, Value, Variable } from './problem.js';
import { candidateKey, type BaseLayer, type CandidateVersion, type SolveRequest, type SolverCatalog } from './solver.model.js';

const isCore = (layer: PackLayer) => layer !== 'addon';

export function slotLabel(layer: PackLayer): string {
  return `the ${layerLabel(layer)} slot`;
}

/** Whether a candidate matches a fixed layer's reference (exact, tag, parent tag, `latest`; empty: any). */
function referenceFilter(reference: string | null | undefined, all: readonly CandidateVersion[]): (c: CandidateVersion) => boolean {
  const ref = reference?.trim() ?? '';
  if (ref === '') return () => true;
  if (ref === 'latest') {
    // As resolution reads `latest`: the newest release (a pre-release only when there is none).
    const versions = all.map((c) => c.version).filter((v) => parseVersion(v) !== null);
    const releases = versions.filter((v) => parseVersion(v)!.prerelease.length === 0);
    const pool = releases.length > 0 ? releases : versions;
    const newest = pool.sort((a, b) => compareVersions(b, a))[0];
    return (c) => c.version === newest || c.tags.includes('latest');
  }
  if (isParentTag(ref)) return (c) => matchesParentTag(c.version, ref);
  return (c) => c.version === ref || c.tags.includes(ref);
}

function fact(c: CandidateVersion, relation: RawFact['relation'], predicate: string, other: { pack?: string; range?: string } = {}): RawFact {
  return { pack: c.pack, version: c.version, relation, otherPack: other.pack ?? null, otherRange: other.range ?? null, predicate };
}

export function hasBounds(dep: PackDependencySpec): boolean {
  return (dep.minVersion?.trim() ?? '') !== '' || (dep.maxVersion?.trim() ?? '') !== '';
}

export function rangeText(dep: PackDependencySpec): string {
  return hasBounds(dep) ? describeVersionRange(dep.minVersion, dep.maxVersion) : 'any version';
}

/**
 * CLOSEST: an `upgrade` dependency of a candidate that changes the version of a pack the base
 * profile has names the versions it can be reached from (rules/upgrade-plan.ts reads it the same way).
 */
function upgradeFact(c: CandidateVersion, base: readonly BaseLayer[]): RawFact | null {
  const current = base.find((b) => b.pack === c.pack);
  if (!current || current.version === c.version) return null;
  for (const dep of c.dependencies) {
    if (dep.type !== 'upgrade' || !hasBounds(dep)) continue;
    const from = dep.packName === c.pack ? current : base.find((b) => b.pack === dep.packName);
    if (!from || isVersionInRange(from.version, dep.minVersion, dep.maxVersion)) continue;
    return fact(c, 'UPGRADE_FROM', `can only be reached from ${dep.packName} ${rangeText(dep)}; the profile to upgrade has ${from.version}`, {
      pack: dep.packName,
      range: rangeText(dep),
    });
  }
  return null;
}

export function buildProblem(request: SolveRequest, catalog: SolverCatalog): Problem {
  const variables: Variable[] = [];
  const structural: RawFact[] = [];
  const cloud = request.cloudType.trim().toLowerCase();
  const base = request.policy.kind === 'CLOSEST' ? request.policy.base : [];
  const excluded = request.excluded ?? new Map<string, string>();
  const kindOf = (pack: string): PackLayer | null => catalog.versionsOf(pack)[0]?.layer ?? null;
  const structuralFact = (pack: string, relation: RawFact['relation'], text: string): RawFact => ({
    pack,
    version: '',
    relation,
    otherPack: null,
    otherRange: null,
    predicate: text,
    standalone: text,
  });

  const newVariable = (v: Omit<Variable, 'index' | 'initialFacts'>): Variable => {
    const variable: Variable = { ...v, index: variables.length, initialFacts: v.values.map(() => null) };
    variables.push(variable);
    return variable;
  };
  const ordering = (layer: PackLayer, prefer: readonly string[], pack?: string): OrderContext => ({
    policy: request.policy,
    prefer,
    base: base.find((b) => (pack ? b.pack === pack : b.layer === layer && isCore(layer))) ?? null,
  });

  // Fixed layers.
  const fixedPacks = new Set(request.fixed.map((f) => f.pack.trim()));
  const coreVariable = new Map<PackLayer, Variable>();
  const referenceFacts = new Map<Variable, (c: CandidateVersion) => RawFact | null>();
  for (const fixed of request.fixed) {
    const name = fixed.pack.trim();
    const registry = fixed.registry?.trim();
    const all = catalog.versionsOf(name).filter((c) => !registry || c.registry === registry);
    if (all.length === 0) {
      structural.push(structuralFact(name, 'NOT_IN_CATALOG', `the catalog has no pack ${name}${registry ? ` in registry "${registry}"` : ''}`));
      continue;
    }
    const layer = all[0].layer;
    const variable = newVariable({
      label: name,
      origin: 'FIXED',
      layer,
      isKubernetes: layer === 'k8s' && request.type === 'CLUSTER',
      values: orderCandidates(all, ordering(layer, [], name)),
    });
    const matches = referenceFilter(fixed.version, all);
    const ref = fixed.version?.trim();
    referenceFacts.set(variable, (c) =>
      matches(c) ? null : { ...fact(c, 'REQUEST_FIXES', ''), version: ref!, standalone: `the request fixes ${name} ${ref}` },
    );
    if (request.type === 'ADDON' && isCore(layer)) {
      structural.push(structuralFact(name, 'LAYER_TAKEN', `${name} is ${layerLabel(layer)} layer, and an ADDON profile holds add-ons only`));
    } else if (isCore(layer)) {
      const taken = coreVariable.get(layer);
      if (taken) structural.push(structuralFact(name, 'LAYER_TAKEN', `the request fixes both ${taken.label} and ${name} as the ${layerLabel(layer)} layer; a profile holds one`));
      else coreVariable.set(layer, variable);
    }
  }

  // Slots: the request's, then the required core layers it leaves open.
  const slots = [...request.slots];
  /** An add-on slot that prefers a pack holds it when another pack requires it (no second variable for it). */
  const slotPreferring = new Map<string, Variable>();
  if (request.type === 'CLUSTER') {
    for (const layer of REQUIRED_CORE_LAYERS) {
      if (!coreVariable.has(layer) && !slots.some((s) => s.layer === layer)) slots.push({ layer });
    }
  }
  for (const slot of slots) {
    const layer = slot.layer;
    if (isCore(layer)) {
      if (request.type === 'ADDON') {
        structural.push(structuralFact(slotLabel(layer), 'LAYER_TAKEN', `an ADDON profile holds add-ons only, not ${slotLabel(layer)}`));
        continue;
      }
      const taken = coreVariable.get(layer);
      if (taken) {
        structural.push(structuralFact(slotLabel(layer), 'LAYER_TAKEN', `${taken.label} already fills the ${layerLabel(layer)} layer; a profile holds one, so ${slotLabel(layer)} cannot be opened too`));
        continue;
      }
    }
    const candidates = catalog.packsOfLayer(layer).filter((p) => !fixedPacks.has(p)).flatMap((p) => catalog.versionsOf(p));
    const variable = newVariable({
      label: slotLabel(layer),
      origin: 'SLOT',
      layer,
      isKubernetes: layer === 'k8s' && request.type === 'CLUSTER',
      values: orderCandidates(candidates, ordering(layer, slot.prefer ?? [])),
    });
    if (isCore(layer)) coreVariable.set(layer, variable);
    else for (const p of slot.prefer ?? []) if (!slotPreferring.has(p)) slotPreferring.set(p, variable);
    if (candidates.length === 0) structural.push(structuralFact(slotLabel(layer), 'NO_CANDIDATE', `the catalog has no ${layerLabel(layer)} pack`));
  }

  const mustHold = (_pack: string, dependencyLayer: PackLayer | undefined) =>
    !(request.type === 'ADDON' && dependencyLayer !== undefined && dependencyLayer !== 'addon');

  // Packs a candidate requires that no fixed layer or core slot holds: REQUIRED variables, to a fixpoint.
  const requiredVariable = new Map<string, Variable>();
  const holderOf = new Map<string, number>();
  const holder = (pack: string): Variable | null => {
    const fixed = variables.find((v) => v.origin === 'FIXED' && v.label === pack);
    if (fixed) return fixed;
    const kind = kindOf(pack);
    if (kind && isCore(kind) && coreVariable.has(kind)) return coreVariable.get(kind)!;
    return slotPreferring.get(pack) ?? requiredVariable.get(pack) ?? null;
  };
  for (let i = 0; i < variables.length; i++) {
    for (const value of variables[i].values) {
      for (const dep of value?.dependencies ?? []) {
        if (dep.type !== 'required' || !mustHold(dep.packName, dep.layer) || holder(dep.packName)) continue;
        const versions = catalog.versionsOf(dep.packName);
        if (versions.length === 0) continue;
        const layer = versions[0].layer;
        if (request.type === 'ADDON' && isCore(layer)) continue;
        const values: Value[] = [null, ...orderCandidates(versions, ordering(layer, [], dep.packName))];
        requiredVariable.set(dep.packName, newVariable({ label: dep.packName, origin: 'REQUIRED', layer, isKubernetes: false, values }));
      }
    }
  }
  for (const v of variables) for (const value of v.values) if (value) holderOf.set(value.pack, holder(value.pack)?.index ?? v.index);
  for (const v of variables) {
    for (const value of v.values) {
      for (const dep of value?.dependencies ?? []) {
        if (dep.type === 'required' && !holderOf.has(dep.packName)) {
          const h = holder(dep.packName);
          if (h) holderOf.set(dep.packName, h.index);
        }
      }
    }
  }

  // Unary facts.
  for (const v of variables) {
    const byReference = referenceFacts.get(v);
    v.values.forEach((c, i) => {
      if (c === null) return;
      const facts: RawFact[] = [];
      const ref = byReference?.(c);
      if (ref) facts.push(ref);
      if (v.isKubernetes && !inKubernetesRange(c.version, request.kubernetes)) {
        facts.push({ ...fact(c, 'REQUEST_FIXES', ''), version: request.kubernetes!.trim(), standalone: `the request fixes Kubernetes ${request.kubernetes!.trim()}` });
      }
      if (cloud !== 'all' && c.cloudTypes.length > 0 && !c.cloudTypes.includes('all') && !c.cloudTypes.includes(cloud)) {
        facts.push(fact(c, 'CLOUD_TYPE', `supports cloud types ${c.cloudTypes.join(', ')}, not ${cloud}`, { range: c.cloudTypes.join(', ') }));
      }
      if (c.lifecycle === 'DISABLED') facts.push(fact(c, 'DISABLED', 'is disabled: no new profiles may use it'));
      const refused = excluded.get(candidateKey(c));
      if (refused) facts.push(fact(c, 'REFUSED_BY_VALIDATION', `is refused by validation (${refused})`));
      for (const dep of c.dependencies) {
        if (dep.type === 'required' && mustHold(dep.packName, dep.layer) && !holderOf.has(dep.packName) && kindOf(dep.packName) === null) {
          facts.push(fact(c, 'NOT_IN_CATALOG', `requires ${dep.packName}, which the catalog lacks`, { pack: dep.packName, range: rangeText(dep) }));
        }
      }
      // A pack with a variable of its own (added when required) is not an add-on slot's to take: one pack once.
      if (v.origin === 'SLOT' && !isCore(v.layer) && requiredVariable.has(c.pack)) {
        facts.push(fact(c, 'SAME_PACK', `is added to the profile when another pack requires it, so ${v.label} takes another pack`));
      }
      const upgrade = request.policy.kind === 'CLOSEST' ? upgradeFact(c, base) : null;
      if (upgrade) facts.push(upgrade);
      if (facts.length > 0) v.initialFacts[i] = facts;
    });
  }
  return { variables, holderOf, mustHold, structural };
}

