/** presets.yaml: each preset by group, with the paths it removes and the values it adds. */
import { CodeLines } from './CodeLines';

interface Preset {
  name: string;
  displayName: string;
  group: string;
  remove: string[];
  add: string;
}

function presetsOf(raw: unknown): Preset[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as { presets?: unknown }).presets) ? (raw as { presets: unknown[] }).presets : [];
  return list
    .filter((p): p is Record<string, unknown> => !!p && typeof p === 'object')
    .map((p) => ({
      name: String(p.name ?? ''),
      displayName: String(p.displayName ?? p.name ?? ''),
      group: String(p.group ?? ''),
      remove: Array.isArray(p.remove) ? p.remove.map(String) : [],
      add: typeof p.add === 'string' ? p.add : '',
    }));
}

export function Presets({ presets }: { presets: unknown }) {
  const list = presetsOf(presets);
  if (!list.length) return <p className="muted">No presets.</p>;
  const groups = [...new Set(list.map((p) => p.group))];
  return (
    <div className="presets">
      {groups.map((group) => (
        <div key={group}>
          {group && <h3>{group}</h3>}
          {list
            .filter((p) => p.group === group)
            .map((p) => (
              <details key={p.name} className="preset">
                <summary>
                  <strong>{p.displayName}</strong> <code className="muted small">{p.name}</code>
                </summary>
                {p.remove.length > 0 && (
                  <p>
                    Removes:{' '}
                    {p.remove.map((r) => (
                      <code key={r} className="path-chip">
                        {r}
                      </code>
                    ))}
                  </p>
                )}
                {p.add.trim() && <CodeLines text={p.add.replace(/\n$/, '')} label={`Values preset ${p.displayName} adds`} />}
              </details>
            ))}
        </div>
      ))}
    </div>
  );
}
