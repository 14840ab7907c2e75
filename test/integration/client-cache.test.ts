/**
 * Issue 21: a real normalising client cache (Apollo Client's InMemoryCache, no type policies, no
 * possibleTypes) against the service over HTTP. Global ids let it keep one entry per object, so a
 * `node(id:)` refetch updates every query that showed the object.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

/** Results are read as plain data here: what matters is what the cache holds. */
type Data = Record<string, any>;

const REGISTRIES = gql`
  query Registries {
    registriesConnection(first: 100) {
      edges {
        node {
          id
          name
          priority
        }
      }
    }
  }
`;

const NODE = gql`
  query Node($id: ID!) {
    node(id: $id) {
      id
      ... on Registry {
        name
        priority
      }
    }
  }
`;

const PACK = gql`
  query Pack($name: String!) {
    pack(name: $name) {
      id
      versionsConnection(first: 10) {
        edges {
          node {
            id
            version
          }
        }
      }
    }
  }
`;

const VERSION = gql`
  query Version($name: String!) {
    packVersion(name: $name, version: "1.0.0") {
      id
      digest
    }
  }
`;

describe('a normalising client cache (Apollo InMemoryCache) against the service', () => {
  let t: TestApp;
  let server: Server;
  let client: ApolloClient;

  beforeAll(async () => {
    t = await createTestApp();
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    client = new ApolloClient({
      link: new HttpLink({ uri, headers: { authorization: `Bearer ${t.adminToken}` } }),
      cache: new InMemoryCache(),
    });
  });

  afterAll(async () => {
    client.stop();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('keeps one entry per object: a node(id:) refetch updates the list that showed it', async () => {
    const name = uniqueName('cached');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name, kind: 'HOSTED', priority: 10 } });
    const listed = await client.query<Data>({ query: REGISTRIES });
    const registry = listed.data!.registriesConnection.edges.map((e: { node: { id: string; name: string } }) => e.node).find((r: { name: string }) => r.name === name);
    expect(registry).toMatchObject({ __typename: 'Registry', priority: 10 });

    // Changed behind the client's back, then refetched by id alone.
    await t.gql('mutation($n: String!) { updateRegistry(name: $n, input: { priority: 20 }) { id } }', { n: name });
    const refetched = await client.query<Data>({ query: NODE, variables: { id: registry.id }, fetchPolicy: 'network-only' });
    expect(refetched.data!.node).toMatchObject({ __typename: 'Registry', id: registry.id, name, priority: 20 });

    // The list, read from the cache without a request, shows the new priority: both answers are one entry.
    const cached = client.readQuery<Data>({ query: REGISTRIES });
    expect(cached!.registriesConnection.edges.find((e: { node: { id: string } }) => e.node.id === registry.id).node.priority).toBe(20);
    const entries = client.cache.extract() as Record<string, unknown>;
    expect(client.cache.identify({ __typename: 'Registry', id: registry.id })).toBe(`Registry:${registry.id}`);
    expect(entries[`Registry:${registry.id}`]).toMatchObject({ name, priority: 20 });
  });

  it('merges the fields two queries read of one version into one entry', async () => {
    const registry = uniqueName('cachereg');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name: registry, kind: 'HOSTED' } });
    const name = uniqueName('cachepack');
    const packJson = JSON.stringify({ name, displayName: name, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: ['charts/demo-1.0.0.tgz'] });
    expect((await pushArchive(t.app, t.adminToken, registry, buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson })))).body.errors).toBeUndefined();

    const pack = await client.query<Data>({ query: PACK, variables: { name } });
    const version = await client.query<Data>({ query: VERSION, variables: { name } });
    const id = pack.data!.pack.versionsConnection.edges[0].node.id;
    expect(version.data!.packVersion.id).toBe(id);
    const entry = (client.cache.extract() as Record<string, Record<string, unknown>>)[`PackVersion:${id}`];
    expect(entry).toMatchObject({ __typename: 'PackVersion', id, version: '1.0.0', digest: version.data!.packVersion.digest });
  });
});
