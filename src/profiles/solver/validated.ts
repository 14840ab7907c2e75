/**
 * Solve, then check the answer with the real validation: a version validation refuses for a
 * reason the solver does not model (its own values break its schema, a macro names a pack the
 * profile lacks) is ruled out with that reason and the solver runs again. So a proposal never
 * carries an ERROR, and a request that fails this way is explained with the refusal as a fact.
 */
import type { ProfileValidationResult } from '../profile.model.js';
import { solve } from './index.js';
import { candidateKey, type SolveRequest, type SolveResult, type SolvedLayer, type SolverCatalog } from './solver.model.js';

/** Validation refusals followed by another solve, at most (each rules one more version out). */
export const MAX_REFUSALS = 8;

export type ValidatedResult =
  | { ok: true; layers: SolvedLayer[]; validation: ProfileValidationResult }
  | (Extract<SolveResult, { ok: false }> & { validation?: undefined });

export async function solveValidated(
  request: SolveRequest,
  catalog: SolverCatalog,
  validate: (layers: SolvedLayer[]) => Promise<ProfileValidationResult> | ProfileValidationResult,
): Promise<ValidatedResult> {
  const excluded = new Map(request.excluded ?? []);
  for (let attempt = 0; ; attempt++) {
    const result = solve({ ...request, excluded }, catalog);
    if (!result.ok) return result;
    const validation = await validate(result.layers);
    const refused = validation.issues.filter((i) => i.severity === 'ERROR' && i.layerIndex !== undefined);
    if (refused.length === 0 || attempt >= MAX_REFUSALS) return { ok: true, layers: result.layers, validation };
    for (const issue of refused) {
      const layer = result.layers[issue.layerIndex!];
      if (!excluded.has(candidateKey(layer))) excluded.set(candidateKey(layer), `${issue.code}: ${issue.message}`);
    }
  }
}
