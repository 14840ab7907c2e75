/**
 * Audit events of OCI pushes, written through the same recorder as the GraphQL mutations and with
 * the same conventions: the actor is the token's name, the target of a pack is
 * `<registry>/<pack>:<version>` (as pushPack's), the outcome SUCCESS or FAILURE, and a failure's
 * message is `<CODE>: <message>` with the OCI error code. Actions are prefixed `oci.` so a filter
 * tells the two doors apart:
 *
 * - `oci.putManifest`: a manifest PUT (the GraphQL twin is `pushPack`); details.status says whether
 *   it created the version or found it unchanged;
 * - `oci.tagMoved`: a manifest PUT to a Palette tag (`group__label`) set or moved it (twin: `addPackTag`);
 * - `oci.putReferrer`: a manifest PUT with a `subject` (or to a `sha256-<hex>.sig` tag): a signature
 *   or other referrer of `details.subject`;
 * - `oci.blobUpload`: a blob upload finished (POST ?digest=, or PUT of a session), or a session start
 *   or chunk was refused (quota, rights); chunks that land are not recorded one by one.
 */
import type { Principal } from '../auth/principal.js';
import type { AuditEventInput } from '../audit/audit.service.js';
import { parseRepositoryName } from './oci.manifest.js';
import { toOciError } from './oci.errors.js';

export type OciAuditAction = 'oci.putManifest' | 'oci.putReferrer' | 'oci.tagMoved' | 'oci.blobUpload';

/** What a push acted on, known before it runs (and refined by its result). */
export interface OciAuditSubject {
  action: OciAuditAction;
  targetType: 'pack' | 'blob';
  target: string;
  details: Record<string, unknown>;
}

/** A message in the trail is a summary, not a copy of whatever an error carried. */
const MAX_MESSAGE = 300;

/** The subject of a manifest PUT before it runs: the reference is all that is known of the version. */
export function manifestSubject(repository: string, reference: string): OciAuditSubject {
  return { action: 'oci.putManifest', targetType: 'pack', target: packTarget(repository, reference), details: repositoryDetails(repository, { reference }) };
}

/** The subject of a blob upload; the digest is unknown until the client names it (at the last request). */
export function blobSubject(repository: string, digest: string | undefined, upload?: string): OciAuditSubject {
  const repo = parseRepositoryName(repository);
  const base = repo ? `${repo.registry}/${repo.pack}` : repository;
  return {
    action: 'oci.blobUpload',
    targetType: 'blob',
    target: digest ? `${base}@${digest}` : base,
    details: repositoryDetails(repository, { ...(digest ? { digest } : {}), ...(upload ? { upload } : {}) }),
  };
}

/** `<registry>/<pack>:<version>` (or `@<digest>`), the form pushPack's events use. */
export function packTarget(repository: string, reference: string): string {
  const repo = parseRepositoryName(repository);
  const base = repo ? `${repo.registry}/${repo.pack}` : repository;
  return reference.startsWith('sha256:') ? `${base}@${reference}` : `${base}:${reference}`;
}

/** One event: SUCCESS without `error`, FAILURE with its OCI code otherwise. */
export function ociAuditEvent(actor: Principal, subject: OciAuditSubject, requestId: string | null, error?: unknown): AuditEventInput {
  let message: string | null = null;
  if (error !== undefined) {
    const mapped = toOciError(error);
    message = mapped ? `${mapped.code}: ${mapped.message.slice(0, MAX_MESSAGE)}` : 'UNKNOWN: internal error';
  }
  return {
    actor: actor.name,
    action: subject.action,
    targetType: subject.targetType,
    target: subject.target,
    outcome: error === undefined ? 'SUCCESS' : 'FAILURE',
    message,
    details: subject.details,
    requestId,
  };
}

function repositoryDetails(repository: string, extra: Record<string, unknown>): Record<string, unknown> {
  const repo = parseRepositoryName(repository);
  return { ...(repo ? { registry: repo.registry, name: repo.pack } : { repository }), ...extra };
}
