import { DEPENDENCY_TYPES, PACK_LAYERS } from './pack.types.js';

/**
 * The cloud types pack.json may name. The list of spectrocloud/pack-central's CI schema, plus
 * `custom`, which that schema allows in `cloudTypes` and real packs use.
 */
export const PACK_CLOUD_TYPES = [
  'all',
  'aws',
  'azure',
  'gcp',
  'vsphere',
  'openstack',
  'baremetal',
  'maas',
  'aks',
  'eks',
  'tencent',
  'tke',
  'edge',
  'libvirt',
  'edge-native',
  'coxedge',
  'custom',
] as const;

/**
 * Our own authoring of the rules pack-central's CI checks pack.json against (draft-07, for ajv).
 * It is kept in code rather than read from a file because the service ships without the
 * reference folder. No `additionalProperties: false` anywhere: real packs carry extra keys
 * (`commit_msg`, `kubeVersion`, `readme`) and those must survive.
 */
export const PACK_JSON_SCHEMA = {
  $id: 'https://pack-catalog.local/schemas/pack.json',
  type: 'object',
  required: ['name', 'displayName', 'version', 'layer'],
  properties: {
    name: { $ref: '#/definitions/nonEmptyString' },
    displayName: { $ref: '#/definitions/nonEmptyString' },
    version: { $ref: '#/definitions/nonEmptyString' },
    layer: { $ref: '#/definitions/layer' },
    group: { type: 'string' },
    cloudTypes: { type: 'array', items: { $ref: '#/definitions/cloudType' } },
    cloudType: { $ref: '#/definitions/cloudType' },
    eol: { type: 'string' },
    addonType: { type: 'string' },
    addonSubType: { type: 'string' },
    ansibleRoles: { type: 'array', items: { type: 'string' } },
    charts: { type: 'array', items: { type: 'string' } },
    kubeManifests: { type: 'array', items: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    constraints: { $ref: '#/definitions/constraints' },
  },
  definitions: {
    nonEmptyString: { type: 'string', minLength: 1 },
    layer: { type: 'string', enum: [...PACK_LAYERS] },
    cloudType: { type: 'string', enum: [...PACK_CLOUD_TYPES] },
    constraints: {
      type: 'object',
      properties: {
        dependencies: { type: 'array', items: { $ref: '#/definitions/dependency' } },
        resources: { type: 'array', items: { $ref: '#/definitions/resource' } },
      },
    },
    dependency: {
      type: 'object',
      required: ['packName', 'layer', 'type'],
      properties: {
        packName: { $ref: '#/definitions/nonEmptyString' },
        layer: { $ref: '#/definitions/layer' },
        minVersion: { type: 'string' },
        maxVersion: { type: 'string' },
        type: { type: 'string', enum: [...DEPENDENCY_TYPES] },
      },
    },
    resource: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { type: 'string', enum: ['cpu', 'memory', 'diskSize'] },
        minLimit: { type: 'number' },
        components: { type: 'array', items: { $ref: '#/definitions/component' } },
      },
    },
    component: {
      type: 'object',
      required: ['scheduleType'],
      properties: {
        scheduleType: { type: 'string', enum: ['all', 'master', 'worker'] },
        resourceRequestParamRef: { type: 'string' },
        replicaCountParamRef: { type: 'string' },
      },
    },
  },
} as const;
