/** Placeholder: the Registries page is being built (issue 15). */
import { useTitle } from '../layout/useTitle';

export function RegistriesPage() {
  useTitle('Registries');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Registries</h1>
      <p>This page is coming soon.</p>
    </section>
  );
}
