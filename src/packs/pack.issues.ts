import type { PackIssue } from './pack.types.js';

/**
 * Every issue code the pack-format module reports. The strings are part of the API contract
 * (clients match on them), so add codes freely but never rename one.
 */
export const PackIssueCode = {
  // Reading
  PACK_UNREADABLE: 'PACK_UNREADABLE',
  ARCHIVE_NOT_GZIP: 'ARCHIVE_NOT_GZIP',
  ARCHIVE_CORRUPT: 'ARCHIVE_CORRUPT',
  ARCHIVE_PATH_TRAVERSAL: 'ARCHIVE_PATH_TRAVERSAL',
  ARCHIVE_PATH_INVALID: 'ARCHIVE_PATH_INVALID',
  ARCHIVE_LINK: 'ARCHIVE_LINK',
  ARCHIVE_DEVICE: 'ARCHIVE_DEVICE',
  ARCHIVE_UNSUPPORTED_ENTRY: 'ARCHIVE_UNSUPPORTED_ENTRY',
  ARCHIVE_TOO_MANY_ENTRIES: 'ARCHIVE_TOO_MANY_ENTRIES',
  ARCHIVE_TOO_LARGE: 'ARCHIVE_TOO_LARGE',
  ARCHIVE_TRAILING_DATA: 'ARCHIVE_TRAILING_DATA',
  ARCHIVE_EXTRACT_FAILED: 'ARCHIVE_EXTRACT_FAILED',
  ARCHIVE_EXTRA_FILES: 'ARCHIVE_EXTRA_FILES',
  PACK_ROOT_AMBIGUOUS: 'PACK_ROOT_AMBIGUOUS',
  // Files of the pack
  PACK_JSON_MISSING: 'PACK_JSON_MISSING',
  VALUES_MISSING: 'VALUES_MISSING',
  PACK_FILE_MISSING: 'PACK_FILE_MISSING',
  PACK_FILE_PATH_INVALID: 'PACK_FILE_PATH_INVALID',
  PACK_FILE_TOO_LARGE: 'PACK_FILE_TOO_LARGE',
  PACK_FILE_ENCODING: 'PACK_FILE_ENCODING',
  LOGO_MISSING: 'LOGO_MISSING',
  // pack.json
  PACK_JSON_INVALID: 'PACK_JSON_INVALID',
  PACK_JSON_SCHEMA: 'PACK_JSON_SCHEMA',
  PACK_NAME_INVALID: 'PACK_NAME_INVALID',
  VERSION_LEADING_V: 'VERSION_LEADING_V',
  VERSION_INVALID: 'VERSION_INVALID',
  /** Allowed characters, but no version number (`not-a-version`): refused on push, a warning on sync (never `latest`). */
  VERSION_NOT_A_VERSION: 'VERSION_NOT_A_VERSION',
  DEPENDENCY_TYPE_MISSING: 'DEPENDENCY_TYPE_MISSING',
  // values.yaml, presets.yaml, schema.yaml
  VALUES_INVALID_YAML: 'VALUES_INVALID_YAML',
  VALUES_NOT_MAPPING: 'VALUES_NOT_MAPPING',
  PRESETS_INVALID_YAML: 'PRESETS_INVALID_YAML',
  PRESETS_SHAPE: 'PRESETS_SHAPE',
  PRESETS_DUPLICATE: 'PRESETS_DUPLICATE',
  PRESET_ADD_INVALID_YAML: 'PRESET_ADD_INVALID_YAML',
  PRESET_ENABLED_UNKNOWN: 'PRESET_ENABLED_UNKNOWN',
  SCHEMA_INVALID_YAML: 'SCHEMA_INVALID_YAML',
  SCHEMA_SHAPE: 'SCHEMA_SHAPE',
  SCHEMA_EXPRESSION: 'SCHEMA_EXPRESSION',
} as const;
export type PackIssueCode = (typeof PackIssueCode)[keyof typeof PackIssueCode];

/** An issue that refuses the pack. */
export function packError(code: PackIssueCode, message: string, path?: string): PackIssue {
  return path === undefined ? { code, severity: 'error', message } : { code, severity: 'error', message, path };
}

/** An issue that is reported while the pack is kept. */
export function packWarning(code: PackIssueCode, message: string, path?: string): PackIssue {
  return path === undefined ? { code, severity: 'warning', message } : { code, severity: 'warning', message, path };
}

export function hasErrors(issues: readonly PackIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/** A JSON Pointer segment (`a/b` -> `a~1b`), so keys with slashes stay addressable in issue paths. */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}
