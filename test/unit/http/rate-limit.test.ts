/** The front door's limiter (issue 12, point 11): failed authentications per address, requests per caller. */
import { jest } from '@jest/globals';
import { RateLimiter } from '../../../src/http/rate-limit.js';
import { RateLimitedError, UnauthenticatedError } from '../../../src/errors.js';
import { ANONYMOUS as anonymous, type Principal } from '../../../src/auth/principal.js';

const viewer: Principal = { name: 'v', role: 'VIEWER', registries: [], tokenId: 't1', kind: 'token' };

describe('RateLimiter', () => {
  it('refuses credentials from an address past its failures without calling verify, and only from that address', async () => {
    const limiter = new RateLimiter({ rateLimitPerMinute: 0, authFailuresPerMinute: 2 });
    const bad = jest.fn(async () => {
      throw new UnauthenticatedError('Invalid token.');
    });
    await expect(limiter.authenticate('10.0.0.1', true, bad)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(limiter.authenticate('10.0.0.1', true, bad)).rejects.toBeInstanceOf(UnauthenticatedError);
    const good = jest.fn(async () => viewer);
    const refused = await limiter.authenticate('10.0.0.1', true, good).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(good).not.toHaveBeenCalled();
    expect(bad).toHaveBeenCalledTimes(2);
    // Another address, and a request without credentials from the blocked one, go through.
    await expect(limiter.authenticate('10.0.0.2', true, good)).resolves.toBe(viewer);
    await expect(limiter.authenticate('10.0.0.1', false, async () => anonymous)).resolves.toBe(anonymous);
  });

  it('counts only authentication failures (a 401 from a protocol adapter too), not other errors', async () => {
    const limiter = new RateLimiter({ rateLimitPerMinute: 0, authFailuresPerMinute: 1 });
    const down = async (): Promise<Principal> => {
      throw new Error('database unavailable');
    };
    for (let i = 0; i < 3; i++) await expect(limiter.authenticate('10.0.0.3', true, down)).rejects.toThrow('database unavailable');
    await expect(limiter.authenticate('10.0.0.3', true, async () => viewer)).resolves.toBe(viewer);
    const basic401 = async (): Promise<Principal> => {
      throw Object.assign(new Error('Basic credentials need a token.'), { status: 401 });
    };
    await expect(limiter.authenticate('10.0.0.3', true, basic401)).rejects.toThrow('Basic credentials');
    await expect(limiter.authenticate('10.0.0.3', true, async () => viewer)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("takes each request from the token's budget, or the address's when anonymous", async () => {
    const limiter = new RateLimiter({ rateLimitPerMinute: 2, authFailuresPerMinute: 0 });
    for (let i = 0; i < 2; i++) await limiter.authenticate('10.0.0.4', true, async () => viewer);
    await expect(limiter.authenticate('10.0.0.5', true, async () => viewer)).rejects.toBeInstanceOf(RateLimitedError);
    for (let i = 0; i < 2; i++) await limiter.authenticate('10.0.0.4', false, async () => anonymous);
    await expect(limiter.authenticate('10.0.0.4', false, async () => anonymous)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limiter.authenticate('10.0.0.5', false, async () => anonymous)).resolves.toBe(anonymous);
  });
});
