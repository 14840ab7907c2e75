/**
 * A push-fed async iterable for subscription `subscribe` functions: producers `push` values as they
 * arrive (from a notification handler), graphql-ws pulls them. Bounded: a subscriber that reads
 * slower than values come gets, instead of a queue growing without limit, `overflowError()` as its
 * last value (the field resolver throws it, so the client sees a coded error) and the end of the
 * stream. `onClose` runs once, whichever side ends the stream (client stop, end, failure).
 */
export interface EventStreamOptions {
  /** Values queued for a slow reader before the stream fails. */
  maxBuffered: number;
  /** Unhooks the producer (handlers, timers); runs once when the stream ends for any reason. */
  onClose?: () => void;
  overflowError: () => Error;
}

export class EventStream<T> implements AsyncIterableIterator<T | Error> {
  private readonly buffer: Array<T | Error> = [];
  private waiting: { resolve: (result: IteratorResult<T | Error>) => void; reject: (error: unknown) => void } | null = null;
  private done = false;
  private failure: unknown = null;

  constructor(private readonly options: EventStreamOptions) {}

  get closed(): boolean {
    return this.done;
  }

  push(value: T | Error): void {
    if (this.done || this.failure) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    if (this.buffer.length >= this.options.maxBuffered) {
      // What is queued is dropped: the reader is told at once rather than after a backlog it can't keep up with.
      this.buffer.length = 0;
      this.buffer.push(this.options.overflowError());
      this.end();
      return;
    }
    this.buffer.push(value);
  }

  /** Ends the stream after what is buffered has been read. */
  end(): void {
    if (this.done || this.failure) return;
    this.failure = END;
    if (this.buffer.length === 0) this.finish();
  }

  /** Fails the stream: the reader gets `error` at its next read. */
  fail(error: unknown): void {
    if (this.done) return;
    this.buffer.length = 0;
    this.failure = error;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      this.close();
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T | Error>> {
    if (this.buffer.length > 0) {
      const value = this.buffer.shift()!;
      if (this.buffer.length === 0 && this.failure === END) this.close();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure === END || this.done) {
      this.close();
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.failure) {
      const error = this.failure;
      this.close();
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T | Error>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    this.close();
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.buffer.length = 0;
    this.options.onClose?.();
  }
}

const END = Symbol('end');
