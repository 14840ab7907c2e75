/**
 * The profile composer (issue 15, page 4): `/profiles/new` starts blank, `/profiles/:name/:version`
 * from a saved version. Layers are added by type in Palette's order, each with a pack and version
 * from the catalog and its values in a code editor; the draft is validated as the user types
 * (validateProfile, debounced) and every issue is shown on its layer and line. Save, export for
 * `packctl profile apply`, "Propose" to fill open layers, and the upgrade plan to the newest versions.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { useClient, useQuery } from 'urql';
import { useDebounced } from '../catalog/useDebounced';
import type { Layer, ProfileType } from '../generated/graphql';
import { useTitle } from '../layout/useTitle';
import {
  addLayer,
  blankDraft,
  CLOUD_TYPES,
  draftVariableOf,
  emptyLayer,
  LAYER_KINDS,
  moveLayer,
  newKey,
  PROFILE_TYPES,
  profileInputOf,
  sentIndexes,
  type Draft,
  type DraftLayer,
} from './draft';
import { LayerCard, type Issue } from './LayerCard';
import { ProfilePicker } from './ProfilePicker';
import { ComposerProfile, ComposerPropose, ComposerValidate } from './queries';
import { SavePanel } from './SavePanel';
import { UpgradePanel } from './UpgradePanel';
import { ValidationSummary } from './ValidationSummary';
import { VariablesEditor } from './VariablesEditor';
import './composer.css';

const VALIDATE_AFTER_MS = 400;

/**
 * One composer per route: another profile (or a blank one) starts from a fresh state, except when
 * the route changed because this composer saved its draft (navigation state `saved`).
 */
export function ComposerPage() {
  const location = useLocation();
  const key = useRef(location.key);
  if (!(location.state as { saved?: boolean } | null)?.saved) key.current = location.key;
  return <Composer key={key.current} />;
}

