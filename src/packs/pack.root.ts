/**
 * Where the pack sits in an archive's file list: the one home of this rule, used by the pack
 * reader (what the server accepts) and by `packctl pack pull` (what it puts at DEST's root).
 */
import { PackIssueCode, packError } from './pack.issues.js';
import type { PackIssue } from './pack.types.js';

export interface PackRoot {
  /** `''` (pack.json at the root), `NAME-VERSION/`, or null when the archive holds several packs. */
  prefix: string | null;
  issues: PackIssue[];
}

/** `''` when pack.json is at the root, `NAME-VERSION/` when it is in the one top folder holding one. */
export function findPackRoot(files: readonly string[]): PackRoot {
  if (files.includes('pack.json')) return { prefix: '', issues: [] };
  const withPackJson = files.filter((file) => /^[^/]+\/pack\.json$/.test(file)).map((file) => file.slice(0, file.indexOf('/') + 1));
  if (withPackJson.length === 1) return { prefix: withPackJson[0], issues: [] };
  if (withPackJson.length > 1) {
    return {
      prefix: null,
      issues: [
        packError(
          PackIssueCode.PACK_ROOT_AMBIGUOUS,
          `The archive holds several pack folders (${withPackJson.map((p) => p.slice(0, -1)).join(', ')}); push one pack per archive.`,
        ),
      ],
    };
  }
  // No pack.json anywhere: report the missing files against the one top folder if there is one.
  const tops = new Set(files.map((file) => (file.includes('/') ? file.slice(0, file.indexOf('/') + 1) : '')));
  return { prefix: tops.size === 1 ? [...tops][0] : '', issues: [] };
}
