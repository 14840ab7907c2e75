/**
 * The facet filters: one fieldset per dimension (layers and registries: any of several; cloud type
 * and add-on type: one, as the API filters them), each value with its count. Native checkboxes
 * and radios, so Tab and the arrow keys move through them as everywhere else.
 */
import { useState } from 'react';
import type { CatalogState, LayerName } from './catalog-state';
import { toggled, withChange } from './catalog-state';
import { withSelected, type FacetValue, type Facets } from './facets';

const LAYER_LABELS: Record<string, string> = {
  OS: 'Operating system',
  K8S: 'Kubernetes',
  CNI: 'Network (CNI)',
  CSI: 'Storage (CSI)',
  ADDON: 'Add-on',
  KERNEL: 'Kernel',
};

export const layerLabel = (layer: string) => LAYER_LABELS[layer] ?? layer;

interface Props {
  state: CatalogState;
  facets: Facets | null;
  onChange(state: CatalogState): void;
}

function Checkboxes(props: { legend: string; name: string; values: FacetValue[]; selected: string[]; label?: (v: string) => string; onToggle(value: string): void }) {
  const values = withSelected(props.values, props.selected);
  return (
    <fieldset className="facet">
      <legend>{props.legend}</legend>
      {values.length === 0 && <p className="muted small">None</p>}
      {values.map(({ value, count }) => {
        const id = `facet-${props.name}-${value}`;
        return (
          <div className="facet-option" key={value}>
            <input type="checkbox" id={id} name={props.name} value={value} checked={props.selected.includes(value)} onChange={() => props.onToggle(value)} />
            <label htmlFor={id}>
              {props.label ? props.label(value) : value} <span className="count" aria-label={`${count} packs`}>{count}</span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

function Radios(props: { legend: string; name: string; values: FacetValue[]; selected: string | null; onSelect(value: string | null): void }) {
  const values = withSelected(props.values, props.selected ? [props.selected] : []);
  const anyId = `facet-${props.name}-any`;
  return (
    <fieldset className="facet">
      <legend>{props.legend}</legend>
      <div className="facet-option">
        <input type="radio" id={anyId} name={props.name} checked={props.selected === null} onChange={() => props.onSelect(null)} />
        <label htmlFor={anyId}>Any</label>
      </div>
      {values.map(({ value, count }) => {
        const id = `facet-${props.name}-${value}`;
        return (
          <div className="facet-option" key={value}>
            <input type="radio" id={id} name={props.name} value={value} checked={props.selected === value} onChange={() => props.onSelect(value)} />
            <label htmlFor={id}>
              {value} <span className="count" aria-label={`${count} packs`}>{count}</span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

export function FacetPanel({ state, facets, onChange }: Props) {
  const any = state.layers.length || state.registries.length || state.cloudType || state.addonType;
  // On a narrow window the filters fold away behind a button (CSS shows it only there), so the
  // results are not a screen of checkboxes away; on a wide one they are always shown.
  const [open, setOpen] = useState(false);
  return (
    <aside className={`facets${open ? '' : ' folded'}`} aria-label="Filters">
      <div className="facets-head">
        <h2>Filters</h2>
        <button type="button" className="button secondary small facets-toggle" aria-expanded={open} aria-controls="facet-body" onClick={() => setOpen(!open)}>
          {open ? 'Hide filters' : 'Show filters'}
        </button>
        {any ? (
          <button type="button" className="button secondary small" onClick={() => onChange(withChange(state, { layers: [], registries: [], cloudType: null, addonType: null }))}>
            Clear filters
          </button>
        ) : null}
      </div>
      <div id="facet-body" className="facet-body">
        {!facets ? (
          <p className="muted">Counting…</p>
        ) : (
          <>
            <Checkboxes
              legend="Layer"
              name="layer"
              values={facets.layer}
              selected={state.layers}
              label={layerLabel}
              onToggle={(v) => onChange(withChange(state, { layers: toggled(state.layers, v as LayerName) }))}
            />
            <Checkboxes legend="Registry" name="registry" values={facets.registry} selected={state.registries} onToggle={(v) => onChange(withChange(state, { registries: toggled(state.registries, v) }))} />
            <Radios legend="Cloud type" name="cloud" values={facets.cloudType} selected={state.cloudType} onSelect={(v) => onChange(withChange(state, { cloudType: v }))} />
            <Radios legend="Add-on type" name="addon" values={facets.addonType} selected={state.addonType} onSelect={(v) => onChange(withChange(state, { addonType: v }))} />
          </>
        )}
      </div>
    </aside>
  );
}
