// Prisma CLI configuration. Runs the WASM schema engine bundled with `prisma` (engine: "js") so no
// native engine is ever downloaded; the in-memory PGlite adapter serves migration authoring only.
import path from 'node:path';
import { defineConfig } from 'prisma/config';

process.env.DATABASE_URL ??= 'postgresql://unused@localhost/unused';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    const { createPgliteMigrationAdapter } = await import('./scripts/pglite-migration-adapter.js');
    return createPgliteMigrationAdapter();
  },
});
