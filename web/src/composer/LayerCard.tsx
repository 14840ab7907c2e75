/**
 * One layer of the composer: its pack and version, its values in the editor (starting from the
 * pack's defaults; sent as an override of them or as whole values), its presets, and the issues
 * validation found on it, each also marked on its line in the editor. Move and remove by buttons
 * named for the layer, so the keyboard reorders as well as the mouse.
 */
import { useEffect, useMemo } from 'react';
import { useQuery } from 'urql';
import type { ComposerValidateQuery } from '../generated/graphql';
import { choosePreset as chosenPresets, isPreset, layerInput, layerLabel, type DraftLayer } from './draft';
import { PackPicker, RegistryPicker, VersionPicker } from './PackPicker';
import { ComposerPackVersionValues } from './queries';
import { applyOverride, lineOfMessage, lineOfPath, overrideOf, presetsOf, type Preset } from './values-doc';
import { ValuesEditor, type LineIssue } from './ValuesEditor';

export type Issue = ComposerValidateQuery['validateProfile']['issues'][number];
export type Resolved = ComposerValidateQuery['validateProfile']['resolvedLayers'][number];

interface Props {
  index: number;
  count: number;
  layer: DraftLayer;
  cloudType: string;
  issues: Issue[];
  resolved: Resolved | undefined;
  onChange(patch: Partial<DraftLayer>): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}

/** The line of the editor an issue belongs on, if any. */
export function issueLine(issue: Issue, text: string): number | null {
  if (issue.code === 'VALUES_INVALID_YAML') return lineOfMessage(issue.message);
  return lineOfPath(text, issue.path);
}

