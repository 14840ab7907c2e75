/**
 * Issue 21: the API contract. graphql/schema.graphql must not break the released schema (this test
 * is how `npm test`, and so CI, runs the check); planted changes show what fails and what passes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSchemaContract, releasedSchema, removalDateOf } from '../../scripts/schema-check.lib.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const current = readFileSync(path.join(root, 'graphql/schema.graphql'), 'utf8');
const NOW = new Date('2026-11-26T12:00:00Z');

describe('the schema contract', () => {
  it('graphql/schema.graphql breaks nothing the released schema promised', async () => {
    const released = releasedSchema(root);
    const result = await checkSchemaContract(released.sdl, current);
    expect(result.breaking).toEqual([]);
  });

  it('fails on a planted breaking change (a field removed without notice, a result made nullable), not on a result made required', async () => {
    const planted = current.replace(/\n  """Who the caller is; null when anonymous\."""\n  me: Principal\n/, '\n').replace('registry(name: String!): Registry\n', 'registry(name: String!): Registry!\n');
    expect(planted).not.toBe(current);
    const result = await checkSchemaContract(current, planted, NOW);
    expect(result.breaking.map((p) => p.path).sort()).toEqual(['Query.me']);
    // Making a result required is safe for clients (they already handle a value); the other way is not.
    const loosened = current.replace('  id: ID!\n  lastUsedAt: DateTime', '  id: ID\n  lastUsedAt: DateTime');
    expect((await checkSchemaContract(current, loosened, NOW)).breaking.map((p) => p.path)).toEqual(['ApiToken.id']);
  });

  it('passes an additive change: a new type, field and optional argument', async () => {
    const added = current
      .replace('type Query {\n', 'type Query {\n  """New."""\n  gadgets(first: Int): [Gadget!]!\n')
      .concat('\ntype Gadget {\n  id: ID!\n  url: String!\n}\n');
    const result = await checkSchemaContract(current, added, NOW);
    expect(result.breaking).toEqual([]);
    expect(result.changes.map((c) => c.path)).toEqual(expect.arrayContaining(['Query.gadgets', 'Gadget']));
  });

  describe('removals announced by a dated deprecation', () => {
    const released = `
      type Query {
        old: [Thing!]! @deprecated(reason: "Use things; removal on 2026-11-01.")
        soon: Int @deprecated(reason: "Use later; removal on 2027-03-01.")
        undated: Int @deprecated(reason: "Use something else.")
        things(first: Int, legacy: Boolean @deprecated(reason: "removal on 2026-10-01")): [Int!]!
        kind: Kind
      }
      enum Kind { A B @deprecated(reason: "removal on 2026-10-01") }
      type Thing { id: ID! }
    `;

    it('allows the removal once the date has come, with a type only that field reached', async () => {
      const removed = released.replace(/old: .*\n/, '').replace(/type Thing .*\n/, '').replace(', legacy: Boolean @deprecated(reason: "removal on 2026-10-01")', '').replace(' B @deprecated(reason: "removal on 2026-10-01")', '');
      const result = await checkSchemaContract(released, removed, NOW);
      expect(result.breaking).toEqual([]);
      expect(result.announcedRemovals.map((r) => r.path).sort()).toEqual(['Kind.B', 'Query.old', 'Query.things.legacy', 'Thing']);
    });

    it('refuses it before the date, and without a date', async () => {
      const early = await checkSchemaContract(released, released.replace(/soon: .*\n/, ''), NOW);
      expect(early.breaking.map((p) => p.path)).toEqual(['Query.soon']);
      expect((await checkSchemaContract(released, released.replace(/soon: .*\n/, ''), new Date('2027-03-01T00:00:00Z'))).breaking).toEqual([]);
      const undated = await checkSchemaContract(released, released.replace(/undated: .*\n/, ''), NOW);
      expect(undated.breaking.map((p) => p.path)).toEqual(['Query.undated']);
    });

    it('reads the date from the reason', () => {
      expect(removalDateOf('Use versionsConnection (paged); removal on 2027-03-01.')).toBe('2027-03-01');
      expect(removalDateOf('Use something else.')).toBeNull();
    });
  });

  it('every deprecation in the schema says when it goes', () => {
    const reasons = [...current.matchAll(/@deprecated\(reason: "([^"]*)"\)/g)].map((m) => m[1]);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.filter((r) => removalDateOf(r) === null)).toEqual([]);
  });
});
