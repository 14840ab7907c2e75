/**
 * Raw HTML inside a README, trimmed before DOMPurify sees it: event handler and `style`
 * attributes are removed here because Chromium reports a Content-Security-Policy violation as
 * soon as DOMPurify's parser meets one (the parse inherits the page's CSP), even though DOMPurify
 * would then drop it. Not the security boundary (DOMPurify is, and the CSP behind it): a pattern
 * this misses is still removed by DOMPurify, it only leaves a report in the console.
 */
const ATTRIBUTE = /\s(?:on[a-z]+|style)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)/gi;

export function withoutInlineAttributes(html: string): string {
  return html.replace(/<[a-z][^>]*>/gi, (tag) => tag.replace(ATTRIBUTE, ''));
}
