/** The download link and the exact commands that fetch this version, each with a copy button. */
import { useState } from 'react';
import { ownOriginPath, pullCommands } from './pull-commands';

function Command({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // No clipboard (an insecure origin): the text is there to select.
    }
  };
  return (
    <div className="command">
      <div className="command-head">
        <span className="command-label">{label}</span>
        <button type="button" className="button secondary small" onClick={copy} aria-label={`Copy the ${label} command`}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code>{text}</code>
      </pre>
    </div>
  );
}

function size(bytes: number | null | undefined): string {
  if (bytes == null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function InstallCommands(props: { name: string; version: string; registry: string; downloadUrl: string | null | undefined; digest: string; size: number | null | undefined }) {
  const commands = pullCommands({ origin: window.location.origin, registry: props.registry, name: props.name, version: props.version });
  const download = ownOriginPath(props.downloadUrl);
  return (
    <div className="install">
      <p>
        {download && (
          <a className="button" href={download} download={`${props.name}-${props.version}.tar.gz`}>
            Download {props.name}-{props.version}.tar.gz
          </a>
        )}{' '}
        <span className="muted small">
          {size(props.size)} · digest <code>{props.digest}</code>
        </span>
      </p>
      <p className="muted small">
        <code>$TOKEN</code> is your API token. packctl needs a login once: <code>{commands.login}</code>
      </p>
      <Command label="packctl" text={commands.packctl} />
      <Command label="oras" text={commands.oras} />
      <Command label="skopeo" text={commands.skopeo} />
    </div>
  );
}
