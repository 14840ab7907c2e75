/** Placeholder: the Admin page is being built (issue 15). */
import { useTitle } from '../layout/useTitle';

export function AdminPage() {
  useTitle('Admin');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Admin</h1>
      <p>This page is coming soon.</p>
    </section>
  );
}
