/** The application's services, built once by the composition root and shared by every request. */
import type { Config } from './config.js';
import type { Db } from './platform/database.js';
import type { ArtifactStore } from './artifacts/artifact.store.js';
import type { Logger } from './platform/logger.js';
import type { Metrics } from './platform/metrics.js';
import { SecretBox } from './platform/secret-box.js';
import { RegistryService } from './registries/registry.service.js';
import { TokenService } from './auth/token.service.js';

export interface ServiceDeps {
  config: Config;
  prisma: Db;
  artifacts: ArtifactStore;
  logger: Logger;
  metrics: Metrics;
  /** The resolved key for stored credentials (SECRET_KEY, or the embedded default's generated one). */
  secretKey: string;
}

export interface Services {
  registries: RegistryService;
  tokens: TokenService;
}

export function createServices(deps: ServiceDeps): Services {
  const policy = { allowAnonymousRead: deps.config.allowAnonymousRead };
  const secrets = new SecretBox(deps.secretKey);
  return {
    registries: new RegistryService(deps.prisma, secrets, policy),
    tokens: new TokenService(deps.prisma, { adminToken: deps.config.adminToken }),
  };
}
