/** Global ids: the encoding, what is refused, and that every Node type has a way back through node(id:). */
import 'reflect-metadata';
import { fromGlobalId, keyOfGlobalId, NODE_TYPENAMES, toGlobalId } from '../../../src/graphql/node.js';
import { buildGraphQLSchema } from '../../../src/app/schema.js';
import { catalogNodeTypes } from '../../../src/catalog/index.js';
import { registryNodeTypes } from '../../../src/registries/index.js';
import { authNodeTypes } from '../../../src/auth/index.js';
import { auditNodeTypes } from '../../../src/audit/index.js';
import { profileNodeTypes } from '../../../src/profiles/index.js';
import { eventNodeTypes } from '../../../src/events/index.js';
import { webhookNodeTypes } from '../../../src/webhooks/index.js';
import { InvalidInputError } from '../../../src/errors.js';

describe('global ids', () => {
  it('round-trip type and key, and differ across types for the same key', () => {
    const key = '0b7d2c1e-8f7a-4c55-9a51-3a4c3e2d1f00';
    const id = toGlobalId('Registry', key);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromGlobalId(id)).toEqual({ typename: 'Registry', key });
    expect(toGlobalId('SyncRun', key)).not.toBe(id);
    expect(fromGlobalId(toGlobalId('Pack', 'team/cert-manager'))).toEqual({ typename: 'Pack', key: 'team/cert-manager' });
  });

  it('refuses text it did not make', () => {
    for (const text of ['', 'abc', 'not an id', Buffer.from('Nope:1').toString('base64url'), Buffer.from('Pack:').toString('base64url'), `${toGlobalId('Pack', 'x')}=`]) {
      expect(fromGlobalId(text)).toBeNull();
    }
    expect(() => keyOfGlobalId(toGlobalId('Pack', 'x'), 'ApiToken', 'id')).toThrow(InvalidInputError);
    expect(keyOfGlobalId('bare', 'ApiToken', 'id', () => true)).toBe('bare');
  });

  it('the schema, the list of Node types and the features that refetch them agree', async () => {
    const schema = await buildGraphQLSchema();
    const node = schema.getType('Node');
    const implementations = schema.getPossibleTypes(node as never).map((t) => t.name).sort();
    expect(implementations).toEqual([...NODE_TYPENAMES].sort());
    const fetchers = [...catalogNodeTypes, ...registryNodeTypes, ...authNodeTypes, ...auditNodeTypes, ...profileNodeTypes, ...eventNodeTypes, ...webhookNodeTypes].map((t) => t.typename).sort();
    expect(fetchers).toEqual([...NODE_TYPENAMES].sort());
  });
});
