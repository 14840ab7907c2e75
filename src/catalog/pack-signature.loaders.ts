/** Per-request loader of versions' signatures: a page of versions is checked in one batch (constant statements). */
import DataLoader from 'dataloader';
import type { SignatureReader, SignedVersionRef, VersionSignatureInfo } from './signature.gate.js';

export interface SignatureLoaders {
  byVersion: DataLoader<SignedVersionRef & { id: string }, VersionSignatureInfo[], string>;
}

export function createSignatureLoaders(reader: SignatureReader): SignatureLoaders {
  return {
    byVersion: new DataLoader((versions) => reader.signaturesOf(versions), { cacheKeyFn: (v) => v.id }),
  };
}
