import { ReadAfterDestroyedError } from 'fs-capacitor';
import { isInterruptedUpload } from '../../../src/catalog/pack.publish.service.js';

describe('isInterruptedUpload', () => {
  it('recognises an upload the client abandoned, and nothing else', () => {
    // graphql-upload destroys the buffered file when the request goes away before the resolver reads it.
    expect(isInterruptedUpload(new ReadAfterDestroyedError('A ReadStream cannot be created from a destroyed WriteStream.'))).toBe(true);
    expect(isInterruptedUpload(new Error('Request disconnected during file upload stream parsing.'))).toBe(true);
    expect(isInterruptedUpload(new Error('Unexpected end of form'))).toBe(true);
    expect(isInterruptedUpload(new Error('ENOSPC: no space left on device'))).toBe(false);
    expect(isInterruptedUpload(null)).toBe(false);
  });
});
