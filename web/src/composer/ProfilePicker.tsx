/** Start blank or from a saved profile version (the `profilesConnection`, paged by its cursors). */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useQuery } from 'urql';
import { ComposerProfiles } from './queries';

export function ProfilePicker() {
  const navigate = useNavigate();
  const [after, setAfter] = useState<string | null>(null);
  const [pages, setPages] = useState<Array<{ name: string; version: string; type: string; cloudType: string }>>([]);
  const [result] = useQuery({ query: ComposerProfiles, variables: { after } });
  const page = result.data?.profilesConnection;
  const listed = [...pages, ...(page?.edges.map((e) => e.node) ?? [])];
  const [choice, setChoice] = useState('');

  const open = () => {
    if (!choice) return;
    const [name, version] = JSON.parse(choice) as [string, string];
    navigate(`/profiles/${encodeURIComponent(name)}/${encodeURIComponent(version)}`);
  };
  const more = () => {
    if (!page?.pageInfo.endCursor) return;
    setPages(listed);
    setAfter(page.pageInfo.endCursor);
  };

  return (
    <form
      className="profile-picker"
      aria-label="Start from"
      onSubmit={(e) => {
        e.preventDefault();
        open();
      }}
    >
      {/* Every navigation but a save's starts a fresh composer (ComposerPage), so this empties the draft. */}
      <Link className="button secondary small" to="/profiles/new">
        Start blank
      </Link>
      <label htmlFor="saved-profile">or open a saved profile</label>
      <select id="saved-profile" value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">{result.fetching && !listed.length ? 'Loading…' : `${page?.totalCount ?? listed.length} saved versions`}</option>
        {listed.map((p) => (
          <option key={`${p.name}@${p.version}`} value={JSON.stringify([p.name, p.version])}>
            {p.name} {p.version} · {p.type.toLowerCase()} · {p.cloudType}
          </option>
        ))}
      </select>
      <button type="submit" className="button small" disabled={!choice}>
        Open
      </button>
      {page?.pageInfo.hasNextPage && (
        <button type="button" className="button small secondary" onClick={more}>
          More profiles
        </button>
      )}
    </form>
  );
}
