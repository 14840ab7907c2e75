import { once } from 'node:events';
import { Readable } from 'node:stream';
import { UploadStream } from '../../../src/http/upload-stream.js';

/** A file stream as busboy hands it over: chunks on demand, 'limit' when it reaches the size limit. */
function source(chunks: number, size = 1024): Readable & { truncated?: boolean } {
  let sent = 0;
  return new Readable({
    highWaterMark: size,
    read() {
      this.push(sent++ < chunks ? Buffer.alloc(size, 1) : null);
    },
  });
}

describe('UploadStream', () => {
  it('hands on every byte of the file', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of new UploadStream(source(50), 1e9)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).length).toBe(50 * 1024);
  });

  it('fails with a 413 when the file reaches the size limit, instead of ending truncated', async () => {
    const file = source(50);
    const stream = new UploadStream(file, 4096);
    stream.once('data', () => file.emit('limit'));
    const [error] = (await once(stream, 'error').catch((e: unknown) => [e])) as [Error & { status?: number }];
    expect(error.status).toBe(413);
    expect(error.message).toBe('File truncated as it exceeds the 4096 byte size limit.');
  });

  it('drains the rest of the file when its reader gives up, so the request goes on to its end', async () => {
    const file = source(200);
    const stream = new UploadStream(file, 1e9);
    stream.once('data', () => stream.destroy());
    await once(file, 'end');
    expect(file.readableEnded).toBe(true);
  });

  it('fails at once over a file that was cut off before it was asked for', async () => {
    const file = source(10);
    file.on('error', () => undefined);
    file.destroy(new Error('Request disconnected during file upload stream parsing.'));
    await new Promise((resolve) => setImmediate(resolve));
    const stream = new UploadStream(file, 1e9);
    const [error] = (await once(stream, 'error').catch((e: unknown) => [e])) as [Error];
    expect(error.message).toMatch(/disconnected/);
  });
});
