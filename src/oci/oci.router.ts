/**
 * The OCI distribution API at `/v2/` (and Helm chart repositories at `/helm/<registry>/`): pull every pack the caller may read, push packs into HOSTED
 * registries. Credentials are pack-catalog tokens, as `Authorization: Bearer <token>` or as the
 * password of HTTP Basic (any user name), which is what `skopeo --creds user:TOKEN` and
 * `oras login` send; `/v2/token` hands the same token back for clients that insist on the
 * Bearer token flow. Errors use the spec's JSON form `{"errors":[{"code","message","detail"}]}`.
 */
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../platform/logger.js';
import type { TokenService } from '../auth/token.service.js';
import type { AuditRecorder } from '../audit/audit.service.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { ANONYMOUS, isAuthenticated, type Principal } from '../auth/principal.js';
import { parseRange } from '../http/artifacts.route.js';
import { RateLimitedError, isDomainError, type DomainError } from '../errors.js';
import { httpStatusOf } from '../http/http-status.js';
import type { HelmRepositoryService } from './helm.repository.js';
import { OciError, toOciError, type OciErrorCode } from './oci.errors.js';
import { MAX_MANIFEST_BYTES, type OciRegistryService } from './oci.registry.service.js';
import { blobSubject, manifestSubject, ociAuditEvent, packTarget, type OciAuditSubject } from './oci.audit.js';

/** Built by the composition root (src/app/services.ts): the router only routes. */
export interface OciRouterDeps {
  oci: OciRegistryService;
  helm: HelmRepositoryService;
  /** The same front door as /graphql and /artifacts: token check, failed attempts limited per address. */
  tokens: Pick<TokenService, 'authenticate'>;
  rateLimiter: Pick<RateLimiter, 'authenticate'>;
  audit: AuditRecorder;
  logger: Logger;
}

export const OCI_REALM = 'pack-catalog';
const MAX_PAGE = 1000;

const CATALOG_PATH = /^\/_catalog$/;
const TAGS_PATH = /^\/(.+)\/tags\/list$/;
const MANIFEST_PATH = /^\/(.+)\/manifests\/([^/]+)$/;
const REFERRERS_PATH = /^\/(.+)\/referrers\/([^/]+)$/;
const UPLOADS_PATH = /^\/(.+)\/blobs\/uploads\/?$/;
const UPLOAD_PATH = /^\/(.+)\/blobs\/uploads\/([^/]+)$/;
const BLOB_PATH = /^\/(.+)\/blobs\/([^/]+)$/;

