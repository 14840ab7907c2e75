import { contentDisposition } from '../../../src/artifacts/s3-responses.js';

describe('contentDisposition', () => {
  it('quotes a printable ASCII name, escaping quotes and backslashes', () => {
    expect(contentDisposition('nginx-1.27.0.tgz')).toBe('attachment; filename="nginx-1.27.0.tgz"');
    expect(contentDisposition('a "b"\\c.tgz')).toBe('attachment; filename="a \\"b\\"\\\\c.tgz"');
  });

  it('adds the exact UTF-8 name (RFC 8187) with an ASCII fallback when the name is not ASCII', () => {
    expect(contentDisposition("café's.tgz")).toBe(`attachment; filename="caf_'s.tgz"; filename*=UTF-8''caf%C3%A9%27s.tgz`);
    expect(contentDisposition('a\nb.tgz')).toBe(`attachment; filename="a_b.tgz"; filename*=UTF-8''a%0Ab.tgz`);
  });
});
