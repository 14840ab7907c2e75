/**
 * Rate limits shared through Redis (issue 19, point 2): two replicas (two apps on one database and one
 * real redis-server) allow one token its limit once between them, not once each; while Redis is down
 * each replica limits on its own (the insurance limiter), and /readyz says Redis is unavailable.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

const LIMIT = 10;

describe('rate limits shared through Redis (REDIS_URL)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.close());

  const me = (t: TestApp, token: string) =>
    request(t.app).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`).send({ query: '{ me { name } }' });

  it('two replicas allow one token the limit once between them; the next request is 429 with Retry-After', async () => {
    const token = `shared-admin-${randomBytes(12).toString('hex')}`;
    const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: String(LIMIT), ADMIN_TOKEN: token };
    const [a, b] = [await createTestApp({ env }), await createTestApp({ env })];
    try {
      const statuses: number[] = [];
      let refused: request.Response | undefined;
      for (let i = 0; i < LIMIT + 4; i++) {
        const response = await me(i % 2 === 0 ? a : b, token);
        statuses.push(response.status);
        if (response.status === 429) refused ??= response;
      }
      // Per process, each replica would have allowed LIMIT: 2 x LIMIT in all, no 429 in these 14.
      expect(statuses).toEqual([...Array(LIMIT).fill(200), ...Array(4).fill(429)]);
      expect(Number(refused!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused!.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused!.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      const ready = await request(a.app).get('/readyz');
      expect({ status: ready.status, redis: ready.body.checks.redis }).toEqual({ status: 200, redis: 'ok' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('with Redis unreachable each replica limits on its own (neither unlimited nor refusing all); /readyz is 503 naming Redis', async () => {
    const token = `down-admin-${randomBytes(12).toString('hex')}`;
    const t = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_MINUTE: String(LIMIT), ADMIN_TOKEN: token } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT + 2; i++) statuses.push((await me(t, token)).status);
      expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
      const ready = await request(t.app).get('/readyz');
      expect({ status: ready.status, redis: ready.body.checks.redis }).toEqual({ status: 503, redis: 'unavailable' });
    } finally {
      await t.close();
    }
  });

  it('without REDIS_URL /readyz has no Redis check', async () => {
    const t = await createTestApp();
    try {
      const ready = await request(t.app).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks).not.toHaveProperty('redis');
    } finally {
      await t.close();
    }
  });
});
