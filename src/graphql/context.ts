/**
 * The per-request GraphQL context: a leaf type that imports no feature.
 *
 * What the features put in it is declared by the features themselves, through module augmentation
 * of the three interfaces below (see `src/catalog/index.ts`): a feature adds its services to
 * `ContextServices`, its per-request DataLoaders to `ContextLoaders`, and `auth` adds `principal`
 * to `Context`. Resolvers stay type-safe (`ctx.services.profiles` is a `ProfileService`), this
 * folder stays below the features, and the composition root (`src/app/context.ts`) is the only
 * place that fills the bags; the compiler checks that it fills every declared member.
 */
import type { Logger } from '../platform/logger.js';

/** Services shared by every request, one key per feature service (augmented by the features). */
export interface ContextServices {}

/** DataLoaders built fresh for each request and its caller (augmented by the features). */
export interface ContextLoaders {}

export interface Context {
  requestId: string;
  logger: Logger;
  /** This service's URL as the caller reached it (PUBLIC_URL when set), for download links. */
  baseUrl: string;
  /** Aborts when the client leaves before its answer or the service shuts down: long work (archive reads) listens to it. */
  signal: AbortSignal;
  services: ContextServices;
  /** Never shared across requests: a shared loader would leak one caller's view to another. */
  loaders: ContextLoaders;
  // `principal` (who calls) is added by src/auth/index.ts.
}
