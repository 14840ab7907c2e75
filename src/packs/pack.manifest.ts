import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { PACK_JSON_SCHEMA } from './pack-json.schema.js';
import { PackIssueCode, hasErrors, packError, packWarning, pointerSegment } from './pack.issues.js';
import type {
  PackDependencySpec,
  PackIssue,
  PackManifest,
  ResourceComponentSpec,
  ResourceConstraintSpec,
} from './pack.types.js';
import { describeJsonSyntaxError } from './parse-errors.js';
import { isValidVersion } from './version.js';

export interface ManifestParseOptions {
  /**
   * Mirror mode, for packs read from upstream registries rather than pushed to ours. The two
   * deviations that published packs on pack-central carry become warnings instead of errors:
   * a version with a leading `v` (`v1.8.7`) is kept as written, and a dependency without `type`
   * is read as `optional`. Off by default: pushes must follow the rules.
   */
  lenient?: boolean;
}

export interface ManifestParseResult {
  /** Present when no issue is an error. */
  manifest?: PackManifest;
  issues: PackIssue[];
}

// Names and versions end up in object keys, URLs, OCI references and folder names.
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const FILE = 'pack.json';

let validator: ValidateFunction | undefined;

function packJsonValidator(): ValidateFunction {
  // Compiled on first use and kept: compiling costs far more than validating.
  validator ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(PACK_JSON_SCHEMA);
  return validator;
}

/**
 * Parse and validate the text of a pack.json.
 *
 * Checks JSON syntax, then the pack-central rules (required `name`, `displayName`, `version`,
 * `layer`; the layer, cloud type, dependency type and resource type enums; string annotation
 * values), then what our storage needs (a path-safe name and version, no leading `v`).
 * Every problem is reported at once, each with a JSON-Pointer path such as
 * `pack.json#/constraints/dependencies/0/type`. Unknown keys are kept in `manifest.raw`.
 * The legacy single `cloudType` is folded into `cloudTypes`; empty optional strings
 * (`"eol": ""`, `"maxVersion": ""`) become absent. Never throws.
 */
export function parsePackManifest(text: string, options: ManifestParseOptions = {}): ManifestParseResult {
  const source = text.replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    return { issues: [packError(PackIssueCode.PACK_JSON_INVALID, describeJsonError(source, error), FILE)] };
  }
  const lenient = options.lenient ?? false;
  const issues: PackIssue[] = [];
  const checked = lenient ? defaultDependencyTypes(parsed, issues) : parsed;
  const validate = packJsonValidator();
  const schemaValid = validate(checked);
  if (!schemaValid) issues.push(...(validate.errors ?? []).map(schemaIssue));
  // Checked even when the schema failed, so that one round trip shows every problem.
  issues.push(...checkIdentity(checked as Partial<RawPackJson>, lenient));
  if (!schemaValid || hasErrors(issues)) return { issues };
  const valid = checked as RawPackJson;
  // `raw` is what the author wrote, before any lenient defaulting.
  return { manifest: normaliseManifest(valid, parsed as Record<string, unknown>), issues };
}

/** The shape the schema guarantees once validation has passed. */
interface RawPackJson extends Record<string, unknown> {
  name: string;
  displayName: string;
  version: string;
  layer: PackManifest['layer'];
  group?: string;
  eol?: string;
  addonType?: string;
  addonSubType?: string;
  cloudTypes?: string[];
  cloudType?: string;
  charts?: string[];
  kubeManifests?: string[];
  ansibleRoles?: string[];
  annotations?: Record<string, string>;
  constraints?: {
    dependencies?: Array<Omit<PackDependencySpec, 'minVersion' | 'maxVersion'> & { minVersion?: string; maxVersion?: string }>;
    resources?: Array<{ type: ResourceConstraintSpec['type']; minLimit?: number; components?: ResourceComponentSpec[] }>;
  };
}

/** A copy of pack.json in which each dependency lacking `type` reads `optional`, with a warning for each. */
function defaultDependencyTypes(parsed: unknown, issues: PackIssue[]): unknown {
  const dependencies = (parsed as { constraints?: { dependencies?: unknown } } | null)?.constraints?.dependencies;
  if (!Array.isArray(dependencies)) return parsed;
  const patched = dependencies.map((dependency: unknown, index) => {
    if (typeof dependency !== 'object' || dependency === null || Array.isArray(dependency) || 'type' in dependency) return dependency;
    issues.push(
      packWarning(
        PackIssueCode.DEPENDENCY_TYPE_MISSING,
        `constraints.dependencies[${index}] has no "type": read as "optional".`,
        `${FILE}#/constraints/dependencies/${index}/type`,
      ),
    );
    return { ...dependency, type: 'optional' };
  });
  const root = parsed as { constraints: Record<string, unknown> };
  return { ...root, constraints: { ...root.constraints, dependencies: patched } };
}

