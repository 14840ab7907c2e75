/**
 * What `packctl profile validate` prints for people: for a valid profile, what every layer's
 * reference resolved to and the order Palette installs them in; for any profile, its issues; and
 * one closing line with the verdict (the exit status says it again, so no `error:` line follows).
 */
import type { ValidateProfileQuery } from '../../generated/graphql.js';
import { formatIssues, formatTable, shortDigest } from '../../output.js';
import type { ProfileInput } from '../../profile-file.js';

export type ProfileValidation = ValidateProfileQuery['validateProfile'];

export function formatValidation(label: string, input: ProfileInput, validation: ProfileValidation): string {
  const errors = validation.issues.filter((issue) => issue.severity === 'ERROR').length;
  const warnings = validation.issues.length - errors;
  const sections: string[] = [];
  if (validation.valid) {
    sections.push(
      formatTable(validation.resolvedLayers, [
        { header: 'layer', value: (l) => l.layerIndex },
        { header: 'pack', value: (l) => l.pack },
        { header: 'reference', value: (l) => input.layers[l.layerIndex]?.version },
        { header: 'resolved', value: (l) => l.version },
        { header: 'registry', value: (l) => l.registry },
        { header: 'digest', value: (l) => shortDigest(l.digest) },
      ]),
      `install order: ${validation.installOrder.map((step) => step.pack).join(' -> ')}`,
    );
  }
  if (validation.issues.length > 0) sections.push(formatIssues(validation.issues));
  sections.push(
    validation.valid
      ? `${label} is valid${warnings > 0 ? ` (${warnings} warning(s))` : ''}.`
      : `${label} is not valid: ${errors} error(s), ${warnings} warning(s).`,
  );
  return sections.join('\n\n');
}
