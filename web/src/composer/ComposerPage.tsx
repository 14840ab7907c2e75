/** Placeholder: the Profile composer page is being built (issue 15). */
import { useTitle } from '../layout/useTitle';

export function ComposerPage() {
  useTitle('Profile composer');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Profile composer</h1>
      <p>This page is coming soon.</p>
    </section>
  );
}
