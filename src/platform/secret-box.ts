/** Encrypts small secrets at rest (upstream registry credentials) with AES-256-GCM. */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 1;

export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    // Any long random string works as SECRET_KEY; sha256 turns it into exactly 32 key bytes.
    this.key = createHash('sha256').update(secretKey, 'utf8').digest();
  }

  /** Layout: version byte | iv (12) | tag (16) | ciphertext. */
  seal(plaintext: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), data]);
  }

  open(sealed: Uint8Array): string {
    const buffer = Buffer.from(sealed);
    if (buffer[0] !== VERSION) throw new Error('Unknown sealed secret format.');
    const iv = buffer.subarray(1, 1 + IV_BYTES);
    const tag = buffer.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(buffer.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/**
 * The embedded default has no SECRET_KEY: keep a generated one in `<dataDir>/secret-key` (0600),
 * so credentials stored on one start can be read on the next.
 */
export async function loadOrCreateSecretKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'secret-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32).toString('base64url');
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return (await readFile(file, 'utf8')).trim();
  }
}