export function createOciRouter(deps: OciRouterDeps): Router {
  const { oci, helm } = deps;
  const router = express.Router();

  /** The token a request carries: a Bearer token, or the password of Basic credentials. */
  const tokenOf = (req: Request): string | undefined => {
    const header = req.get('authorization')?.trim();
    if (!header) return undefined;
    const basic = /^basic\s+(.+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const password = colon >= 0 ? decoded.slice(colon + 1) : '';
      if (!password) throw new OciError('UNAUTHORIZED', 'Basic credentials need a pack-catalog token as the password.');
      return password;
    }
    const bearer = /^bearer\s+(.+)$/i.exec(header);
    if (bearer) return bearer[1]!.trim();
    throw new OciError('UNAUTHORIZED', 'Unsupported Authorization scheme: use Basic (token as password) or Bearer.');
  };

  // The same front door as the GraphQL and download routes: failed authentications limited per address.
  const authenticate = async (req: Request): Promise<Principal> => {
    try {
      return await deps.rateLimiter.authenticate(req.ip, Boolean(req.get('authorization')?.trim()), async () => {
        const token = tokenOf(req);
        return token === undefined ? ANONYMOUS : deps.tokens.authenticate(`Bearer ${token}`);
      });
    } catch (error) {
      // Set here so every route answering from this router (OCI and Helm) says when to come back.
      if (error instanceof RateLimitedError) req.res?.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  };

  const sendError = (res: Response, error: OciError): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error.status === 401) res.setHeader('WWW-Authenticate', `Basic realm="${OCI_REALM}"`);
    if (error.code === 'TOOMANYREQUESTS' && error.detail && typeof error.detail === 'object' && 'retryAfter' in error.detail) {
      res.setHeader('Retry-After', String((error.detail as { retryAfter: unknown }).retryAfter));
    }
    if (error.code === 'RANGE_INVALID' && error.detail && typeof error.detail === 'object' && 'size' in error.detail) {
      const size = Number((error.detail as { size: number }).size);
      res.setHeader('Range', `0-${Math.max(0, size - 1)}`);
    }
    res.status(error.status).json(error.body());
  };

  router.use('/v2', async (req, res) => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    let inputCode: OciErrorCode = 'MANIFEST_INVALID';
    // Pushes are audited like their GraphQL twins: `subject` is set while a write runs, recorded when it ends.
    let caller: Principal | undefined;
    let subject: OciAuditSubject | undefined;
    const audit = async (error?: unknown, extra: OciAuditSubject[] = []) => {
      const done = subject ? [subject, ...extra] : extra;
      subject = undefined;
      if (!caller || done.length === 0) return;
      const requestId = (res.locals as { requestId?: string }).requestId ?? null;
      await deps.audit.record(done.map((s) => ociAuditEvent(caller!, s, requestId, error)));
    };
    try {
      const principal = await authenticate(req);
      // Anonymous callers can never push: their attempts are the 401 challenge clients expect before sending credentials.
      if (isAuthenticated(principal)) caller = principal;
      const route = req.path;
      const method = req.method;

      if (route === '/' || route === '') {
        if (method !== 'GET' && method !== 'HEAD') throw unsupported(method);
        oci.assertCanRead(principal);
        return void res.json({});
      }

      if (route === '/token') {
        // The Bearer token flow, for clients that ask for it: the bearer is the caller's own token.
        const token = tokenOf(req);
        if (!token || !isAuthenticated(principal)) throw new OciError('UNAUTHORIZED', 'Send your pack-catalog token as the Basic password.');
        return void res.json({ token, access_token: token, expires_in: 3600 });
      }

      if (CATALOG_PATH.test(route)) {
        if (method !== 'GET') throw unsupported(method);
        const names = await oci.listRepositories(principal);
        const page = paginate(names, req, '/v2/_catalog');
        if (page.link) res.setHeader('Link', page.link);
        return void res.json({ repositories: page.items });
      }

      let match = TAGS_PATH.exec(route);
      if (match) {
        if (method !== 'GET') throw unsupported(method);
        const name = match[1]!;
        const tags = await oci.listTags(principal, name);
        const page = paginate(tags, req, `/v2/${name}/tags/list`);
        if (page.link) res.setHeader('Link', page.link);
        return void res.json({ name, tags: page.items });
      }

      match = MANIFEST_PATH.exec(route);
      if (match) {
        const [, name, reference] = match as unknown as [string, string, string];
        if (method === 'GET' || method === 'HEAD') {
          const manifest = await oci.getManifest(principal, name, reference);
          res.setHeader('Content-Type', manifest.mediaType);
          res.setHeader('Docker-Content-Digest', manifest.digest);
          res.setHeader('ETag', `"${manifest.digest}"`);
          res.setHeader('Content-Length', String(manifest.bytes.length));
          return void res.status(200).end(method === 'HEAD' ? undefined : manifest.bytes);
        }
        if (method === 'PUT') {
          subject = manifestSubject(name, reference);
          const body = await readBody(req, MAX_MANIFEST_BYTES);
          const pushed = await oci.putManifest(principal, name, reference, body, req.get('content-type'), { signal: res.locals.signal });
          if (pushed.kind === 'referrer') {
            const details = { ...subject.details, digest: pushed.digest, subject: pushed.subject };
            subject = { ...subject, action: 'oci.putReferrer', target: packTarget(name, pushed.digest), details };
            await audit();
            // distribution-spec "Pushing Manifests with Subject": the registry says it handled the subject.
            if (pushed.hasSubjectField) res.setHeader('OCI-Subject', pushed.subject);
            res.setHeader('Location', `/v2/${name}/manifests/${pushed.digest}`);
            res.setHeader('Docker-Content-Digest', pushed.digest);
            return void res.status(201).end();
          }
          const details = { ...subject.details, version: pushed.version, digest: pushed.digest, status: pushed.status };
          subject = { ...subject, target: packTarget(name, pushed.version), details };
          const tagMoved = pushed.tag ? [{ ...subject, action: 'oci.tagMoved' as const, details: { ...details, tag: pushed.tag } }] : [];
          await audit(undefined, tagMoved);
          res.setHeader('Location', `/v2/${name}/manifests/${pushed.digest}`);
          res.setHeader('Docker-Content-Digest', pushed.digest);
          return void res.status(201).end();
        }
        throw unsupported(method);
      }

      match = REFERRERS_PATH.exec(route);
      if (match) {
        const [, name, digest] = match as unknown as [string, string, string];
        if (method !== 'GET') throw unsupported(method);
        const artifactType = stringParam(req.query.artifactType);
        const listed = await oci.listReferrers(principal, name, digest, artifactType);
        if (listed.filtered) res.setHeader('OCI-Filters-Applied', 'artifactType');
        res.setHeader('Content-Type', 'application/vnd.oci.image.index.v1+json');
        return void res.status(200).end(listed.body);
      }

      inputCode = 'DIGEST_INVALID';
      match = UPLOADS_PATH.exec(route);
      if (match) {
        const name = match[1]!;
        if (method !== 'POST') throw unsupported(method);
        const mount = stringParam(req.query.mount);
        const digest = stringParam(req.query.digest);
        if (mount) {
          await oci.writableRegistry(principal, name);
          if (await oci.hasBlob(principal, mount)) {
            res.setHeader('Location', `/v2/${name}/blobs/${mount}`);
            res.setHeader('Docker-Content-Digest', mount);
            return void res.status(201).end();
          }
          // Not here: fall back to a new upload session, as the spec says.
        } else if (digest) {
          subject = blobSubject(name, digest);
          await oci.uploadMonolithic(principal, name, digest, req);
          await audit();
          res.setHeader('Location', `/v2/${name}/blobs/${digest}`);
          res.setHeader('Docker-Content-Digest', digest);
          return void res.status(201).end();
        }
        // A session start is recorded only when refused (a quota, no rights); the upload when it finishes.
        subject = blobSubject(name, undefined);
        const session = await oci.startUpload(principal, name);
        subject = undefined;
        res.setHeader('Location', `/v2/${name}/blobs/uploads/${session.uuid}`);
        res.setHeader('Docker-Upload-UUID', session.uuid);
        res.setHeader('Range', '0-0');
        res.setHeader('Content-Length', '0');
        return void res.status(202).end();
      }

      match = UPLOAD_PATH.exec(route);
      if (match) {
        const [, name, uuid] = match as unknown as [string, string, string];
        const location = `/v2/${name}/blobs/uploads/${uuid}`;
        const progress = (size: number) => {
          res.setHeader('Location', location);
          res.setHeader('Docker-Upload-UUID', uuid);
          res.setHeader('Range', `0-${Math.max(0, size - 1)}`);
          res.setHeader('Content-Length', '0');
        };
        if (method === 'GET') {
          progress(await oci.uploadStatus(principal, name, uuid));
          return void res.status(204).end();
        }
        if (method === 'PATCH') {
          subject = blobSubject(name, undefined, uuid);
          const start = contentRangeStart(req.get('content-range'));
          progress(await oci.appendUpload(principal, name, uuid, req, start));
          subject = undefined;
          return void res.status(202).end();
        }
        if (method === 'PUT') {
          const digest = stringParam(req.query.digest);
          subject = blobSubject(name, digest, uuid);
          if (!digest) throw new OciError('DIGEST_INVALID', 'Finishing an upload needs ?digest=sha256:<hex>.');
          await oci.finishUpload(principal, name, uuid, digest, req);
          await audit();
          res.setHeader('Location', `/v2/${name}/blobs/${digest}`);
          res.setHeader('Docker-Content-Digest', digest);
          res.setHeader('Content-Length', '0');
          return void res.status(201).end();
        }
        if (method === 'DELETE') {
          await oci.cancelUpload(principal, name, uuid);
          return void res.status(204).end();
        }
        throw unsupported(method);
      }

      match = BLOB_PATH.exec(route);
      if (match) {
        const [, name, digest] = match as unknown as [string, string, string];
        if (method !== 'GET' && method !== 'HEAD') throw unsupported(method);
        const blob = await oci.getBlob(principal, name, digest);
        res.setHeader('Docker-Content-Digest', blob.digest);
        res.setHeader('ETag', `"${blob.digest}"`);
        res.setHeader('Accept-Ranges', 'bytes');
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
        const range = parseRange(req.get('range'), blob.size);
        if (range === 'unsatisfiable') {
          res.setHeader('Content-Range', `bytes */${blob.size}`);
          throw new OciError('RANGE_INVALID', `The blob has ${blob.size} bytes.`);
        }
        if (range) {
          res.status(206);
          res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${blob.size}`);
          res.setHeader('Content-Length', String(range.end - range.start + 1));
        } else {
          res.setHeader('Content-Length', String(blob.size));
        }
        if (method === 'HEAD' || blob.size === 0) return void res.end();
        const stream = await blob.open(range ? { start: range.start, end: range.end } : undefined);
        await pipeline(stream, res).catch(() => res.destroy());
        return;
      }

      throw new OciError('UNSUPPORTED', `No OCI endpoint at /v2${route}.`, undefined, 404);
    } catch (error) {
      const mapped = toOciError(error, inputCode);
      await audit(mapped ?? error);
      if (mapped) return sendError(res, mapped);
      deps.logger.error({ err: error }, 'OCI request failed');
      if (res.headersSent) return void res.destroy();
      res.status(500).json({ errors: [{ code: 'UNKNOWN', message: 'Internal server error.' }] });
    }
  });

  // Helm chart repositories: `helm repo add NAME <url>/helm/<registry> --username x --password TOKEN`.
  router.get(['/helm/:registry/index.yaml', '/helm/:registry/charts/:file'], async (req, res) => {
    try {
      const principal = await authenticate(req);
      const registry = String(req.params.registry);
      if (req.params.file === undefined) {
        // Typed only once the index exists: an error answers as JSON.
        const index = await helm.index(principal, registry, res.locals.signal);
        res.type('application/x-yaml').send(index);
        return;
      }
      const chart = await helm.openChart(principal, registry, String(req.params.file), res.locals.signal);
      res.setHeader('Content-Type', 'application/gzip');
      res.setHeader('Content-Length', String(chart.size));
      res.setHeader('ETag', `"sha256:${chart.digest}"`);
      if (req.method === 'HEAD') {
        chart.stream.destroy();
        return void res.end();
      }
      await pipeline(chart.stream, res).catch(() => res.destroy());
    } catch (error) {
      const mapped = error instanceof OciError ? error : null;
      if (isDomainError(error) || mapped) {
        const code = mapped ? (mapped.status === 401 ? 'UNAUTHENTICATED' : 'BAD_REQUEST') : (error as DomainError).code;
        const status = mapped ? mapped.status : httpStatusOf(error as DomainError);
        if (status === 401) res.setHeader('WWW-Authenticate', `Basic realm="${OCI_REALM}"`);
        return void res.status(status).json({ errors: [{ message: (error as Error).message, extensions: { code } }] });
      }
      deps.logger.error({ err: error }, 'Helm request failed');
      if (res.headersSent) return void res.destroy();
      res.status(500).json({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  });

  return router;
}

function unsupported(method: string): OciError {
  return new OciError('UNSUPPORTED', `${method} is not supported here.`, undefined, 405);
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The start of a PATCH's `Content-Range` (`<start>-<end>`, or `bytes <start>-<end>/<size>`). */
function contentRangeStart(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!match) throw new OciError('RANGE_INVALID', `Malformed Content-Range "${header}".`);
  return Number(match[1]);
}

/** `n`/`last` pagination over a sorted list, with the spec's `Link: <...>; rel="next"`. */
function paginate(all: string[], req: Request, route: string): { items: string[]; link?: string } {
  const last = stringParam(req.query.last);
  const nParam = stringParam(req.query.n);
  const after = last === undefined ? all : all.filter((item) => item > last);
  if (nParam === undefined) return { items: after };
  const n = Number(nParam);
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) {
    throw new OciError('UNSUPPORTED', `n must be an integer between 0 and ${MAX_PAGE}.`, { n: nParam }, 400);
  }
  const items = after.slice(0, n);
  if (after.length > n && items.length > 0) {
    const next = `${route}?n=${n}&last=${encodeURIComponent(items[items.length - 1]!).replace(/%2F/g, '/')}`;
    return { items, link: `<${next}>; rel="next"` };
  }
  return { items };
}

async function readBody(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new OciError('SIZE_INVALID', `A manifest is limited to ${limit} bytes.`, undefined, 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
