/**
 * What proposeProfile and profileUpgradeSteps may ask for before anything is read: the bounds cap
 * the search one request can cost (layers, slots, preferred packs), and every problem is listed
 * (BAD_USER_INPUT, each issue with its argument path).
 */
import { InvalidInputError, type InputIssue } from '../errors.js';
import { PACK_LAYERS, type PackLayer } from '../packs/pack.types.js';
import { PROFILE_LIMITS } from './profile.input.js';
import { isKubernetesRange } from './solver/kube-version.js';

export const PROPOSAL_LIMITS = {
  maxLayers: 30,
  maxSlots: 20,
  maxPrefer: 10,
  /** Kubernetes minors one upgrade plan may climb (one step each). */
  maxUpgradeSteps: 10,
} as const;

export interface ProposeInputData {
  name?: string | null;
  version?: string | null;
  type?: string | null;
  cloudType: string;
  kubernetes?: string | null;
  layers?: Array<{ pack: string; version?: string | null; registry?: string | null }> | null;
  slots?: Array<{ layer: string; prefer?: string[] | null }> | null;
  policy?: 'NEWEST' | 'CLOSEST' | null;
  /** The saved profile CLOSEST stays near. */
  from?: { name: string; version: string } | null;
}

export function checkProposeInput(input: ProposeInputData, argument = 'input'): void {
  const L = PROPOSAL_LIMITS;
  const issues: InputIssue[] = [];
  const problem = (path: string, message: string, code = 'INVALID_FIELD') => issues.push({ code, path: `${argument}.${path}`, message });
  const text = (path: string, value: string | null | undefined, max: number, required = false) => {
    if (value === null || value === undefined) {
      if (required) problem(path, 'is required');
    } else if (required && value.trim() === '') problem(path, 'must not be empty');
    else if (value.length > max) problem(path, `must be at most ${max} characters`);
  };
  text('name', input.name, PROFILE_LIMITS.maxNameLength);
  text('version', input.version, PROFILE_LIMITS.maxReferenceLength);
  text('cloudType', input.cloudType, PROFILE_LIMITS.maxNameLength, true);
  if (input.type && input.type !== 'CLUSTER' && input.type !== 'ADDON') problem('type', 'a proposal is a CLUSTER or an ADDON profile');
  if (input.kubernetes !== null && input.kubernetes !== undefined) {
    if (input.kubernetes.length > PROFILE_LIMITS.maxReferenceLength) problem('kubernetes', `must be at most ${PROFILE_LIMITS.maxReferenceLength} characters`);
    else if (!isKubernetesRange(input.kubernetes)) problem('kubernetes', 'must be a parent tag (1.31.x), a version (1.31.2) or a constraint (>=1.30 <1.32)');
  }
  const layers = input.layers ?? [];
  if (layers.length > L.maxLayers) problem('layers', `at most ${L.maxLayers} fixed layers, not ${layers.length}`, 'LIMIT_EXCEEDED');
  else
    layers.forEach((l, i) => {
      text(`layers[${i}].pack`, l.pack, PROFILE_LIMITS.maxNameLength, true);
      text(`layers[${i}].version`, l.version, PROFILE_LIMITS.maxReferenceLength);
      text(`layers[${i}].registry`, l.registry, PROFILE_LIMITS.maxNameLength);
    });
  const slots = input.slots ?? [];
  if (slots.length > L.maxSlots) problem('slots', `at most ${L.maxSlots} slots, not ${slots.length}`, 'LIMIT_EXCEEDED');
  else
    slots.forEach((s, i) => {
      if (!PACK_LAYERS.includes(s.layer.toLowerCase() as PackLayer)) problem(`slots[${i}].layer`, `must be one of ${PACK_LAYERS.join(', ')}`);
      const prefer = s.prefer ?? [];
      if (prefer.length > L.maxPrefer) problem(`slots[${i}].prefer`, `at most ${L.maxPrefer} preferred packs, not ${prefer.length}`, 'LIMIT_EXCEEDED');
      else prefer.forEach((p, j) => text(`slots[${i}].prefer[${j}]`, p, PROFILE_LIMITS.maxNameLength, true));
    });
  if (input.policy === 'CLOSEST' && !input.from) problem('from', 'CLOSEST needs the saved profile to stay close to (from: { name, version })');
  if (input.from) {
    text('from.name', input.from.name, PROFILE_LIMITS.maxNameLength, true);
    text('from.version', input.from.version, PROFILE_LIMITS.maxReferenceLength, true);
  }
  if (issues.length > 0) {
    throw new InvalidInputError(`Invalid proposal input: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, { field: issues[0].path, issues });
  }
}
