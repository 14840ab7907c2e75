import { parsePackManifest } from '../../../src/packs/pack.manifest.js';
import type { PackIssue } from '../../../src/packs/pack.types.js';

const valid = {
  name: 'demo',
  displayName: 'Demo',
  version: '1.2.3',
  layer: 'addon',
  cloudTypes: ['all'],
};

function parse(value: unknown, lenient = false) {
  return parsePackManifest(JSON.stringify(value), { lenient });
}

function errors(issues: PackIssue[]): Array<Pick<PackIssue, 'code' | 'path'>> {
  return issues.filter((issue) => issue.severity === 'error').map(({ code, path }) => ({ code, path }));
}

describe('parsePackManifest', () => {
  it('normalises a valid pack.json and keeps unknown keys in raw', () => {
    const result = parse({
      ...valid,
      commit_msg: 'hello',
      kubeVersion: '>=1.27',
      group: '',
      eol: '',
      annotations: { source: 'community', system_state: 'deprecated' },
      constraints: {
        dependencies: [{ packName: 'kubernetes', layer: 'k8s', type: 'optional', minVersion: '1.27', maxVersion: '' }],
        resources: [{ type: 'cpu', minLimit: 100, components: [{ scheduleType: 'worker', replicaCountParamRef: 'charts.x.replicas' }] }],
      },
    });
    expect(result.issues).toEqual([]);
    expect(result.manifest).toMatchObject({
      name: 'demo',
      version: '1.2.3',
      layer: 'addon',
      cloudTypes: ['all'],
      charts: [],
      kubeManifests: [],
      annotations: { source: 'community', system_state: 'deprecated' },
      constraints: {
        dependencies: [{ packName: 'kubernetes', layer: 'k8s', type: 'optional', minVersion: '1.27' }],
        resources: [{ type: 'cpu', minLimit: 100, components: [{ scheduleType: 'worker', replicaCountParamRef: 'charts.x.replicas' }] }],
      },
    });
    expect(result.manifest?.constraints.dependencies[0]).not.toHaveProperty('maxVersion');
    expect(result.manifest?.group).toBeUndefined();
    expect(result.manifest?.eol).toBeUndefined();
    expect(result.manifest?.raw).toMatchObject({ commit_msg: 'hello', kubeVersion: '>=1.27', group: '' });
  });

  it('lists every missing required field at once', () => {
    const result = parse({ cloudTypes: ['all'] });
    expect(result.manifest).toBeUndefined();
    expect(errors(result.issues)).toEqual(
      expect.arrayContaining([
        { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/name' },
        { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/displayName' },
        { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/version' },
        { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/layer' },
      ]),
    );
    expect(result.issues).toHaveLength(4);
    expect(result.issues[0].message).toMatch(/missing the required field/);
  });

  it('refuses a layer outside the enum, naming the allowed values', () => {
    const result = parse({ ...valid, layer: 'database' });
    expect(errors(result.issues)).toEqual([{ code: 'PACK_JSON_SCHEMA', path: 'pack.json#/layer' }]);
    expect(result.issues[0].message).toContain('kernel, os, k8s, cni, csi, addon');
  });

  it('refuses a leading v, and lenient (mirror) mode turns it into a warning', () => {
    const strict = parse({ ...valid, version: 'v1.2.3' });
    expect(errors(strict.issues)).toEqual([{ code: 'VERSION_LEADING_V', path: 'pack.json#/version' }]);
    expect(strict.manifest).toBeUndefined();

    const lenient = parse({ ...valid, version: 'V1.2.3' }, true);
    expect(lenient.issues.map((issue) => [issue.code, issue.severity])).toEqual([['VERSION_LEADING_V', 'warning']]);
    expect(lenient.manifest?.version).toBe('V1.2.3');
  });

  it('refuses a version that is not a version (VERSION_NOT_A_VERSION); lenient (mirror) mode keeps it with a warning', () => {
    const strict = parse({ ...valid, version: 'not-a-version' });
    expect(errors(strict.issues)).toEqual([{ code: 'VERSION_NOT_A_VERSION', path: 'pack.json#/version' }]);
    expect(strict.issues[0].message).toContain('"not-a-version" is not a version number');
    expect(strict.manifest).toBeUndefined();

    const lenient = parse({ ...valid, version: 'not-a-version' }, true);
    expect(lenient.issues.map((issue) => [issue.code, issue.severity])).toEqual([['VERSION_NOT_A_VERSION', 'warning']]);
    expect(lenient.issues[0].message).toContain('never `latest`');
    expect(lenient.manifest?.version).toBe('not-a-version');
    // Versions with parts the ordering reads stay valid.
    for (const version of ['1.27', '0.30.0-5.5.2026', '2.0.1+build.1', '1.2.3.4']) expect(parse({ ...valid, version }).issues).toEqual([]);
  });

  it('reports a leading v together with schema errors', () => {
    expect(errors(parse({ ...valid, version: 'v2', layer: 'db' }).issues)).toEqual([
      { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/layer' },
      { code: 'VERSION_LEADING_V', path: 'pack.json#/version' },
    ]);
  });

  it('refuses a dependency with a bad type, with the path of the field', () => {
    const result = parse({
      ...valid,
      constraints: { dependencies: [{ packName: 'k', layer: 'k8s', type: 'required' }, { packName: 'x', layer: 'addon', type: 'mandatory' }] },
    });
    expect(errors(result.issues)).toEqual([{ code: 'PACK_JSON_SCHEMA', path: 'pack.json#/constraints/dependencies/1/type' }]);
  });

  it('reads a dependency without type as optional only in lenient mode', () => {
    const pack = { ...valid, constraints: { dependencies: [{ packName: 'kubernetes', layer: 'k8s', minVersion: '1.34' }] } };
    expect(errors(parse(pack).issues)).toEqual([{ code: 'PACK_JSON_SCHEMA', path: 'pack.json#/constraints/dependencies/0/type' }]);
    const lenient = parse(pack, true);
    expect(lenient.issues.map((issue) => [issue.code, issue.severity])).toEqual([['DEPENDENCY_TYPE_MISSING', 'warning']]);
    expect(lenient.manifest?.constraints.dependencies[0].type).toBe('optional');
    expect(lenient.manifest?.raw).toEqual(pack);
  });

  it('checks cloud types, accepting custom and folding the legacy cloudType in', () => {
    expect(parse({ ...valid, cloudTypes: ['aws', 'custom'] }).manifest?.cloudTypes).toEqual(['aws', 'custom']);
    expect(parse({ ...valid, cloudTypes: undefined, cloudType: 'vsphere' }).manifest?.cloudTypes).toEqual(['vsphere']);
    expect(parse({ ...valid, cloudTypes: ['aws'], cloudType: 'maas' }).manifest?.cloudTypes).toEqual(['aws', 'maas']);
    expect(errors(parse({ ...valid, cloudTypes: ['aws', 'mars'] }).issues)).toEqual([{ code: 'PACK_JSON_SCHEMA', path: 'pack.json#/cloudTypes/1' }]);
  });

  it('refuses non-string annotation values, bad resources and wrong types', () => {
    const result = parse({
      ...valid,
      annotations: { source: 'community', replicas: 3 },
      charts: 'charts/a.tgz',
      constraints: { resources: [{ type: 'gpu' }, { type: 'cpu', minLimit: '100' }] },
    });
    expect(errors(result.issues)).toEqual(
      expect.arrayContaining([
        { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/annotations/replicas' },
        { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/charts' },
        { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/constraints/resources/0/type' },
        { code: 'PACK_JSON_SCHEMA', path: 'pack.json#/constraints/resources/1/minLimit' },
      ]),
    );
    expect(result.issues.find((issue) => issue.path === 'pack.json#/charts')?.message).toBe('"charts" must be an array, not a string.');
  });

  it('reports invalid JSON with its line, and a non-object top level', () => {
    const broken = parsePackManifest('{\n  "name": "x",\n  "version": 1.0.0\n}');
    expect(broken.issues).toHaveLength(1);
    expect(broken.issues[0]).toMatchObject({ code: 'PACK_JSON_INVALID', severity: 'error', path: 'pack.json' });
    expect(broken.issues[0].message).toMatch(/line 3/);
    expect(errors(parsePackManifest('[1, 2]').issues)).toEqual([{ code: 'PACK_JSON_SCHEMA', path: 'pack.json#' }]);
  });

  it('refuses names and versions that are not safe in paths and references', () => {
    expect(errors(parse({ ...valid, name: '../etc' }).issues)).toEqual([{ code: 'PACK_NAME_INVALID', path: 'pack.json#/name' }]);
    expect(errors(parse({ ...valid, version: '1.0/../../x' }).issues)).toEqual([{ code: 'VERSION_INVALID', path: 'pack.json#/version' }]);
    expect(parse({ ...valid, version: '0.30.0-5.5.2026' }).issues).toEqual([]);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(parsePackManifest(`\uFEFF${JSON.stringify(valid)}`).manifest?.name).toBe('demo');
  });
});
