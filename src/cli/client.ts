/**
 * The GraphQL client packctl talks through: JSON requests, multipart uploads streamed from disk
 * (the GraphQL multipart request spec, as `curl -F` would send), and artifact downloads hashed as
 * they are written. Every failure comes out as a {@link CliError} with the server's message and
 * `extensions.code`; nothing here lets a stack reach the user.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { Response } from 'undici';
import { Sha256Hasher } from '../platform/hashing.js';
import { HttpClient, type HttpClientOptions, type SendInit } from '../platform/http-client.js';
import { CliError, type CliIssue } from './errors.js';

export interface ClientOptions {
  /** The server's base URL (no `/graphql`). */
  url: string;
  token?: string;
  /** Accept a self-signed TLS certificate from this server. */
  insecure?: boolean;
  /** User-Agent suffix, e.g. the packctl version. */
  userAgent?: string;
  /** The HTTP client to send through (default: one of packctl's own). */
  http?: HttpClient;
}

/** A file sent as one variable of a GraphQL multipart request. */
export interface UploadFile {
  /** `variables.archive`: where the file goes in the operation's variables. */
  variable: string;
  path: string;
  filename?: string;
  contentType?: string;
}

/**
 * An operation generated from graphql/schema.graphql (src/cli/generated/, `npm run codegen`): its
 * text, and the types of its result and variables, so a request can't drift from the schema.
 */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

/** Variables may be left out only when the operation requires none. */
type VariablesOf<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface DownloadResult {
  /** `sha256:<hex>` of the bytes written. */
  digest: string;
  size: number;
}

type GraphQLErrorBody = { message?: string; extensions?: { code?: string; issues?: unknown; field?: string; [key: string]: unknown } };
type GraphQLResponse<T> = { data?: T | null; errors?: GraphQLErrorBody[] };

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** OpenSSL's answer when a TLS handshake gets a plain-HTTP reply (an https:// URL for an http:// port). */
const PLAIN_HTTP_REPLY_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

/**
 * packctl's transport: fetch's own patience (5 minutes for the headers and between body chunks),
 * no bound on connections. packctl never retries: a push is not idempotent.
 */
const PACKCTL_HTTP: HttpClientOptions = { timeoutMs: 300_000, connectionsPerOrigin: null };

/**
 * The multipart body of a GraphQL upload (fields `operations`, `map`, then the file), streamed
 * from disk with its exact length, so the archive is never held in memory. `onFileBytes` is called
 * with the file bytes handed to the connection so far.
 */
