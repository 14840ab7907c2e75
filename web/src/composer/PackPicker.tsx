/**
 * Choosing a layer's pack, version and registry: a search box over the catalog (that layer, that
 * cloud type), a list of matches, the versions of the chosen pack (`latest`, parent tags (`1.31.x`),
 * tags, then exact versions, as the API resolves them), and the registry to take it from: by
 * priority (the catalog's choice) or one of the pack's sources.
 */
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { useDebounced } from '../catalog/useDebounced';
import type { Layer } from '../generated/graphql';
import { ComposerPackSearch, ComposerPackVersions } from './queries';

interface PackProps {
  id: string;
  layer: Layer;
  layerName: string;
  cloudType: string;
  pack: string;
  onPick(pack: string): void;
}

export function PackPicker({ id, layer, layerName, cloudType, pack, onPick }: PackProps) {
  const [search, setSearch] = useState('');
  const settled = useDebounced(search.trim(), 250);
  const filter = useMemo(
    () => ({ layer: [layer], ...(cloudType && cloudType !== 'all' ? { cloudType } : {}), ...(settled ? { search: settled } : {}) }),
    [layer, cloudType, settled],
  );
  const [result] = useQuery({ query: ComposerPackSearch, variables: { filter } });
  const packs = result.data?.packs.edges.map((e) => e.node) ?? [];
  const listed = packs.some((p) => p.name === pack);

  return (
    <div className="pack-picker">
      <div className="field">
        <label htmlFor={`${id}-search`}>Search {layerName} packs</label>
        <input id={`${id}-search`} type="search" value={search} autoComplete="off" placeholder="name…" onChange={(e) => setSearch(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-pack`}>Pack</label>
        <select id={`${id}-pack`} value={pack} onChange={(e) => onPick(e.target.value)}>
          <option value="">{result.fetching && !packs.length ? 'Loading…' : `Choose a pack (${packs.length} found)`}</option>
          {pack && !listed && <option value={pack}>{pack}</option>}
          {packs.map((p) => (
            <option key={p.id} value={p.name}>
              {p.displayName !== p.name ? `${p.displayName} (${p.name})` : p.name}
              {p.latest ? ` · ${p.latest.version}` : ''}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

interface VersionProps {
  id: string;
  pack: string;
  version: string;
  /** Only this registry's versions; null: every source's. */
  registry: string | null;
  onPick(version: string): void;
}

/** The version choices of a pack: latest, parent tags, tags, exact versions (newest first), each once. */
export function VersionPicker({ id, pack, version, registry, onPick }: VersionProps) {
  const [result] = useQuery({ query: ComposerPackVersions, variables: { name: pack }, pause: !pack });
  const options = useMemo(() => {
    const versions = (result.data?.pack?.versionsConnection.edges.map((e) => e.node) ?? []).filter((v) => !registry || v.registry.name === registry);
    const parents = new Set<string>();
    const tags = new Set<string>();
    for (const v of versions) for (const t of v.tags) (/\.x$|^\d+\.x$/.test(t) ? parents : tags).add(t);
    const exact = [...new Set(versions.map((v) => v.version))];
    const groups: Array<{ label: string; items: string[] }> = [
      { label: 'Parent tags (newest of a line)', items: [...parents] },
      { label: 'Tags', items: [...tags].filter((t) => t !== 'latest') },
      { label: 'Exact versions', items: exact },
    ];
    return groups.filter((g) => g.items.length);
  }, [result.data, registry]);
  const known = version === 'latest' || options.some((g) => g.items.includes(version));

  return (
    <div className="field">
      <label htmlFor={`${id}-version`}>Version</label>
      <select id={`${id}-version`} value={version} disabled={!pack} onChange={(e) => onPick(e.target.value)}>
        <option value="latest">latest</option>
        {!known && <option value={version}>{version}</option>}
        {options.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.items.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

interface RegistryProps {
  id: string;
  pack: string;
  registry: string | null;
  onPick(registry: string | null): void;
}

/** The registry a layer takes its pack from: by priority (sent as no registry) or one of the pack's sources. */
export function RegistryPicker({ id, pack, registry, onPick }: RegistryProps) {
  // The same query as the version list's: urql answers both from one request.
  const [result] = useQuery({ query: ComposerPackVersions, variables: { name: pack }, pause: !pack });
  const sources = result.data?.pack?.sources.map((s) => s.name) ?? [];
  const first = result.data?.pack?.registry.name;
  return (
    <div className="field">
      <label htmlFor={`${id}-registry`}>Registry</label>
      <select id={`${id}-registry`} value={registry ?? ''} disabled={!pack} onChange={(e) => onPick(e.target.value || null)}>
        <option value="">{first ? `By priority (now ${first})` : 'By priority'}</option>
        {registry && !sources.includes(registry) && <option value={registry}>{registry}</option>}
        {sources.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </div>
  );
}
