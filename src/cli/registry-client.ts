/**
 * packctl's client of the server's OCI distribution API (`/v2`): what signing and verifying need
 * (manifests, blobs, referrers, monolithic blob uploads, manifest pushes). The token goes to this
 * server only, as Bearer, like the GraphQL client's.
 */
import type { Response } from 'undici';
import { digestOf } from '../platform/hashing.js';
import { HttpClient } from '../platform/http-client.js';
import { CliError } from './errors.js';

/** Signature manifests and payloads are small: anything bigger is not one. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

export class RegistryClient {
  private readonly url: string;
  private readonly http: HttpClient;

  constructor(options: { url: string; token?: string; insecure?: boolean }, private readonly token = options.token) {
    this.url = options.url.replace(/\/+$/, '');
    const server = new URL(this.url).origin;
    this.http = new HttpClient({ timeoutMs: 120_000 }).withPolicy({ refusal: () => null, sendsCredentialsTo: (url: URL) => url.origin === server }, {
      insecureTls: options.insecure ?? false,
    });
  }

  static repository(registry: string, pack: string): string {
    return `${registry}/spectro-packs/archive/${pack}`;
  }

  /** A manifest's bytes and digest (checked against its bytes), or null when absent. */
  async manifest(repo: string, reference: string): Promise<{ bytes: Buffer; digest: string } | null> {
    const response = await this.send(`/v2/${repo}/manifests/${reference}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
    });
    if (response.status === 404) return null;
    const bytes = await this.body(response, `manifest ${reference}`);
    return { bytes, digest: digestOf(bytes) };
  }

  /** A blob's bytes, checked against its digest. */
  async blob(repo: string, digest: string): Promise<Buffer> {
    const bytes = await this.body(await this.send(`/v2/${repo}/blobs/${digest}`), `blob ${digest}`);
    if (digestOf(bytes) !== digest) throw new CliError(`The server sent other bytes than blob ${digest}.`, { code: 'DIGEST_MISMATCH' });
    return bytes;
  }

  /** The descriptors of the referrers of `digest`. */
  async referrers(repo: string, digest: string): Promise<Array<{ digest: string; artifactType?: string; mediaType: string }>> {
    const bytes = await this.body(await this.send(`/v2/${repo}/referrers/${digest}`), `referrers of ${digest}`);
    const index = JSON.parse(bytes.toString('utf8')) as { manifests?: Array<{ digest: string; artifactType?: string; mediaType: string }> };
    return index.manifests ?? [];
  }

  async uploadBlob(repo: string, bytes: Buffer): Promise<void> {
    const response = await this.send(`/v2/${repo}/blobs/uploads/?digest=${digestOf(bytes)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
      body: bytes,
    });
    if (response.status !== 201) throw await this.failure(response, 'Uploading a signature blob');
  }

  async putManifest(repo: string, reference: string, bytes: Buffer, mediaType: string): Promise<void> {
    const response = await this.send(`/v2/${repo}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
    if (response.status !== 201) throw await this.failure(response, `Pushing manifest ${reference}`);
  }

  private async send(path: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return this.http.send(`${this.url}${path}`, { ...init, headers, redirect: 'follow' });
  }

  private async body(response: Response, what: string): Promise<Buffer> {
    if (!response.ok) throw await this.failure(response, `Reading ${what}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_READ_BYTES) throw new CliError(`The ${what} is larger than ${MAX_READ_BYTES} bytes.`);
    return bytes;
  }

  private async failure(response: Response, doing: string): Promise<CliError> {
    let code: string | undefined;
    let message = `HTTP ${response.status}`;
    try {
      const body = (await response.json()) as { errors?: Array<{ code?: string; message?: string; detail?: { reason?: string } }> };
      const first = body.errors?.[0];
      code = first?.detail?.reason ?? first?.code;
      if (first?.message) message = first.message;
    } catch {
      // not the spec's error JSON: the status says enough
    }
    return new CliError(`${doing} failed: ${message}`, { code });
  }
}
