/** Option parsers shared by command groups: a bad value is a usage error (exit 2) from commander. */
import { InvalidArgumentError } from 'commander';

/** An option value from a fixed set, in any case. */
export function oneOf<T extends string>(name: string, values: readonly T[]) {
  return (value: string): T => {
    const upper = value.toUpperCase();
    if (!(values as readonly string[]).includes(upper)) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}.`);
    return upper as T;
  };
}

/** An integer option of at least `min`. */
export function integer(name: string, min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}.`);
    return parsed;
  };
}
