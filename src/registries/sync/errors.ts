/** How a sync run tells its errors apart: the ones it explains to the user, and the ones it keeps internal. */
import { isDomainError } from '../../errors.js';
import { errorMessage } from '../adapters/support.js';
import { LeaseLostError } from './lease.js';

/** The reason a run is aborted with when the service shuts down. */
export class EngineStoppingError extends Error {
  constructor() {
    super('The service stopped during the sync; the next run will pick up from here.');
  }
}

/** An error whose message is written for users (a domain error, a lost lease, a shutdown); anything else is logged. */
export function isExplainedError(error: unknown): boolean {
  return isDomainError(error) || error instanceof LeaseLostError || error instanceof EngineStoppingError;
}

/** A message fit for a run or item error: explained errors say what happened; anything else stays internal. */
export function describeError(error: unknown): string {
  if (isExplainedError(error)) return errorMessage(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return `Unexpected error${code ? ` (${code})` : ''}; see the service log.`;
}