function checkIdentity(valid: Partial<RawPackJson> | null, lenient: boolean): PackIssue[] {
  const issues: PackIssue[] = [];
  const name = valid?.name;
  const version = valid?.version;
  if (typeof name === 'string' && name !== '' && !NAME_PATTERN.test(name)) {
    issues.push(
      packError(
        PackIssueCode.PACK_NAME_INVALID,
        `Pack name "${name}" may hold only letters, digits, ".", "_" and "-", must start with a letter or digit, and be at most 253 characters.`,
        `${FILE}#/name`,
      ),
    );
  }
  if (typeof version !== 'string' || version === '') return issues;
  if (/^[vV]/.test(version)) {
    const message = `Version "${version}" starts with "${version[0]}": write it as "${version.slice(1)}".`;
    issues.push(
      lenient
        ? packWarning(PackIssueCode.VERSION_LEADING_V, message, `${FILE}#/version`)
        : packError(PackIssueCode.VERSION_LEADING_V, message, `${FILE}#/version`),
    );
  }
  if (!VERSION_PATTERN.test(version)) {
    issues.push(
      packError(
        PackIssueCode.VERSION_INVALID,
        `Version "${version}" may hold only letters, digits, ".", "_", "+" and "-", and be at most 128 characters.`,
        `${FILE}#/version`,
      ),
    );
  } else if (!isValidVersion(version)) {
    // Such a version cannot be ordered, so no tag, parent tag or `latest` can ever choose it.
    const message = `Version "${version}" is not a version number: write MAJOR.MINOR.PATCH such as "1.0.0" (a "-prerelease" or "+build" suffix may follow).`;
    issues.push(
      lenient
        ? packWarning(PackIssueCode.VERSION_NOT_A_VERSION, `${message} Kept as written; it is never \`latest\`.`, `${FILE}#/version`)
        : packError(PackIssueCode.VERSION_NOT_A_VERSION, message, `${FILE}#/version`),
    );
  }
  return issues;
}

function normaliseManifest(valid: RawPackJson, raw: Record<string, unknown>): PackManifest {
  const cloudTypes = [...(valid.cloudTypes ?? [])];
  if (valid.cloudType !== undefined && !cloudTypes.includes(valid.cloudType)) cloudTypes.push(valid.cloudType);
  const manifest: PackManifest = {
    name: valid.name,
    displayName: valid.displayName,
    version: valid.version,
    layer: valid.layer,
    cloudTypes,
    charts: [...(valid.charts ?? [])],
    kubeManifests: [...(valid.kubeManifests ?? [])],
    ansibleRoles: [...(valid.ansibleRoles ?? [])],
    annotations: { ...(valid.annotations ?? {}) },
    constraints: {
      dependencies: (valid.constraints?.dependencies ?? []).map((dependency) => {
        const spec: PackDependencySpec = { packName: dependency.packName, layer: dependency.layer, type: dependency.type };
        if (nonEmpty(dependency.minVersion)) spec.minVersion = dependency.minVersion;
        if (nonEmpty(dependency.maxVersion)) spec.maxVersion = dependency.maxVersion;
        return spec;
      }),
      resources: (valid.constraints?.resources ?? []).map((resource) => {
        const spec: ResourceConstraintSpec = { type: resource.type };
        if (resource.minLimit !== undefined) spec.minLimit = resource.minLimit;
        if (resource.components !== undefined) spec.components = resource.components.map(normaliseComponent);
        return spec;
      }),
    },
    raw,
  };
  for (const key of ['group', 'eol', 'addonType', 'addonSubType'] as const) {
    const value = valid[key];
    if (nonEmpty(value)) manifest[key] = value;
  }
  return manifest;
}

function normaliseComponent(component: ResourceComponentSpec): ResourceComponentSpec {
  const spec: ResourceComponentSpec = { scheduleType: component.scheduleType };
  if (component.resourceRequestParamRef !== undefined) spec.resourceRequestParamRef = component.resourceRequestParamRef;
  if (component.replicaCountParamRef !== undefined) spec.replicaCountParamRef = component.replicaCountParamRef;
  return spec;
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function schemaIssue(error: ErrorObject): PackIssue {
  const at = error.instancePath === '' ? 'pack.json' : `"${error.instancePath.slice(1).replace(/\//g, '.')}"`;
  switch (error.keyword) {
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const owner = error.instancePath === '' ? 'pack.json' : at;
      return packError(
        PackIssueCode.PACK_JSON_SCHEMA,
        `${owner} is missing the required field "${missing}".`,
        `${FILE}#${error.instancePath}/${pointerSegment(missing)}`,
      );
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
      return packError(
        PackIssueCode.PACK_JSON_SCHEMA,
        `${at} is ${JSON.stringify(error.data)}: expected one of ${allowed}.`,
        `${FILE}#${error.instancePath}`,
      );
    }
    case 'type':
      return packError(
        PackIssueCode.PACK_JSON_SCHEMA,
        `${at} must be ${articleFor(String((error.params as { type: string }).type))}, not ${describeType(error.data)}.`,
        `${FILE}#${error.instancePath}`,
      );
    case 'minLength':
      return packError(PackIssueCode.PACK_JSON_SCHEMA, `${at} must not be empty.`, `${FILE}#${error.instancePath}`);
    default:
      return packError(PackIssueCode.PACK_JSON_SCHEMA, `${at} ${error.message ?? 'is invalid'}.`, `${FILE}#${error.instancePath}`);
  }
}

function articleFor(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return articleFor(typeof value);
}

function describeJsonError(text: string, error: unknown): string {
  // Never V8's own message: it quotes the input, which may come from an upstream or a linked file.
  return `pack.json is not valid JSON${describeJsonSyntaxError(text, error)}.`;
}
