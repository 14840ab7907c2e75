/** EventStream: the bounded push-fed iterator behind every subscription. */
import { EventStream } from '../../../src/graphql/event-stream.js';

const stream = (maxBuffered = 3, onClose?: () => void) =>
  new EventStream<number>({ maxBuffered, onClose, overflowError: () => new Error('too slow') });

describe('EventStream', () => {
  it('hands values to a waiting reader and buffers the others, in order', async () => {
    const s = stream();
    const first = s.next();
    s.push(1);
    s.push(2);
    s.push(3);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await s.next()).toEqual({ value: 2, done: false });
    expect(await s.next()).toEqual({ value: 3, done: false });
  });

  it('ends after what is buffered has been read, and calls onClose once', async () => {
    let closed = 0;
    const s = stream(3, () => closed++);
    s.push(1);
    s.end();
    expect(closed).toBe(0);
    expect(await s.next()).toEqual({ value: 1, done: false });
    expect(await s.next()).toEqual({ value: undefined, done: true });
    await s.return();
    expect(closed).toBe(1);
  });

  it('drops the backlog of a slow reader: its last value is the overflow error, then the end', async () => {
    let closed = 0;
    const s = stream(2, () => closed++);
    for (const n of [1, 2, 3, 4]) s.push(n);
    const last = await s.next();
    expect(last.value).toBeInstanceOf(Error);
    expect((last.value as Error).message).toBe('too slow');
    expect(await s.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it('return() (the client stopped) ends a pending read and unhooks the producer; later pushes are ignored', async () => {
    let closed = 0;
    const s = stream(3, () => closed++);
    const pending = s.next();
    await s.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    s.push(5);
    expect(await s.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it('fail() rejects the waiting reader', async () => {
    const s = stream();
    const pending = s.next();
    s.fail(new Error('gone'));
    await expect(pending).rejects.toThrow('gone');
  });
});
