import { Link } from 'react-router-dom';
import { useTitle } from './useTitle';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <section aria-labelledby="nf-title">
      <h1 id="nf-title">Page not found</h1>
      <p>
        Nothing lives at this address. <Link to="/">Back to the catalog</Link>.
      </p>
    </section>
  );
}