export function LayerCard({ index, count, layer, cloudType, issues, resolved, onChange, onMove, onRemove }: Props) {
  const id = layer.key;
  const kind = layerLabel(layer.layer);
  const title = `Layer ${index + 1}: ${kind}`;
  const name = `layer ${index + 1} (${layer.pack || kind})`;

  // The pack version's defaults (and presets): the editor starts from them.
  const [values] = useQuery({
    query: ComposerPackVersionValues,
    variables: { name: layer.pack, version: layer.version || 'latest', registry: layer.registry },
    pause: !layer.pack,
  });
  const version = values.data?.packVersion;
  useEffect(() => {
    if (!version || version.values === layer.defaults) return;
    const defaults = version.values;
    if (layer.pending) {
      const { values: whole, valuesOverride } = layer.pending;
      onChange({ defaults, pending: null, mode: whole !== null ? 'values' : 'override', text: whole ?? applyOverride(defaults, valuesOverride ?? '') });
      return;
    }
    // Another version: the user's changes (as an override) are carried onto its defaults.
    const changes = layer.text ? overrideOf(layer.defaults, layer.text) : '';
    const text = changes === null ? layer.text : changes ? applyOverride(defaults, changes) : defaults;
    onChange({ defaults, text });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reacts to the fetched values only
  }, [version?.values]);

  const presets = useMemo(() => presetsOf(version?.presets), [version?.presets]);
  const groups = [...new Set(presets.map((p) => p.group))];
  const sent = layerInput(layer);
  const lineIssues: LineIssue[] = useMemo(
    () =>
      issues.flatMap((i) => {
        const line = issueLine(i, layer.text);
        return line ? [{ line, severity: i.severity === 'ERROR' ? ('error' as const) : ('warning' as const), message: `${i.code}: ${i.message}` }] : [];
      }),
    [issues, layer.text],
  );
  const errors = issues.filter((i) => i.severity === 'ERROR').length;

  // Reversible: the values are recomputed from the defaults, the user's edits and the presets chosen.
  const choosePreset = (group: string, preset: Preset | null) => onChange(chosenPresets(layer, presets, group, preset));
  const chosenIn = (group: string) => presets.find((p) => p.group === group && (layer.presets ?? []).some((n) => isPreset(n, p)));

  return (
    <section className={`layer-card card${errors ? ' has-errors' : ''}`} aria-labelledby={`${id}-title`} data-layer={layer.layer}>
      <div className="layer-head">
        <h3 id={`${id}-title`}>
          {title}
          {layer.pack && <span className="muted"> · {layer.pack}</span>}
        </h3>
        {resolved && (
          <span className="badge ok" title="What the reference resolves to">
            {resolved.pack} {resolved.version}
            {layer.registry ? '' : ` · ${resolved.registry}`}
          </span>
        )}
        {errors > 0 && <span className="badge danger">{errors === 1 ? '1 error' : `${errors} errors`}</span>}
        <div className="layer-actions" role="group" aria-label={`Arrange ${name}`}>
          <button type="button" className="button small secondary" data-move="up" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move ${name} up`}>
            ↑ Up
          </button>
          <button type="button" className="button small secondary" data-move="down" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`Move ${name} down`}>
            ↓ Down
          </button>
          <button type="button" className="button small secondary" onClick={onRemove} aria-label={`Remove ${name}`}>
            Remove
          </button>
        </div>
      </div>

      <div className="layer-ref">
        <PackPicker
          id={id}
          layer={layer.layer}
          layerName={kind}
          cloudType={cloudType}
          pack={layer.pack}
          onPick={(pack) => onChange({ pack, version: 'latest', registry: null, defaults: '', text: '', presets: null, pending: null })}
        />
        <VersionPicker id={id} pack={layer.pack} version={layer.version} registry={layer.registry} onPick={(v) => onChange({ version: v })} />
        <RegistryPicker id={id} pack={layer.pack} registry={layer.registry} onPick={(registry) => onChange({ registry })} />
      </div>

      {issues.length > 0 && (
        <ul className="layer-issues" aria-label={`Issues of ${name}`}>
          {issues.map((i, n) => {
            const line = issueLine(i, layer.text);
            return (
              <li key={n} className={i.severity === 'ERROR' ? 'issue error' : 'issue warning'}>
                <span className={`badge ${i.severity === 'ERROR' ? 'danger' : 'warn'}`}>{i.severity === 'ERROR' ? 'Error' : 'Warning'}</span> <code>{i.code}</code>
                {line ? <span className="muted"> line {line}</span> : null}
                {i.path ? <span className="muted"> at <code>{i.path}</code></span> : null}: {i.message}
              </li>
            );
          })}
        </ul>
      )}

      {layer.pack && (
        <div className="layer-values">
          <fieldset className="values-mode">
            <legend>Save the values as</legend>
            <label>
              <input type="radio" name={`${id}-mode`} checked={layer.mode === 'override'} onChange={() => onChange({ mode: 'override' })} /> your changes only
              (<code>valuesOverride</code>, merged onto the pack's defaults: later versions' defaults still apply)
            </label>
            <label>
              <input type="radio" name={`${id}-mode`} checked={layer.mode === 'values'} onChange={() => onChange({ mode: 'values' })} /> the whole values (
              <code>values</code>, replaces the pack's values.yaml)
            </label>
          </fieldset>

          {groups.length > 0 && (
            <fieldset className="presets-pick">
              <legend>Presets</legend>
              {groups.map((group) => (
                <div key={group || 'presets'} className="field">
                  <label htmlFor={`${id}-preset-${group}`}>{group || 'Preset'}</label>
                  <select
                    id={`${id}-preset-${group}`}
                    value={chosenIn(group)?.name ?? ''}
                    disabled={!!layer.pending || !layer.defaults}
                    onChange={(e) => choosePreset(group, presets.find((p) => p.group === group && p.name === e.target.value) ?? null)}
                  >
                    <option value="">None</option>
                    {presets
                      .filter((p) => p.group === group)
                      .map((p) => (
                        <option key={p.name} value={p.name}>
                          {p.displayName}
                        </option>
                      ))}
                  </select>
                </div>
              ))}
            </fieldset>
          )}

          <div className="editor-head">
            <span id={`${id}-values-label`} className="label">
              Values of {layer.pack} {version ? version.version : ''}
            </span>
            <button
              type="button"
              className="button small secondary"
              disabled={!layer.defaults || (layer.text === layer.defaults && layer.presets === null)}
              onClick={() => onChange({ text: layer.defaults, presets: null })}
            >
              Reset to the pack's defaults
            </button>
          </div>
          {layer.pending ? (
            <p className="muted">Loading the pack's values…</p>
          ) : (
            <ValuesEditor text={layer.text} onChange={(text) => onChange({ text })} issues={lineIssues} label={`Values of ${name}`} />
          )}
          <details className="sent">
            <summary>What is sent: {sent.values !== undefined ? 'values (whole)' : sent.valuesOverride !== undefined ? 'valuesOverride' : "nothing (the pack's own values)"}</summary>
            <pre>{sent.values ?? sent.valuesOverride ?? ''}</pre>
          </details>
        </div>
      )}
    </section>
  );
}
