/**
 * The web console's build: `npx vite build --config web/vite.config.ts` writes web/dist, which the
 * service serves at `/`. Hashed file names under assets/ let the service cache them for a year.
 * JSX is compiled by Vite's own oxc transform (no @vitejs/plugin-react: its peer range excludes
 * Vite 8), with React's automatic runtime so components need no `import React`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline data: URLs for small assets: the CSP allows our own origin only.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Router's "use client" marks server-component boundaries; a client-only bundle has none.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development, with the service on :4000.
    proxy: {
      // ws: the live views' subscriptions (graphql-ws) share the /graphql path.
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/session': 'http://127.0.0.1:4000',
      '/artifacts': 'http://127.0.0.1:4000',
    },
  },
});
