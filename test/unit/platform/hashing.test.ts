import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { digestOf, hexOfDigest, Sha256Hasher, sha256File, sha256Hex, sha256Stream } from '../../../src/platform/hashing.js';

// sha256("abc") from FIPS 180-2, and of no bytes at all.
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('the sha256 helper', () => {
  it('names bytes held in memory', () => {
    expect(sha256Hex('abc')).toBe(ABC);
    expect(digestOf(Buffer.from('abc'))).toBe(`sha256:${ABC}`);
    expect(hexOfDigest(`sha256:${ABC}`)).toBe(ABC);
  });

  it('hashes and counts bytes as they pass, whatever the chunking', async () => {
    const hasher = new Sha256Hasher();
    hasher.update('a').update(Buffer.from('b')).update(new Uint8Array([0x63]));
    expect(hasher.size).toBe(3);
    expect(hasher.result()).toEqual({ digest: `sha256:${ABC}`, size: 3 });
    expect(await sha256Stream(Readable.from([Buffer.from('ab'), Buffer.from('c')]))).toEqual({ digest: `sha256:${ABC}`, size: 3 });
    expect(await sha256Stream(Readable.from([]))).toEqual({ digest: `sha256:${EMPTY}`, size: 0 });
  });

  it('hashes a file as a stream', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hashing-'));
    try {
      await writeFile(join(dir, 'f'), 'abc');
      expect(await sha256File(join(dir, 'f'))).toEqual({ digest: `sha256:${ABC}`, size: 3 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
