import { readdirSync } from 'node:fs';

import { validateProfileDraft } from '../../../src/profiles/rules/index.js';
import { loadFixturePack, PACK_CENTRAL } from './fixture-packs.js';

/**
 * Every real pack, alone in a profile with its default values: its values parse, its schema.yaml
 * is understood, its macros are documented ones and its enabled-presets comment agrees with its
 * presets. What remains are issues a user is meant to fix (fill required values, add dependencies).
 */
describe('every pack-central pack', () => {
  const folders = readdirSync(PACK_CENTRAL).sort();
  const results = folders.map((folder) => {
    const pack = loadFixturePack(folder);
    const type = pack.manifest.layer === 'addon' ? 'ADDON' : 'CLUSTER';
    const cloudType = type === 'ADDON' && pack.manifest.cloudTypes.includes('all') ? 'all' : (pack.manifest.cloudTypes.find((c) => c !== 'all') ?? 'aws');
    const result = validateProfileDraft({ name: 'scan', type, cloudType, layers: [{ pack: pack.manifest.name, version: pack.version }] }, [pack]);
    return { folder, issues: result.issues.filter((i) => i.code !== 'MISSING_CORE_LAYER') };
  });

  it('is read without YAML, schema, macro or preset trouble', () => {
    const trouble = results.flatMap(({ folder, issues }) =>
      issues.filter((i) => /VALUES_INVALID_YAML|UNSUPPORTED|SYSTEM_MACRO|PRESET/.test(i.code)).map((i) => `${folder}: ${i.code} ${i.message}`),
    );
    expect(trouble).toEqual([]);
    expect(folders.length).toBeGreaterThan(200);
  });

  it('asks for exactly the required values its defaults leave empty', () => {
    const schemaIssues = results.flatMap(({ folder, issues }) => issues.filter((i) => i.code === 'VALUES_SCHEMA').map((i) => `${folder} ${i.path}`));
    expect(schemaIssues).toEqual([
      'crowdstrike-falcon-agent-1.0.0 manifests.install-falcon.agentPackageUrl',
      'crowdstrike-falcon-agent-1.0.0 manifests.install-falcon.customerId',
      'external-snapshotter-4.0.1 manifests.vsclass.driver',
      'karpenter-1.0.5 awsAccountNumber',
      'karpenter-1.5.1 awsAccountNumber',
      'splunk-1.4.3 charts.splunk-connect-for-kubernetes.global.splunk.hec.host',
      'splunk-1.4.3 charts.splunk-connect-for-kubernetes.global.splunk.hec.token',
      'stormforge-optimize-live-0.7.8 charts.optimize-live.imageCredentials.username',
      'stormforge-optimize-live-0.7.8 charts.optimize-live.imageCredentials.password',
      'stormforge-optimize-live-0.7.8 charts.optimize-live.authorization.clientID',
      'stormforge-optimize-live-0.7.8 charts.optimize-live.authorization.clientSecret',
      'twistlock-20.09.0 manifests.prisma-cloud.accessToken',
      'twistlock-20.09.0 manifests.prisma-cloud.licenseKey',
    ]);
  });
});
