/** GET|HEAD /artifacts/sha256/<hex>: the bytes of a pack tarball or logo, with ETag and ranges. */
import express, { type Request, type Response, type Router } from 'express';
import type { ArtifactAccessService } from '../catalog/artifact.access.js';
import type { Principal } from '../auth/principal.js';

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; multi-range requests get the whole body. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (end < start && match[2] !== '') return null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export function createArtifactsRouter(access: ArtifactAccessService, authenticate: express.RequestHandler): Router {
  const router = express.Router();
  const serve = async (req: Request, res: Response) => {
    const principal = res.locals.principal as Principal;
    const download = await access.open(principal, String(req.params.hex), typeof req.query.filename === 'string' ? req.query.filename : undefined);
    const etag = `"${download.digest}"`;
    // Presigned downloads (S3_PRESIGNED_DOWNLOADS): after the same checks, a GET goes to S3 itself by
    // a 307 (the client sends its Range there again; its token stays here: fetch drops Authorization
    // across origins). HEAD and a revalidation that matches still answer here: they move no bytes.
    if (req.method === 'GET' && download.redirectUrl && req.get('if-none-match') !== etag) {
      const location = await download.redirectUrl();
      if (location) {
        // The URL expires within minutes: neither the redirect nor its target may be cached as the artifact.
        res.setHeader('Cache-Control', 'private, no-store');
        return res.redirect(307, location);
      }
    }
    res.setHeader('ETag', etag);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.setHeader('Docker-Content-Digest', download.digest);
    res.type(download.mediaType);
    if (req.get('if-none-match') === etag) return res.status(304).end();
    const range = req.get('if-range') && req.get('if-range') !== etag ? null : parseRange(req.get('range'), download.size);
    if (range === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${download.size}`);
      return res.status(416).end();
    }
    if (range) {
      res.status(206);
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${download.size}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      res.setHeader('Content-Length', String(download.size));
    }
    if (req.method === 'HEAD' || download.size === 0) return res.end();
    try {
      await download.send(res, range ? { start: range.start, end: range.end } : undefined);
    } catch (error) {
      // Before the first byte the error handler can still answer (the store lost the object); after it, only cutting the connection tells the client.
      if (!res.headersSent && !res.destroyed) throw error;
      res.destroy();
    }
  };
  router.get('/artifacts/sha256/:hex', authenticate, serve);
  router.head('/artifacts/sha256/:hex', authenticate, serve);
  return router;
}
