/**
 * What the profile rule tests share: real pack-central packs loaded once, and a `validate` that
 * builds a draft whose layers reference the given resolutions.
 */
import type { ProfileLayerDraft, ProfileTypeName, ProfileVariableDraft, ResolvedLayer, ValidationIssue } from '../../../../src/profiles/profile.model.js';
import { validateProfileDraft } from '../../../../src/profiles/rules/index.js';
import { kubernetes, loadFixturePack, ubuntu } from '../fixture-packs.js';

// Real packs from pack-central, loaded once.
export const antrea = loadFixturePack('antrea-1.9.0'); // cni, vsphere only
export const nfs = loadFixturePack('csi-driver-nfs'); // csi, all; values carry a stale Cilium enabled-presets comment
export const hpeCsi = loadFixturePack('hpe-csi-driver-3.2.0'); // csi, all
export const crossplane = loadFixturePack('crossplane-1.20.0'); // optional kubernetes >= 1.27; cpu 100, memory 256
export const appdOperator = loadFixturePack('appdynamics-operator-1.14.168');
export const appdCollector = loadFixturePack('appdynamics-collectors-1.14.714'); // requires appdynamics-operator >= 1.14.168; priority "1"
export const ciscoCollector = loadFixturePack('appdynamics-collectors-1.22.1287'); // requires cisco-appdynamics-operators >= 1.22.0
export const ciscoOperatorOld = loadFixturePack('appdynamics-operators-1.21.368');
export const argocd = loadFixturePack('argocd-3.3.5'); // presets enable-ingress / disable-ingress, group Ingress
export const helloUniverse = loadFixturePack('hello-universe-1.3.1'); // schema: required port/replicas as ${number}
export const sedai = loadFixturePack('sedai-smart-agent-1.4.41'); // values use three {{ .spectro.var.* }}
export const srIov = loadFixturePack('sr-iov-3.4.0'); // cloudTypes aws, edge; requires cni-multus (layer addon) >= 3.4
export const karpenter = loadFixturePack('karpenter-1.5.1'); // schema: awsAccountNumber required, default ""
export const tektonOperator = loadFixturePack('tekton-operator-0.61.0'); // schema: charts.tekton-operator.fullnameOverride readonly
export const externalSnapshotter = loadFixturePack('external-snapshotter-4.0.1'); // ${list:[Delete,Retain]}, ${boolean}
export const oauth2Proxy = loadFixturePack('oauth2-proxy-8.2.0'); // pack.spectrocloud.com/display-name: oauth2-proxy

export type Entry = [ResolvedLayer, Partial<ProfileLayerDraft>?];

export function refOf(resolved: ResolvedLayer, extra: Partial<ProfileLayerDraft> = {}): ProfileLayerDraft {
  const base = resolved.status === 'OK' ? { pack: resolved.manifest.name, version: resolved.version } : { pack: 'missing', version: '1.0.0' };
  return { ...base, ...extra };
}

export function validate(type: ProfileTypeName, cloudType: string, entries: Entry[], variables?: ProfileVariableDraft[]) {
  return validateProfileDraft(
    { name: 'test-profile', version: '1.0.0', type, cloudType, layers: entries.map(([r, extra]) => refOf(r, extra)), variables },
    entries.map(([r]) => r),
  );
}

export const core = (): Entry[] => [[ubuntu()], [kubernetes()], [antrea], [nfs]];

export function codes(issues: ValidationIssue[]): string[] {
  return issues.map((i) => i.code);
}

export function only(issues: ValidationIssue[], code: string): ValidationIssue[] {
  return issues.filter((i) => i.code === code);
}

export function replaceLine(text: string, from: RegExp, to: string): string {
  expect(text).toMatch(from);
  return text.replace(from, to);
}

export const sedaiVariables: ProfileVariableDraft[] = [
  { name: 'clusterProvider', default: 'AWS' },
  { name: 'sedaiBaseUrl', default: 'https://app.sedai.io' },
  { name: 'sedaiApiToken' },
];
