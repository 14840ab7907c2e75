/**
 * The audit feature as the composition root sees it: its resolvers, the plugin that records every
 * mutation, and what it adds to the GraphQL context (src/graphql/context.ts).
 */
import type { AuditService } from './audit.service.js';
import { AuditEventResolver, AuditResolver } from './audit.resolver.js';

export { auditPlugin } from './audit.plugin.js';

export const auditResolvers = [AuditResolver, AuditEventResolver] as const;
export { auditNodeTypes } from './audit.resolver.js';

declare module '../graphql/context.js' {
  interface ContextServices {
    audit: AuditService;
  }
}
