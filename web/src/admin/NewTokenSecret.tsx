/**
 * The secret of a token just created, shown this once: a read-only field to select and a copy
 * button. It lives in this component's props only; "Done" (or leaving the page) forgets it.
 */
import { useEffect, useRef, useState } from 'react';
import type { CreatedToken } from './CreateTokenForm';

export function NewTokenSecret({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  // Focus the secret so it can be copied at once from the keyboard.
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, [created.secret]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied('yes');
    } catch {
      // No clipboard (insecure origin, permission refused): the field is selected for Ctrl+C.
      field.current?.select();
      setCopied('no');
    }
  };

  return (
    <section className="new-secret card" aria-labelledby="new-secret-title">
      <h3 id="new-secret-title">Token {created.name} created</h3>
      <p className="alert warn">Copy the secret now: it is shown this once and never again. Only its first characters are kept to tell it apart.</p>
      <div className="secret-row">
        <label htmlFor="new-secret">Secret of {created.name}</label>
        <input id="new-secret" ref={field} type="text" readOnly value={created.secret} spellCheck={false} autoComplete="off" className="secret" />
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="button secondary" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" aria-live="polite" className="small">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'no' ? 'The clipboard is not available here: the secret is selected, press Ctrl+C.' : ''}
      </p>
    </section>
  );
}
