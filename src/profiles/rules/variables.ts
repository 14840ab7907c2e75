/** Profile variable definitions: names, formats, regexes, defaults and options (VARIABLE_INVALID). */

import type { ProfileVariableDraft } from '../profile.model.js';
import { PROFILE_VARIABLE_FORMATS } from '../profile.model.js';
import type { IssueSink } from './layer-context.js';
import { checkPlaceholder, compileRe2 } from './value-schema/index.js';

const VARIABLE_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

export function checkVariables(variables: readonly ProfileVariableDraft[], add: IssueSink): void {
  const seen = new Set<string>();
  for (const variable of variables) {
    const name = variable.name;
    const invalid = (message: string): void =>
      add({ code: 'VARIABLE_INVALID', severity: 'ERROR', path: name, message: `variable "${name}": ${message}` });
    if (!VARIABLE_NAME_PATTERN.test(name)) invalid('a name holds letters, digits, "_" and "-" only');
    if (seen.has(name)) invalid('defined more than once');
    seen.add(name);
    const format = (variable.format ?? 'string').trim().toLowerCase();
    const knownFormat = (PROFILE_VARIABLE_FORMATS as readonly string[]).includes(format);
    if (!knownFormat) invalid(`unknown format "${variable.format}" (one of ${PROFILE_VARIABLE_FORMATS.join(', ')})`);
    let regex: RegExp | null = null;
    if (variable.regex) {
      try {
        regex = compileRe2(variable.regex);
      } catch {
        invalid(`regex /${variable.regex}/ is not a valid regular expression`);
      }
    }
    const hasDefault = variable.default !== null && variable.default !== undefined && variable.default !== '';
    if ((variable.hidden || variable.readonly) && variable.required && !hasDefault) {
      invalid(`a ${variable.hidden ? 'hidden' : 'read-only'} required variable needs a default, since nobody can enter it`);
    }
    if (!hasDefault) continue;
    const value = variable.default as string;
    if (knownFormat) {
      const problem = checkPlaceholder(format, undefined, value);
      if (problem) invalid(`default ${JSON.stringify(value)} ${problem}`);
    }
    if (regex && !regex.test(value)) invalid(`default ${JSON.stringify(value)} does not match /${variable.regex}/`);
    const options = variable.options ?? [];
    if (options.length > 0 && !options.includes(value)) {
      invalid(`default ${JSON.stringify(value)} is not one of its options (${options.join(', ')})`);
    }
  }
}
