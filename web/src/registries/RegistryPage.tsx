/** Placeholder: the Registry page is being built (issue 15). */
import { useTitle } from '../layout/useTitle';

export function RegistryPage() {
  useTitle('Registry');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Registry</h1>
      <p>This page is coming soon.</p>
    </section>
  );
}
