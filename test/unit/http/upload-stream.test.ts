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

  it('is destroyed with an error after its reader stopped listening without an uncaught error (the push stops an upload whose client left)', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      // A file whose next bytes have not arrived yet: the request is still open.
      let sent = 0;
      const file = new Readable({
        read() {
          if (sent++ < 4) this.push(Buffer.alloc(1024, 1));
        },
      });
      const stream = new UploadStream(file, 1e9);
      await once(stream, 'readable');
      // The reader lets go without reading on, then the request's abort destroys the stream with its reason.
      const closed = new Promise((resolve) => stream.once('close', resolve));
      stream.destroy(Object.assign(new Error('The client closed the request before its answer.'), { code: 'SERVICE_UNAVAILABLE' }));
      await closed;
      await new Promise((resolve) => setImmediate(resolve));
      expect(stream.errored?.message).toBe('The client closed the request before its answer.');
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
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
