/**
 * The upgrade plan to the newest versions: proposeProfile (policy NEWEST) with the draft's packs
 * fixed but their versions open, compared with what they resolve to now; for a saved profile whose
 * Kubernetes minor would move, profileUpgradeSteps climbs one minor at a time (the version skew
 * policy) and lists the layers that move together at each step.
 */
import { useState } from 'react';
import { useClient } from 'urql';
import type { ComposerProposeQuery, ComposerUpgradeStepsQuery, ProfileType } from '../generated/graphql';
import type { Resolved } from './LayerCard';
import { ComposerPropose, ComposerUpgradeSteps } from './queries';

interface Props {
  cloudType: string;
  type: ProfileType;
  packs: Array<{ pack: string; registry: string | null }>;
  resolved: Resolved[];
  saved: { name: string; version: string } | null;
  onApply(versions: Map<string, string>): void;
}

type Proposal = ComposerProposeQuery['proposeProfile'];
type Steps = ComposerUpgradeStepsQuery['profileUpgradeSteps'];

const minor = (v: string | undefined) => (v ? /^v?(\d+\.\d+)/.exec(v)?.[1] : undefined);

export function UpgradePanel({ cloudType, type, packs, resolved, saved, onApply }: Props) {
  const client = useClient();
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [steps, setSteps] = useState<Steps | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const plan = async () => {
    setBusy(true);
    setError(null);
    setSteps(null);
    try {
      const answer = await client
        .query(
          ComposerPropose,
          { input: { cloudType, type, policy: 'NEWEST', layers: packs.map((p) => ({ pack: p.pack, ...(p.registry ? { registry: p.registry } : {}) })) } },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      if (answer.error) throw new Error(answer.error.graphQLErrors[0]?.message ?? answer.error.message);
      const next = answer.data!.proposeProfile;
      setProposal(next);
      const nowK8s = minor(resolved.find((r) => r.layer === 'K8S')?.version);
      const newK8s = minor(next.profile?.layers.find((l) => l.layer === 'K8S')?.version);
      if (saved && nowK8s && newK8s && newK8s !== nowK8s) {
        const stepped = await client.query(ComposerUpgradeSteps, { ...saved, toKubernetes: newK8s }, { requestPolicy: 'network-only' }).toPromise();
        if (stepped.data) setSteps(stepped.data.profileUpgradeSteps);
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const now = new Map(resolved.map((r) => [r.pack, r.version]));
  const rows = proposal?.profile?.layers ?? [];
  const moving = rows.filter((l) => now.get(l.pack) !== l.version);

  return (
    <section className="upgrade card" aria-labelledby="upgrade-title">
      <h2 id="upgrade-title">Upgrade plan</h2>
      <p className="muted small">The newest versions of these packs that still fit together and the cloud type.</p>
      <button type="button" className="button secondary" onClick={plan} disabled={busy || !packs.length}>
        {busy ? 'Planning…' : 'Plan upgrade to the newest versions'}
      </button>
      {error && <p className="alert error">{error}</p>}
      {proposal?.explanation && (
        <p className="alert warn">
          No set of newer versions fits: {proposal.explanation.text}
        </p>
      )}
      {proposal?.profile && (
        <>
          {moving.length === 0 ? (
            <p className="alert ok">Every layer is already at the newest version that fits.</p>
          ) : (
            <div className="table-scroll">
              <table className="upgrade-table">
                <thead>
                  <tr>
                    <th scope="col">Pack</th>
                    <th scope="col">Now</th>
                    <th scope="col">Newest that fits</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((l) => (
                    <tr key={l.pack} className={now.get(l.pack) !== l.version ? 'moves' : undefined}>
                      <td>
                        {l.pack}
                        {l.origin === 'REQUIRED' ? <span className="muted"> (required by another layer)</span> : null}
                      </td>
                      <td>{now.get(l.pack) ?? '—'}</td>
                      <td>{l.version}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {moving.length > 0 && (
            <button type="button" className="button small" onClick={() => onApply(new Map(rows.map((l) => [l.pack, l.version])))}>
              Use these versions
            </button>
          )}
        </>
      )}
      {steps && (
        <>
          <h3>
            Kubernetes {steps.fromKubernetes} to {steps.toKubernetes}, one minor at a time
          </h3>
          <ol className="upgrade-steps">
            {steps.steps.map((s) => (
              <li key={s.kubernetes}>
                <strong>{s.kubernetes}</strong>:{' '}
                {s.proposal.explanation
                  ? s.proposal.explanation.text
                  : s.moves.map((m) => `${m.pack} ${m.fromVersion} → ${m.toVersion}`).join(', ') || 'no layer moves'}
              </li>
            ))}
          </ol>
          {!steps.complete && <p className="alert warn">The plan stops before {steps.toKubernetes}.</p>}
        </>
      )}
    </section>
  );
}
