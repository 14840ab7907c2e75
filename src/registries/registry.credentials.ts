/** Upstream credentials at rest: sealed with the service's key when stored, opened only for adapters. */
import type { SecretBox } from '../platform/secret-box.js';
import type { RegistryCredentials } from './registry.model.js';

export class RegistryCredentialsBox {
  constructor(private readonly secrets: SecretBox) {}

  seal(credentials: RegistryCredentials): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.secrets.seal(JSON.stringify(credentials)));
  }

  /** The decrypted credentials of an upstream registry, for adapters only; never for the API. */
  openCredentials(registry: { credentials: Uint8Array | null }): RegistryCredentials | null {
    return registry.credentials ? (JSON.parse(this.secrets.open(registry.credentials)) as RegistryCredentials) : null;
  }
}
