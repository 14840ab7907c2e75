import { useQuery } from 'urql';
import { Link } from 'react-router-dom';
import { graphql } from '../generated/gql';
import { useTitle } from '../layout/useTitle';

const CatalogPacks = graphql(`
  query ConsoleCatalogPacks($first: Int, $after: String, $filter: PackFilter) {
    packs(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          displayName
          layer
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export function CatalogPage() {
  useTitle('Catalog');
  const [result] = useQuery({ query: CatalogPacks, variables: { first: 20 } });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Catalog</h1>
      {result.error && <p role="alert">{result.error.message}</p>}
      <ul>
        {result.data?.packs.edges.map(({ node }) => (
          <li key={node.id}>
            <Link to={`/packs/${encodeURIComponent(node.name)}`}>{node.displayName}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
