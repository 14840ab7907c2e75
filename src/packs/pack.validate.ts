import { PackIssueCode, hasErrors, packError, packWarning } from './pack.issues.js';
import { parsePackManifest, type ManifestParseOptions } from './pack.manifest.js';
import { checkEnabledPresets, parsePresetsYaml, parseSchemaYaml, parseValuesYaml } from './pack.values.js';
import type { PackIssue, PackReadResult, PackValueSchema, PackPreset, ReadPack } from './pack.types.js';

/** The small files at a pack's root that readers keep in memory; everything else is only listed. */
export const PACK_METADATA_FILES = ['pack.json', 'values.yaml', 'presets.yaml', 'schema.yaml', 'README.md'] as const;

const LOGO_EXTENSIONS = ['png', 'svg', 'jpg', 'jpeg', 'gif', 'webp'];
const LOGO_PATTERN = new RegExp(`^logo\\.(${LOGO_EXTENSIONS.join('|')})$`, 'i');

/** Whether a root-level file name is one readers keep in memory (metadata or a logo). */
export function isPackMetadataFile(fileName: string): boolean {
  return (PACK_METADATA_FILES as readonly string[]).includes(fileName) || LOGO_PATTERN.test(fileName);
}

/** A pack as the readers found it: its file list and the root-level small files they kept. */
export interface PackSource {
  /** Every regular file, relative to the pack root (`charts/foo.tgz`). */
  files: readonly string[];
  /** Contents of root-level metadata files and logos, by file name. */
  content: ReadonlyMap<string, Buffer>;
  /** Root-level metadata files left unread because they were over the size cap. */
  oversized?: ReadonlySet<string>;
  rootFolder?: string | null;
}

export interface PackValidationOptions extends ManifestParseOptions {
  /**
   * Check that every file named in `charts` and `kubeManifests` is present (default true).
   * Off for metadata-only trees, such as a mirror that keeps pack.json and values but not charts.
   */
  checkReferencedFiles?: boolean;
  /**
   * A values.yaml text the caller has already parsed as one YAML mapping with the same parser and
   * options (a converted Helm chart's, see helm-chart.ts): when the pack's values.yaml is exactly
   * this text it is not parsed again. Any other text is parsed as usual.
   */
  checkedValues?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The pure core of pack reading: given the files found and the small ones' bytes, apply every
 * rule (pack.json, values.yaml, presets.yaml, schema.yaml, referenced chart and manifest files,
 * logo) and return all issues. Both {@link readPackArchive} and {@link readPackDirectory} end here,
 * so an archive and a folder with the same contents give the same answer.
 */
export function validatePackContents(source: PackSource, options: PackValidationOptions = {}): PackReadResult {
  const issues: PackIssue[] = [];
  /** A root file's text; a missing file yields `missing` (if given), a bad one an issue of `severity`. */
  const text = (name: string, missing?: PackIssue, severity: PackIssue['severity'] = 'error'): string | null => {
    const report = (code: PackIssueCode, message: string): null => {
      issues.push(severity === 'error' ? packError(code, message, name) : packWarning(code, message, name));
      return null;
    };
    if (source.oversized?.has(name)) return report(PackIssueCode.PACK_FILE_TOO_LARGE, `${name} is larger than the size cap for pack metadata.`);
    const bytes = source.content.get(name);
    if (!bytes) {
      if (missing) issues.push(missing);
      return null;
    }
    try {
      return utf8.decode(bytes);
    } catch {
      return report(PackIssueCode.PACK_FILE_ENCODING, `${name} is not UTF-8 text.`);
    }
  };

  const manifestText = text('pack.json', packError(PackIssueCode.PACK_JSON_MISSING, 'The pack has no pack.json at its root.', 'pack.json'));
  const manifestResult = manifestText === null ? undefined : parsePackManifest(manifestText, options);
  if (manifestResult) issues.push(...manifestResult.issues);

  const valuesText = text('values.yaml', packError(PackIssueCode.VALUES_MISSING, 'The pack has no values.yaml at its root (it may be empty).', 'values.yaml'));
  if (valuesText !== null && valuesText !== options.checkedValues) issues.push(...parseValuesYaml(valuesText).issues);

  let presets: PackPreset[] | null = null;
  const presetsText = text('presets.yaml');
  let presetsUsable = true;
  if (presetsText !== null) {
    const parsed = parsePresetsYaml(presetsText);
    issues.push(...parsed.issues);
    presets = parsed.presets ?? null;
    presetsUsable = parsed.presets !== undefined;
  }
  if (valuesText !== null && presetsUsable) issues.push(...checkEnabledPresets(valuesText, presets));

  let schema: PackValueSchema | null = null;
  const schemaText = text('schema.yaml');
  if (schemaText !== null) {
    const parsed = parseSchemaYaml(schemaText);
    issues.push(...parsed.issues);
    schema = parsed.schema ?? null;
  }

  // A bad README never refuses a pack: it is documentation only.
  const readme = text('README.md', undefined, 'warning');

  const logo = findLogo(source.content);
  const oversizedLogo = [...(source.oversized ?? [])].find((name) => LOGO_PATTERN.test(name));
  if (!logo && oversizedLogo) {
    issues.push(packWarning(PackIssueCode.PACK_FILE_TOO_LARGE, `${oversizedLogo} is larger than the size cap and is left out.`, oversizedLogo));
  } else if (!logo) {
    issues.push(packWarning(PackIssueCode.LOGO_MISSING, 'The pack has no logo (logo.png at its root).', 'logo.png'));
  }

  const manifest = manifestResult?.manifest;
  if (manifest && options.checkReferencedFiles !== false) {
    const files = new Set(source.files);
    issues.push(...checkReferencedFiles('charts', manifest.charts, files), ...checkReferencedFiles('kubeManifests', manifest.kubeManifests, files));
  }

  if (!manifest || valuesText === null || hasErrors(issues)) return { ok: false, issues };
  const pack: ReadPack = {
    manifest,
    values: valuesText,
    presets,
    schema,
    readme,
    logo,
    files: [...source.files].sort(),
    rootFolder: source.rootFolder ?? null,
  };
  return { ok: true, pack, issues };
}

function findLogo(content: ReadonlyMap<string, Buffer>): ReadPack['logo'] {
  const candidates = [...content.keys()].filter((name) => LOGO_PATTERN.test(name));
  const rank = (name: string): number => LOGO_EXTENSIONS.indexOf(name.slice(name.lastIndexOf('.') + 1).toLowerCase());
  const best = candidates.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))[0];
  return best === undefined ? null : { fileName: best, bytes: content.get(best)! };
}

function checkReferencedFiles(key: 'charts' | 'kubeManifests', referenced: readonly string[], files: ReadonlySet<string>): PackIssue[] {
  const issues: PackIssue[] = [];
  referenced.forEach((reference, index) => {
    const at = `pack.json#/${key}/${index}`;
    const segments = reference.split('/').filter((segment) => segment !== '' && segment !== '.');
    if (reference.startsWith('/') || reference.includes('\\') || segments.includes('..') || segments.length === 0) {
      issues.push(packError(PackIssueCode.PACK_FILE_PATH_INVALID, `${key}[${index}] "${reference}" must be a path inside the pack.`, at));
    } else if (!files.has(segments.join('/'))) {
      issues.push(packError(PackIssueCode.PACK_FILE_MISSING, `${key}[${index}] names "${reference}", which the pack does not contain.`, at));
    }
  });
  return issues;
}
