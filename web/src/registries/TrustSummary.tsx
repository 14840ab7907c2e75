/** A registry's trust policy in brief: whether signatures are enforced, and the names of its keys. */
import { useQuery } from 'urql';
import { ApiErrorAlert } from '../lib/api-error';
import { RegistryTrust } from './queries';
import { formatTime } from './registry-format';

const ENFORCE_TEXT = {
  NONE: 'No signature is checked.',
  WARN: 'An unsigned version is accepted with a warning.',
  REQUIRE: 'A version needs a valid signature from one of these keys.',
} as const;

export function TrustSummary({ registry }: { registry: string }) {
  const [result] = useQuery({ query: RegistryTrust, variables: { name: registry } });
  const policy = result.data?.trustPolicy;
  return (
    <section className="card" aria-labelledby="trust-title">
      <h2 id="trust-title">Trust policy</h2>
      <ApiErrorAlert error={result.error} />
      {!policy && result.fetching && <p aria-live="polite">Loading…</p>}
      {policy && (
        <>
          <p>
            <span className={policy.enforce === 'REQUIRE' ? 'badge ok' : policy.enforce === 'WARN' ? 'badge warn' : 'badge'}>{policy.enforce}</span>{' '}
            {ENFORCE_TEXT[policy.enforce]}
          </p>
          {policy.keys.length === 0 ? (
            <p className="muted small">No trusted key.</p>
          ) : (
            <ul className="key-list" aria-label="Trusted keys">
              {policy.keys.map((k) => (
                <li key={k.name}>
                  <code>{k.name}</code> <span className="muted small">{k.algorithm}</span>
                </li>
              ))}
            </ul>
          )}
          {policy.updatedAt && (
            <p className="muted small">
              Set {formatTime(policy.updatedAt)}
              {policy.updatedBy ? ` by ${policy.updatedBy}` : ''}
            </p>
          )}
        </>
      )}
    </section>
  );
}
