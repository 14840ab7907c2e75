import { readFile } from 'node:fs/promises';
import { printGraphQLSchema } from '../../src/app/print-schema.js';

describe('graphql/schema.graphql', () => {
  it('is what the code emits (run `npm run schema` after an API change)', async () => {
    const committed = await readFile(new URL('../../graphql/schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(await printGraphQLSchema());
  });

  it('keeps the names of the API contract', async () => {
    const sdl = await printGraphQLSchema();
    for (const name of ['registries: [Registry!]!', 'registry(name: String!): Registry', 'me: Principal', 'createApiToken(']) {
      expect(sdl).toContain(name);
    }
  });
});
