/**
 * Relays the body of one HTTP GET straight into a Writable (an HTTP response, usually), through an
 * undici dispatcher's handler interface: each chunk the parser hands over is written to the
 * destination as is, and the socket is paused while the destination holds a full window unsent. No intermediate
 * stream sits between the two sockets, which is what makes proxying a large download cost little
 * more than the download itself (the `minio` client's getObject goes through node:http's
 * IncomingMessage, whose small buffer stops and restarts the socket on nearly every chunk).
 */
import type { Writable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** What the server answered: a 200 was relayed into the destination; anything else was not (`body` holds the start of its text). */
export interface RelayOutcome {
  statusCode: number;
  /** Up to 64 KiB of a non-200 answer's body, for its error code. */
  body?: string;
}

const ERROR_BODY_LIMIT = 64 * 1024;
/**
 * Bytes the destination may hold unsent before the upstream socket is paused. A response's own
 * high-water mark (16 KiB) is smaller than one upstream chunk (~64 KiB), so pausing whenever a
 * write says "full" stopped and restarted the upstream on every chunk; with this window both
 * sockets keep moving, and memory stays bounded (the window plus one chunk per download).
 */
const RELAY_WINDOW = 1024 * 1024;

/**
 * GETs `url` through `dispatcher`; on 200 writes the body into `destination` and ends it, resolving
 * once the destination has finished. On any other status the destination is left untouched (the
 * caller can still answer with an error) and the outcome carries the status. Rejects on a network
 * error, destroying the destination when part of the body was already written, and aborts the
 * request when the destination closes early (the client went away).
 */
export function relayGet(dispatcher: Dispatcher, url: URL, destination: Writable, headers: Record<string, string> = {}): Promise<RelayOutcome> {
  return new Promise<RelayOutcome>((resolve, reject) => {
    let abort: ((reason?: Error) => void) | undefined;
    let relaying = false;
    let settled = false;
    let errorBody = '';
    let statusCode = 0;
    const onClose = () => {
      if (settled) return;
      const error = new Error('The destination closed before the download was complete.');
      fail(error);
      // Stop downloading what nobody will read; undici's onError that follows finds the promise settled.
      abort?.(error);
    };
    let resumeOnDrain: (() => void) | undefined;
    const cleanUp = () => {
      settled = true;
      destination.off('close', onClose);
      if (resumeOnDrain) destination.off('drain', resumeOnDrain);
    };
    const fail = (error: Error) => {
      if (settled) return;
      cleanUp();
      if (relaying) destination.destroy(error);
      reject(error);
    };
    dispatcher.dispatch(
      { origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET', headers },
      {
        onConnect(abortRequest) {
          abort = abortRequest;
          if (destination.destroyed) abortRequest(new Error('The destination closed before the download started.'));
        },
        onHeaders(status, _rawHeaders, resume) {
          statusCode = status;
          if (status !== 200) return true;
          relaying = true;
          destination.on('close', onClose);
          resumeOnDrain = () => resume();
          destination.on('drain', resumeOnDrain);
          return destination.writableLength < RELAY_WINDOW;
        },
        onData(chunk) {
          if (!relaying) {
            if (errorBody.length < ERROR_BODY_LIMIT) errorBody += chunk.toString('utf8', 0, Math.min(chunk.length, ERROR_BODY_LIMIT));
            return true;
          }
          // false pauses the socket until the destination drains ('drain' comes: a write past its
          // high-water mark said false), only once the window is full.
          destination.write(chunk);
          return destination.writableLength < RELAY_WINDOW;
        },
        onComplete() {
          if (!relaying) {
            cleanUp();
            resolve({ statusCode, body: errorBody });
            return;
          }
          destination.end(() => {
            if (settled) return;
            cleanUp();
            resolve({ statusCode });
          });
        },
        onError(error) {
          fail(error);
        },
      },
    );
  });
}