export async function createMultipartBody(
  operations: unknown,
  file: UploadFile,
  onFileBytes?: (sent: number) => void,
  boundary = `----packctl${randomBytes(12).toString('hex')}`,
): Promise<{ body: AsyncIterable<Uint8Array>; length: number; contentType: string; fileSize: number }> {
  const info = await stat(file.path);
  const filename = (file.filename ?? path.basename(file.path)).replace(/["\r\n]/g, '_');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify(operations)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: [file.variable] })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="${filename}"\r\n` +
      `Content-Type: ${file.contentType ?? 'application/gzip'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body(): AsyncGenerator<Uint8Array> {
    yield head;
    let sent = 0;
    for await (const chunk of createReadStream(file.path, { highWaterMark: 256 * 1024 })) {
      sent += (chunk as Buffer).length;
      yield chunk as Buffer;
      onFileBytes?.(sent);
    }
    if (sent !== info.size) throw new CliError(`${file.path} changed while it was being uploaded.`);
    yield tail;
  }
  return { body: body(), length: head.length + info.size + tail.length, contentType: `multipart/form-data; boundary=${boundary}`, fileSize: info.size };
}

export class CatalogClient {
  readonly url: string;
  private readonly http: HttpClient;

  constructor(private readonly options: ClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    const server = new URL(this.url).origin;
    // Any URL the server hands out may be fetched; the token goes to this server only: a redirect
    // elsewhere (a presigned object-store URL) carries its own authorisation.
    const policy = { refusal: () => null, sendsCredentialsTo: (url: URL) => url.origin === server };
    this.http = (options.http ?? new HttpClient(PACKCTL_HTTP)).withPolicy(policy, { insecureTls: options.insecure ?? false });
  }

  /** Run a query or mutation; GraphQL errors become a CliError with the first error's code. */
  async request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...[variables]: VariablesOf<TVariables>): Promise<TResult> {
    const response = await this.send(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
    return this.readGraphQL<TResult>(response);
  }

  /** Run a mutation with one file variable, streamed as multipart from disk. */
  async upload<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    variables: TVariables,
    file: UploadFile,
    onFileBytes?: (sent: number) => void,
  ): Promise<TResult> {
    const multipart = await createMultipartBody({ query: document.toString(), variables }, file, onFileBytes);
    const response = await this.send(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': multipart.contentType,
        'content-length': String(multipart.length),
        accept: 'application/json',
        // Apollo's CSRF prevention refuses multipart requests without a preflight-forcing header.
        'apollo-require-preflight': 'true',
      },
      body: multipart.body,
    });
    return this.readGraphQL<TResult>(response);
  }

  /**
   * GET an artifact into `destFile`, hashing it as it is written. The token goes only to this
   * server: a redirect elsewhere (a presigned object-store URL) carries its own authorisation.
   */
  async download(downloadUrl: string, destFile: string, onBytes?: (received: number, total?: number) => void): Promise<DownloadResult> {
    const target = new URL(downloadUrl, `${this.url}/`);
    const server = new URL(this.url);
    // Behind a TLS-terminating proxy without PUBLIC_URL the server builds http:// links to its own
    // https address; one host and port don't speak both, so the scheme packctl logged in with wins.
    if (target.host === server.host && target.protocol !== server.protocol) target.protocol = server.protocol;
    const response = await this.send(target.toString(), { method: 'GET' });
    if (!response.ok || !response.body) {
      const detail = await this.describeHttpFailure(response);
      throw new CliError(`Downloading ${target.pathname} failed: ${detail.message}`, { code: detail.code });
    }
    const lengthHeader = Number(response.headers.get('content-length'));
    const total = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : undefined;
    const hasher = new Sha256Hasher();
    const counted = async function* (source: AsyncIterable<Uint8Array>) {
      for await (const chunk of source) {
        hasher.update(chunk);
        onBytes?.(hasher.size, total);
        yield chunk;
      }
    };
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), counted, createWriteStream(destFile, { mode: 0o600 }));
    } catch (error) {
      throw new CliError(`Downloading ${target.pathname} was interrupted (${describeNetworkError(error).reason}).`);
    }
    return hasher.result();
  }

  /** One exchange; the client's policy drops the token for other origins, and fetch follows redirects. */
  private async send(url: string, init: SendInit): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers, 'user-agent': `packctl${this.options.userAgent ? `/${this.options.userAgent}` : ''}` };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    try {
      return await this.http.send(url, { ...init, headers, redirect: 'follow' });
    } catch (error) {
      if (error instanceof CliError) throw error;
      const { reason, code } = describeNetworkError(error);
      if (code && PLAIN_HTTP_REPLY_CODES.has(code) && this.url.startsWith('https://')) {
        // The bare OpenSSL record dump tells a user nothing; the fix is one letter.
        const plain = `http://${this.url.slice('https://'.length)}`;
        throw new CliError(`Could not reach ${this.url}: the server answered plain HTTP; use http://.`, {
          code: 'PLAIN_HTTP_SERVER',
          hint: `Log in with: packctl login ${plain}`,
        });
      }
      const hint = code && TLS_ERROR_CODES.has(code) ? `If you trust this server, log in again with --insecure: packctl login ${this.url} --insecure` : undefined;
      throw new CliError(`Could not reach ${this.url}: ${reason}.`, { hint });
    }
  }

  private async readGraphQL<T>(response: Response): Promise<T> {
    const text = await response.text().catch(() => '');
    let body: GraphQLResponse<T> | undefined;
    if (text) {
      try {
        body = JSON.parse(text) as GraphQLResponse<T>;
      } catch {
        body = undefined;
      }
    }
    if (body?.errors?.length) throw errorFromGraphQL(body.errors, this.url);
    if (!response.ok || !body || body.data === undefined || body.data === null) {
      if (response.status === 404) throw new CliError(`${this.url} has no GraphQL endpoint at /graphql (HTTP 404): is this a pack-catalog server?`);
      const detail = await this.describeHttpFailure(response, text);
      throw new CliError(`The server answered ${detail.message}`, { code: detail.code });
    }
    return body.data;
  }

  private async describeHttpFailure(response: Response, text?: string): Promise<{ message: string; code?: string }> {
    const bodyText = text ?? (await response.text().catch(() => ''));
    try {
      const parsed = JSON.parse(bodyText) as { errors?: GraphQLErrorBody[]; error?: string; message?: string; code?: string };
      if (parsed.errors?.length) {
        const error = errorFromGraphQL(parsed.errors, this.url);
        return { message: error.message, code: error.code };
      }
      const message = parsed.message ?? parsed.error;
      if (message) return { message: `${message} (HTTP ${response.status})`, code: parsed.code };
    } catch {
      // Not JSON: the status says enough.
    }
    return { message: `HTTP ${response.status} ${response.statusText}`.trim(), code: response.status === 401 ? 'UNAUTHENTICATED' : undefined };
  }
}

/** The one error the user sees for a GraphQL error list: every distinct message, the first code. */
export function errorFromGraphQL(errors: readonly GraphQLErrorBody[], serverUrl = '<url>'): CliError {
  const messages = [...new Set(errors.map((error) => error.message ?? 'Unknown error.'))];
  const first = errors[0]?.extensions ?? {};
  const code = typeof first.code === 'string' ? first.code : undefined;
  const issues = Array.isArray(first.issues) ? (first.issues as CliIssue[]) : undefined;
  const hint =
    code === 'UNAUTHENTICATED'
      ? `The token was refused (revoked or expired?). Log in again: packctl login ${serverUrl} --token <token>`
      : undefined;
  return new CliError(messages.join(' '), { code, issues, hint, extensions: first });
}

function describeNetworkError(error: unknown): { reason: string; code?: string } {
  let current: unknown = error;
  let deepest = error instanceof Error ? error.message : String(error);
  // fetch wraps the socket error: "fetch failed" with the real one in `cause`.
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.message === 'string' && candidate.message) deepest = candidate.message;
    if (typeof candidate.code === 'string') {
      const message = typeof candidate.message === 'string' && candidate.message ? candidate.message : candidate.code;
      return { reason: message.includes(candidate.code) ? message : `${message} (${candidate.code})`, code: candidate.code };
    }
    current = candidate.cause;
  }
  return { reason: deepest };
}
