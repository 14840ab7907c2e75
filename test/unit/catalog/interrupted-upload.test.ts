import { isInterruptedUpload } from '../../../src/catalog/pack.publish.service.js';

describe('isInterruptedUpload', () => {
  it('recognises an upload the client abandoned, and nothing else', () => {
    // graphql-upload-minimal destroys the file stream with this when the request goes away mid-file.
    expect(isInterruptedUpload(new Error('Request disconnected during file upload stream parsing.'))).toBe(true);
    // busboy, when the body ends before the form (or the file) does.
    expect(isInterruptedUpload(new Error('Unexpected end of form'))).toBe(true);
    expect(isInterruptedUpload(new Error('Unexpected end of file'))).toBe(true);
    expect(isInterruptedUpload(new Error('ENOSPC: no space left on device'))).toBe(false);
    expect(isInterruptedUpload(null)).toBe(false);
  });
});