function Composer() {
  const params = useParams();
  const navigate = useNavigate();
  const client = useClient();
  const routeKey = params.name && params.version ? `${params.name}@${params.version}` : 'new';
  useTitle(params.name ? `Profile ${params.name} ${params.version}` : 'New profile');

  const [draft, setDraft] = useState<Draft>(blankDraft);
  const latest = useRef(draft);
  latest.current = draft;
  const [loadedFrom, setLoadedFrom] = useState<{ name: string; version: string } | null>(null);
  // Set when this page saved the version the route now names: no reload of what is on screen.
  const justSaved = useRef<string | null>(null);

  const [saved] = useQuery({
    query: ComposerProfile,
    variables: { name: params.name ?? '', version: params.version },
    pause: !params.name || justSaved.current === routeKey,
    requestPolicy: 'network-only',
  });
  useEffect(() => {
    const p = saved.data?.profile;
    if (!p || justSaved.current === routeKey) return;
    setDraft({
      name: p.name,
      version: p.version,
      type: p.type,
      cloudType: p.cloudType,
      description: p.description ?? '',
      layers: p.layers.map((l) => ({
        ...emptyLayer((l.resolved?.layer ?? 'ADDON') as Layer),
        pack: l.pack,
        version: l.version,
        registry: l.registry ?? null,
        presets: l.presets ?? null,
        pending: { values: l.values ?? null, valuesOverride: l.valuesOverride ?? null },
      })),
      // Carried through the draft so a new version saved from this one keeps them.
      variables: p.variables.map(draftVariableOf),
    });
    setLoadedFrom({ name: p.name, version: p.version });
  }, [saved.data, routeKey]);

  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const updateLayer = (key: string, patch: Partial<DraftLayer>) =>
    setDraft((d) => ({ ...d, layers: d.layers.map((l) => (l.key === key ? { ...l, ...patch } : l)) }));

  // Keyboard: after a move the focus stays on the moved layer's button; after an add, on its pack search.
  const focusNext = useRef<{ key: string; target: 'up' | 'down' | 'search' } | null>(null);
  useEffect(() => {
    const want = focusNext.current;
    if (!want) return;
    focusNext.current = null;
    const card = document.querySelector(`[data-key="${want.key}"]`);
    if (!card) return;
    if (want.target === 'search') (card.querySelector('input[type="search"]') as HTMLElement | null)?.focus();
    else {
      const button = card.querySelector(`[data-move="${want.target}"]`) as HTMLButtonElement | null;
      const other = card.querySelector(`[data-move="${want.target === 'up' ? 'down' : 'up'}"]`) as HTMLButtonElement | null;
      (button && !button.disabled ? button : other)?.focus();
    }
  });
  const add = (layer: Layer) => {
    const fresh = emptyLayer(layer);
    focusNext.current = { key: fresh.key, target: 'search' };
    setDraft((d) => ({ ...d, layers: addLayer(d.layers, fresh) }));
  };
  const move = (index: number, by: -1 | 1) => {
    focusNext.current = { key: draft.layers[index].key, target: by < 0 ? 'up' : 'down' };
    setDraft((d) => ({ ...d, layers: moveLayer(d.layers, index, by) }));
  };
  const remove = (index: number) => {
    const neighbour = draft.layers[index + 1] ?? draft.layers[index - 1];
    setDraft((d) => ({ ...d, layers: d.layers.filter((_, i) => i !== index) }));
    // Focus goes to the next layer's heading region, else to the add buttons.
    setTimeout(() => {
      const target = neighbour ? document.querySelector(`[data-key="${neighbour.key}"] [data-move]:not([disabled])`) : document.querySelector('.add-layers button');
      (target as HTMLElement | null)?.focus();
    });
  };

  // Live validation of what would be saved, once typing settles.
  const input = useMemo(() => profileInputOf(draft), [draft]);
  const inputKey = JSON.stringify(input);
  const settledKey = useDebounced(inputKey, VALIDATE_AFTER_MS);
  const settledInput = useMemo(() => JSON.parse(settledKey) as typeof input, [settledKey]);
  const [validation] = useQuery({
    query: ComposerValidate,
    variables: { input: settledInput },
    pause: settledInput.layers.length === 0,
    requestPolicy: 'network-only',
  });
  const lastValid = useRef(validation.data);
  if (validation.data) lastValid.current = validation.data;
  const v = settledInput.layers.length ? (validation.data ?? lastValid.current)?.validateProfile : undefined;
  const checking = validation.fetching || settledKey !== inputKey;
  // Issues and resolutions are indexed by what was sent; layers without a pack were not sent.
  const draftIndex = useMemo(() => sentIndexes(draft), [draft]);
  const byLayer = useMemo(() => {
    const map = new Map<number, Issue[]>();
    for (const issue of v?.issues ?? []) {
      if (issue.layerIndex === null || issue.layerIndex === undefined) continue;
      const at = draftIndex.get(issue.layerIndex) ?? issue.layerIndex;
      map.set(at, [...(map.get(at) ?? []), issue]);
    }
    return map;
  }, [v, draftIndex]);
  const profileIssues = useMemo(() => (v?.issues ?? []).filter((i) => i.layerIndex === null || i.layerIndex === undefined), [v]);
  const resolvedAt = (i: number) => v?.resolvedLayers.find((r) => draftIndex.get(r.layerIndex) === i);

  // Propose: the catalog fills the open layers (and, for a cluster, the core layers not there yet).
  const [proposing, setProposing] = useState(false);
  const [proposeNote, setProposeNote] = useState<string | null>(null);
  const propose = async () => {
    setProposing(true);
    setProposeNote(null);
    const fixed = draft.layers.filter((l) => l.pack);
    const open = draft.layers.filter((l) => !l.pack);
    const answer = await client
      .query(
        ComposerPropose,
        {
          input: {
            cloudType: draft.cloudType,
            type: draft.type === 'ADDON' ? 'ADDON' : 'CLUSTER',
            layers: fixed.map((l) => ({ pack: l.pack, version: l.version, ...(l.registry ? { registry: l.registry } : {}) })),
            slots: open.map((l) => ({ layer: l.layer })),
          },
        },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setProposing(false);
    const proposal = answer.data?.proposeProfile;
    if (answer.error || !proposal) {
      setProposeNote(answer.error?.graphQLErrors[0]?.message ?? answer.error?.message ?? 'No answer');
      return;
    }
    if (!proposal.profile) {
      setProposeNote(`Nothing fits: ${proposal.explanation?.text ?? ''}`);
      return;
    }
    // From the draft as it is now (the user may have typed while the proposal was computed).
    const d = latest.current;
    const keep = new Set(d.layers.filter((l) => l.pack).map((l) => l.pack));
    const openOf = new Map<Layer, DraftLayer[]>();
    for (const l of d.layers.filter((x) => !x.pack)) openOf.set(l.layer, [...(openOf.get(l.layer) ?? []), l]);
    let layers: DraftLayer[] = d.layers.filter((l) => l.pack);
    const filled: string[] = [];
    for (const p of proposal.profile.layers) {
      if (keep.has(p.pack)) continue;
      const slot = openOf.get(p.layer as Layer)?.shift();
      filled.push(`${p.pack} ${p.version}`);
      layers = addLayer(layers, { ...(slot ?? emptyLayer(p.layer as Layer)), key: slot?.key ?? newKey(), pack: p.pack, version: p.version, registry: null });
    }
    setDraft({ ...d, layers });
    setProposeNote(filled.length ? `Filled: ${filled.join(', ')}.` : 'Nothing to fill: every layer has a pack.');
  };

  const onSaved = (name: string, version: string) => {
    justSaved.current = `${name}@${version}`;
    setLoadedFrom({ name, version });
    update({ name, version });
    navigate(`/profiles/${encodeURIComponent(name)}/${encodeURIComponent(version)}`, { replace: true, state: { saved: true } });
  };

  const notFound = params.name && saved.data && !saved.data.profile;

  return (
    <div className="composer">
      <div className="composer-head">
        <h1 id="page-title">{loadedFrom ? `Profile ${loadedFrom.name} ${loadedFrom.version}` : 'New profile'}</h1>
        <ProfilePicker />
      </div>
      {notFound && (
        <p className="alert error" role="alert">
          No saved profile {params.name} {params.version}.
        </p>
      )}
      {saved.error && (
        <p className="alert error" role="alert">
          {saved.error.message}
        </p>
      )}

      <div className="composer-body">
        <div className="composer-main">
          <section className="card profile-fields" aria-labelledby="profile-fields-title">
            <h2 id="profile-fields-title">Profile</h2>
            <div className="fields">
              <div className="field">
                <label htmlFor="profile-name">Name</label>
                <input id="profile-name" type="text" value={draft.name} required placeholder="web-cluster" onChange={(e) => update({ name: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor="profile-version">Version</label>
                <input id="profile-version" type="text" value={draft.version} placeholder="1.0.0" onChange={(e) => update({ version: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor="profile-type">Type</label>
                <select id="profile-type" value={draft.type} onChange={(e) => update({ type: e.target.value as ProfileType })}>
                  {PROFILE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {t.toLowerCase()}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="profile-cloud">Cloud type</label>
                <select id="profile-cloud" value={draft.cloudType} onChange={(e) => update({ cloudType: e.target.value })}>
                  {[...new Set([draft.cloudType, ...CLOUD_TYPES])].map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field wide">
                <label htmlFor="profile-description">Description</label>
                <input id="profile-description" type="text" value={draft.description} onChange={(e) => update({ description: e.target.value })} />
              </div>
            </div>
          </section>

          <section aria-labelledby="layers-title" className="layers">
            <div className="layers-head">
              <h2 id="layers-title">Layers</h2>
              <div className="add-layers" role="group" aria-label="Add a layer">
                {LAYER_KINDS.map((k) => (
                  <button key={k.layer} type="button" className="button small secondary" onClick={() => add(k.layer)}>
                    + {k.label}
                  </button>
                ))}
                <button type="button" className="button small" onClick={propose} disabled={proposing} title="Fill the layers without a pack (and missing core layers) with packs that fit">
                  {proposing ? 'Proposing…' : 'Propose'}
                </button>
              </div>
            </div>
            <p className="muted small" role="status" aria-live="polite">
              {proposeNote ?? `Layers install in Palette's order: ${LAYER_KINDS.map((k) => k.label).join(', ')}. “Propose” fills layers left without a pack.`}
            </p>
            {draft.layers.length === 0 && <p className="empty-layers">No layers yet: add an OS, Kubernetes, network and storage layer, then add-ons.</p>}
            <ol className="layer-list">
              {draft.layers.map((l, i) => (
                <li key={l.key} data-key={l.key}>
                  <LayerCard
                    index={i}
                    count={draft.layers.length}
                    layer={l}
                    cloudType={draft.cloudType}
                    issues={byLayer.get(i) ?? []}
                    resolved={resolvedAt(i)}
                    onChange={(patch) => updateLayer(l.key, patch)}
                    onMove={(by) => move(i, by)}
                    onRemove={() => remove(i)}
                  />
                </li>
              ))}
            </ol>
          </section>

          <VariablesEditor variables={draft.variables} issues={profileIssues} onChange={(variables) => update({ variables })} />
        </div>

        <aside className="composer-side" aria-label="Validation, save and upgrade">
          <ValidationSummary validation={v} checking={checking} error={validation.error?.message ?? null} draftIndex={draftIndex} empty={settledInput.layers.length === 0} />
          <SavePanel input={input} valid={!!v?.valid} loadedFrom={loadedFrom} onSaved={onSaved} onVersion={(version) => update({ version })} />
          <UpgradePanel
            cloudType={draft.cloudType}
            type={draft.type}
            packs={draft.layers.filter((l) => l.pack).map((l) => ({ pack: l.pack, registry: l.registry }))}
            resolved={v?.resolvedLayers ?? []}
            saved={loadedFrom}
            onApply={(versions) => setDraft((d) => ({ ...d, layers: d.layers.map((l) => (versions.has(l.pack) ? { ...l, version: versions.get(l.pack)! } : l)) }))}
          />
        </aside>
      </div>
    </div>
  );
}

