/**
 * The pack page's versions: the total ("1,234 versions"), the table newest first with tags and
 * parent tags, "Show more" for the next page of the connection, and a box that opens a version by
 * what `packVersion` resolves (exact version, tag, parent tag, `latest`, digest): the API has no
 * filter on a pack's versions by part of their text, so the box looks up, it does not filter.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConsolePackVersionRowFragment } from '../generated/graphql';
import type { MoreVersions } from './useMoreVersions';
import { versionsSummary } from './version-list';
import './versions.css';

type Row = ConsolePackVersionRowFragment;

/** `1.x`, `1.29.x`: a tag the catalog gives the newest version of a line. */
const isParentTag = (tag: string) => /^\d+(\.\d+)*\.x$/.test(tag);

interface Props {
  list: MoreVersions;
  /** The version the page shows (listed or not). */
  selected: Row | null;
  onSelect(row: Row): void;
  /** Opens the version `packVersion` resolves this text to. */
  onFind(text: string): void;
}

export function VersionsSection({ list, selected, onSelect, onFind }: Props) {
  const { rows } = list;
  const body = useRef<HTMLTableSectionElement>(null);
  // After "Show more", keyboard focus goes to the first new row (the button may be gone).
  const focusRow = useRef<number | null>(null);
  useEffect(() => {
    const index = focusRow.current;
    if (index === null || list.loading || index >= rows.length) return;
    focusRow.current = null;
    body.current?.querySelectorAll('tr')[index]?.querySelector('button')?.focus();
  }, [rows.length, list.loading]);

  const [text, setText] = useState('');
  const find = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) onFind(text.trim());
  };
  const selectedListed = selected ? rows.some((r) => r.id === selected.id) : true;

  return (
    <section id="versions" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <div className="versions-bar">
        <p id="versions-count" className="muted" role="status" aria-live="polite">
          {versionsSummary(rows.length, list.totalCount)}
        </p>
        <form className="version-find" role="search" aria-label="Find a version" onSubmit={find}>
          <label htmlFor="version-find-text">Go to version</label>
          <input
            id="version-find-text"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="1.2.3, 1.x, latest"
            aria-describedby="version-find-help"
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" className="button secondary">
            Go
          </button>
          <span id="version-find-help" className="visually-hidden">
            An exact version, a tag, a parent tag such as 1.x, latest, or a sha256 digest.
          </span>
        </form>
      </div>
      {selected && !selectedListed && (
        <p className="small notice">
          Showing {selected.version} ({selected.registry.name}), further down than the versions listed here.
        </p>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Tags</th>
              <th scope="col">Registry</th>
              <th scope="col">State</th>
              <th scope="col">Published</th>
            </tr>
          </thead>
          <tbody ref={body}>
            {rows.map((v) => {
              const isSelected = v.id === selected?.id;
              return (
                <tr key={v.id} className={isSelected ? 'selected' : undefined} aria-current={isSelected ? 'true' : undefined}>
                  <td>
                    <button type="button" className="link-button" onClick={() => onSelect(v)} aria-pressed={isSelected}>
                      {v.version}
                    </button>
                  </td>
                  <td>
                    {v.tags.map((t) => (
                      <span key={t} className={`badge ${isParentTag(t) ? 'accent' : ''}`} title={isParentTag(t) ? 'Parent tag: the newest version of this line' : 'Tag'}>
                        {t}
                      </span>
                    ))}
                  </td>
                  <td>{v.registry.name}</td>
                  <td>{v.lifecycle.state === 'ACTIVE' ? <span className="badge ok">active</span> : <span className="badge danger">{v.lifecycle.state.toLowerCase()}</span>}</td>
                  <td>{new Date(v.createdAt).toISOString().slice(0, 10)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {list.error && (
        <p role="alert" className="alert error">
          Could not load more versions: {list.error}
        </p>
      )}
      {list.nextCursor && (
        <p className="versions-more">
          <button
            type="button"
            className="button secondary"
            aria-describedby="versions-count"
            aria-busy={list.loading}
            disabled={list.loading}
            onClick={() => {
              focusRow.current = rows.length;
              list.showMore();
            }}
          >
            {list.loading ? 'Loading versions…' : 'Show more versions'}
          </button>
        </p>
      )}
    </section>
  );
}
