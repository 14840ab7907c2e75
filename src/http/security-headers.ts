/**
 * Security headers (helmet) for every answer. The Content-Security-Policy allows our own origin
 * only: the web console and the IDE load no script, style, font or image from anywhere else, and
 * need no inline script or style (Vite emits files; CodeMirror 6 styles through constructable
 * stylesheets, which style-src does not govern; React sets style properties, not attributes).
 * `connect-src 'self'` also covers WebSockets to the same host and port (CSP Level 3). Images and
 * fonts may be data: URLs (GraphiQL's stylesheet embeds some).
 *
 * HSTS and `upgrade-insecure-requests` only when the request came over https (`req.secure`, which
 * honours the trust-proxy setting): sent over plain http they would make a browser refuse the very
 * service it is talking to (or every http sub-resource of it), e.g. on http://localhost:4000.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders(): RequestHandler {
  const common = { crossOriginResourcePolicy: { policy: 'same-site' as const } };
  const plain = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES },
    strictTransportSecurity: false,
  });
  const secure = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: { ...DIRECTIVES, upgradeInsecureRequests: [] } },
  });
  return (req, res, next) => (req.secure ? secure : plain)(req, res, next);
}
