import { InflightRequests, shutdownReason } from '../../../src/platform/inflight.js';

describe('InflightRequests', () => {
  it('aborts every request in flight when the service shuts down, and later ones at once', () => {
    const shutdown = new AbortController();
    const inflight = new InflightRequests(shutdown.signal);
    const first = inflight.start();
    const second = inflight.start();
    const reason = shutdownReason();
    shutdown.abort(reason);
    expect(first.signal.reason).toBe(reason);
    expect(second.signal.reason).toBe(reason);
    expect(inflight.start().signal.reason).toBe(reason);
    expect(reason).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('aborts a request whose client left, not one that was answered, and forgets both', () => {
    const inflight = new InflightRequests(new AbortController().signal);
    const answered = inflight.start();
    const abandoned = inflight.start();
    expect(inflight.size).toBe(2);
    answered.finish(false);
    abandoned.finish(true);
    expect(answered.signal.aborted).toBe(false);
    expect(abandoned.signal.reason).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/client closed/) });
    // Nothing stays referenced by the long-lived shutdown signal once requests end.
    expect(inflight.size).toBe(0);
  });

  it('works without a shutdown signal (tests building the app alone)', () => {
    const inflight = new InflightRequests();
    const request = inflight.start();
    request.finish(true);
    expect(request.signal.aborted).toBe(true);
  });
});
