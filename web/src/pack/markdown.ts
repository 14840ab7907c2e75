/**
 * A README as safe HTML: Markdown by `marked`, then DOMPurify, which drops scripts, event handlers
 * and `javascript:` URLs. Also dropped: `style` (the CSP refuses inline styles) and images from
 * other origins (the CSP would refuse them too; the page works offline): they become a link.
 * Needs a DOM, so it is exercised by the browser test (test/e2e/console-catalog.test.ts).
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'IMG') {
      const src = node.getAttribute('src') ?? '';
      let sameOrigin = false;
      try {
        sameOrigin = new URL(src, window.location.href).origin === window.location.origin;
      } catch {
        sameOrigin = false;
      }
      if (!sameOrigin) {
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
  const html = marked.parse(markdown, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] });
}
