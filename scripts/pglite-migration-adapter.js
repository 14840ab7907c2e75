// Migration authoring only (prisma migrate diff): an in-memory PGlite behind Prisma's driver
// adapter interface. Scripts and argument-less raw SQL go through PGlite.exec() (the simple
// protocol); the extended protocol refuses multi-statement migrations with P3006.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaPGlite } from 'pglite-prisma-adapter';

function routeScriptsThroughExec(adapter, client) {
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeScript = async (script) => {
    await client.exec(script);
  };
  adapter.executeRaw = async (query) => {
    if (query.args && query.args.length > 0) return executeRaw(query);
    const results = await client.exec(query.sql);
    return results.reduce((sum, r) => sum + (r.affectedRows ?? 0), 0);
  };
  adapter.queryRaw = async (query) => queryRaw(query);
  return adapter;
}

export function createPgliteMigrationAdapter() {
  // The migrations create the pg_trgm extension (the search indexes): PGlite has it when loaded.
  const main = new PGlite('memory://', { extensions: { pg_trgm } });
  const factory = new PrismaPGlite(main);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      return routeScriptsThroughExec(await factory.connect(), main);
    },
    async connectToShadowDb() {
      const shadow = new PGlite('memory://', { extensions: { pg_trgm } });
      const shadowFactory = new PrismaPGlite(shadow);
      return routeScriptsThroughExec(await shadowFactory.connect(), shadow);
    },
  };
}
