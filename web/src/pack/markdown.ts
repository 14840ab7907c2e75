/**
 * A README as safe HTML: Markdown by `marked`, then DOMPurify, which drops scripts, event handlers
 * and `javascript:` URLs. Also dropped: `style` (the CSP refuses inline styles) and images that
 * are not the catalog's own artifacts (other origins: the CSP refuses them and the page works
 * offline; relative paths: they name files of the pack's folder, not of this site): each becomes a link.
 * Needs a DOM, so it is exercised by the browser test (test/e2e/console-catalog.browser.test.ts).
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { withoutInlineAttributes } from './raw-html';

const marked = new Marked({
  async: false,
  gfm: true,
  renderer: {
    html: ({ text }) => withoutInlineAttributes(text),
    // The README sits under the page's "README" (h2): its headings start at h3, so the page keeps
    // one h1 and an outline screen readers can follow.
    heading({ tokens, depth }) {
      const level = Math.min(6, depth + 2);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'IMG') {
      const src = node.getAttribute('src') ?? '';
      let ours = false;
      try {
        // Only the catalog's own artifacts: a path relative to the pack's folder means nothing here.
        const url = new URL(src, window.location.href);
        ours = url.origin === window.location.origin && url.pathname.startsWith('/artifacts/');
      } catch {
        ours = false;
      }
      if (!ours) {
        const link = document.createElement('a');
        link.setAttribute('href', src);
        link.setAttribute('rel', 'noopener noreferrer');
        link.textContent = `[image: ${node.getAttribute('alt') || src}]`;
        node.replaceWith(link);
      }
    }
    if (node.tagName === 'A' && node.getAttribute('href')?.match(/^https?:/)) {
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

export function renderMarkdown(markdown: string): string {
  hook();
  const html = marked.parse(markdown, { async: false });
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] });
}
