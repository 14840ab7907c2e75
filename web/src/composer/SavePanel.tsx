/**
 * Save and export. Saving creates the profile version (createProfile); versions are immutable, so
 * other content under a saved version (CONFLICT, PROFILE_VERSION_IMMUTABLE) is answered with a
 * choice: save as the next patch version, or clone the saved version to a new one. Export shows
 * the file `packctl profile apply` takes, to copy or download.
 */
import { useEffect, useMemo, useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { bumpPatch, type DraftInput } from './draft';
import { exportFileName, exportProfileYaml } from './profile-export';
import { ComposerCloneProfile, ComposerCreateProfile } from './queries';

interface Props {
  input: DraftInput;
  valid: boolean;
  /** The saved version the draft was loaded from, for "clone". */
  loadedFrom: { name: string; version: string } | null;
  onSaved(name: string, version: string): void;
  onVersion(version: string): void;
}

type Failure = { message: string; immutable: boolean; issues: Array<{ code: string; message: string }> };

function failureOf(error: CombinedError): Failure {
  const first = error.graphQLErrors[0];
  const ext = (first?.extensions ?? {}) as { code?: string; reason?: string; issues?: Array<{ code: string; message: string }> };
  return {
    message: first?.message ?? error.message,
    immutable: ext.reason === 'PROFILE_VERSION_IMMUTABLE',
    issues: Array.isArray(ext.issues) ? ext.issues : [],
  };
}

export function SavePanel({ input, valid, loadedFrom, onSaved, onVersion }: Props) {
  const [created, create] = useMutation(ComposerCreateProfile);
  const [cloned, clone] = useMutation(ComposerCloneProfile);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [exported, setExported] = useState(false);
  const [copied, setCopied] = useState(false);
  const yamlText = useMemo(() => exportProfileYaml(input), [input]);
  const named = input.name !== 'untitled';

  // A download link for the export, released when it changes.
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    if (!exported) return;
    const url = URL.createObjectURL(new Blob([yamlText], { type: 'application/yaml' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [exported, yamlText]);

  const save = async () => {
    setFailure(null);
    setSaved(null);
    const result = await create({ input });
    if (result.error) setFailure(failureOf(result.error));
    else if (result.data) {
      setSaved(`${result.data.createProfile.name} ${result.data.createProfile.version}`);
      onSaved(result.data.createProfile.name, result.data.createProfile.version);
    }
  };
  const saveAsNext = () => {
    onVersion(bumpPatch(input.version ?? '1.0.0'));
    setFailure(null);
  };
  const cloneSaved = async () => {
    if (!loadedFrom) return;
    const next = bumpPatch(loadedFrom.version);
    const result = await clone({ name: loadedFrom.name, version: loadedFrom.version, newVersion: next });
    if (result.error) setFailure(failureOf(result.error));
    else if (result.data) {
      setFailure(null);
      setSaved(`${result.data.cloneProfile.name} ${result.data.cloneProfile.version} (a clone of ${loadedFrom.version})`);
      onSaved(result.data.cloneProfile.name, result.data.cloneProfile.version);
    }
  };

  return (
    <section className="save card" aria-labelledby="save-title">
      <h2 id="save-title">Save and export</h2>
      <div className="save-actions">
        <button type="button" className="button" onClick={save} disabled={created.fetching || !named || !input.layers.length}>
          {created.fetching ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" className="button secondary" onClick={() => setExported(true)} disabled={!input.layers.length}>
          Export YAML
        </button>
      </div>
      {!named && <p className="muted small">Name the profile to save it.</p>}
      {named && !valid && <p className="muted small">The server refuses a profile with errors: fix them first.</p>}
      <div role="status" aria-live="polite">
        {saved && <p className="alert ok">Saved {saved}.</p>}
      </div>
      {failure && (
        <div role="alert" className="alert error">
          <p>{failure.message}</p>
          {failure.issues.length > 0 && (
            <ul>
              {failure.issues.map((i, n) => (
                <li key={n}>
                  <code>{i.code}</code>: {i.message}
                </li>
              ))}
            </ul>
          )}
          {failure.immutable && (
            <p className="save-actions">
              <button type="button" className="button small" onClick={saveAsNext}>
                Use version {bumpPatch(input.version ?? '1.0.0')} instead
              </button>
              {loadedFrom && (
                <button type="button" className="button small secondary" onClick={cloneSaved} disabled={cloned.fetching}>
                  Clone {loadedFrom.name} {loadedFrom.version} as {bumpPatch(loadedFrom.version)}
                </button>
              )}
            </p>
          )}
        </div>
      )}
      {exported && (
        <div className="export" role="region" aria-label="Exported profile YAML">
          <p className="small">
            Apply it with <code>packctl profile apply {exportFileName(input)}</code>.{' '}
            {href && (
              <a href={href} download={exportFileName(input)}>
                Download {exportFileName(input)}
              </a>
            )}{' '}
            <button
              type="button"
              className="button small secondary"
              onClick={() => navigator.clipboard?.writeText(yamlText).then(() => setCopied(true), () => setCopied(false))}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </p>
          <pre className="export-yaml" tabIndex={0}>
            {yamlText}
          </pre>
        </div>
      )}
    </section>
  );
}
