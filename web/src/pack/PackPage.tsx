import { useParams } from 'react-router-dom';
import { useTitle } from '../layout/useTitle';

export function PackPage() {
  const { name = '' } = useParams();
  useTitle(name);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{name}</h1>
    </section>
  );
}
