/** `<name> <version>` or `NAME:VERSION` as one argument: the pack commands that name one version take either. */
import { UsageError } from '../../errors.js';
import { parseVersionedRef } from '../../refs.js';

export function nameAndVersionOf(name: string, version: string | undefined): { name: string; version: string } {
  if (version !== undefined) {
    if (name.includes(':')) throw new UsageError(`Give either NAME VERSION or NAME:VERSION, not "${name} ${version}".`);
    return parseVersionedRef(`${name}:${version}`, 'NAME VERSION');
  }
  return parseVersionedRef(name, 'NAME VERSION (or NAME:VERSION)');
}
