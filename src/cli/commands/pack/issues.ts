import type { PackIssue } from '../../../packs/pack.types.js';
import type { CliIssue } from '../../errors.js';

/** A local pack reader's issue as packctl prints it (the shape, and severity spelling, the server's issues have). */
export function toCliIssue(issue: PackIssue): CliIssue {
  return { code: issue.code, severity: issue.severity.toUpperCase(), path: issue.path ?? null, message: issue.message };
}
