/**
 * A layer's values in CodeMirror 6 (basicSetup + YAML), with validation issues as lint diagnostics
 * on their lines (gutter markers, underlines, hover text; F8 / Ctrl-Shift-M in the lint keymap).
 * Tab is left to the page (no indentWithTab) so keyboard users can move past the editor.
 *
 * The editor lives in an open shadow root: there CodeMirror (style-mod) styles through constructable
 * stylesheets (adoptedStyleSheets), which the Content-Security-Policy's `style-src 'self'` does not
 * govern, whereas in the document itself it would add `<style>` elements the policy blocks. So the
 * console keeps its strict policy (no 'unsafe-inline', no nonce), and the editor's own look is an
 * EditorView.theme (the page's stylesheet does not reach into the shadow root).
 */
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'react';

/** The page's look inside the shadow root: its mono font, size, height and focus ring (styles.css). */
const theme = EditorView.theme({
  '&': { maxHeight: '22rem', fontSize: '0.85rem', backgroundColor: '#ffffff', color: '#1b1f24' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, monospace", overflow: 'auto' },
  '&.cm-focused': { outline: '3px solid #c2410c', outlineOffset: '-3px' },
  '.cm-gutters': { backgroundColor: '#f1f3f6', color: '#4a5260' },
});

export interface LineIssue {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

interface Props {
  text: string;
  onChange(text: string): void;
  issues: LineIssue[];
  /** The accessible name of the editing area. */
  label: string;
  id?: string;
}

export function ValuesEditor({ text, onChange, issues, label, id }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    const root = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: 'open' });
    const editor = new EditorView({
      doc: text,
      root,
      parent: root,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        // Long comment lines wrap instead of scrolling the editor sideways (and fit a narrow window).
        EditorView.lineWrapping,
        theme,
        EditorView.contentAttributes.of({ 'aria-label': label, ...(id ? { id } : {}) }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) change.current(update.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // One editor per mount; text and issues are pushed in below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A change from outside (a preset applied, another version's defaults): replace the document.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== text) editor.dispatch({ changes: { from: 0, to: current.length, insert: text } });
  }, [text]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const doc = editor.state.doc;
    const diagnostics: Diagnostic[] = issues
      .filter((i) => i.line >= 1 && i.line <= doc.lines)
      .map((i) => {
        const line = doc.line(i.line);
        const start = line.from + (line.text.length - line.text.trimStart().length);
        return { from: start, to: Math.max(start, line.to), severity: i.severity, message: i.message };
      });
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [issues, text]);

  return <div className="values-editor" ref={host} />;
}
