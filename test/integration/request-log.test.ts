/**
 * The access log (issue 20, point 5): probes and metrics scrapes at debug, so at the default level
 * they don't bury the start banner; one info line for every other request.
 */
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { pollUntil } from '../helpers/wait-until.js';

interface Line {
  level: string;
  msg: string;
  url?: string;
  status?: number;
  requestId?: string;
}

const linesOf = (t: TestApp, from: number): Line[] =>
  t
    .logs()
    .slice(from)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

/** The 'request' lines logged since `from`, once `count` of them are there (the log line follows the response). */
function requestLines(t: TestApp, from: number, count: number): Promise<Line[]> {
  return pollUntil(() => linesOf(t, from).filter((line) => line.msg === 'request'), (lines) => lines.length >= count, {
    what: `${count} request lines are logged`,
    timeoutMs: 1_000,
    intervalMs: 20,
  });
}

async function visit(t: TestApp): Promise<string> {
  await request(t.app).get('/healthz').expect(200);
  await request(t.app).get('/readyz').expect(200);
  await request(t.app).get('/metrics').expect(200);
  await request(t.app).get('/no-such-route').expect(404);
  const answer = await request(t.app)
    .post('/graphql')
    .set('authorization', `Bearer ${t.adminToken}`)
    .send({ query: '{ me { name } }' })
    .expect(200);
  return answer.headers['x-request-id'] as string;
}

describe('request log', () => {
  describe('at the default level (info)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => t.close());

    it('logs one info line per request except probes and scrapes, which it leaves out', async () => {
      const from = t.logs().length;
      const requestId = await visit(t);
      const lines = await requestLines(t, from, 2);
      expect(lines.map(({ level, url, status }) => ({ level, url, status }))).toEqual([
        { level: 'info', url: '/no-such-route', status: 404 },
        { level: 'info', url: '/graphql', status: 200 },
      ]);
      // Nothing else at info for that request: the access line is its one line.
      expect(linesOf(t, from).filter((line) => line.requestId === requestId && line.level === 'info')).toHaveLength(1);
    });
  });

  describe('at debug', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { LOG_LEVEL: 'debug' } });
    });
    afterAll(async () => t.close());

    it('logs probes and scrapes too, at debug', async () => {
      const from = t.logs().length;
      await visit(t);
      const lines = await requestLines(t, from, 5);
      expect(lines.map(({ level, url }) => ({ level, url }))).toEqual([
        { level: 'debug', url: '/healthz' },
        { level: 'debug', url: '/readyz' },
        { level: 'debug', url: '/metrics' },
        { level: 'info', url: '/no-such-route' },
        { level: 'info', url: '/graphql' },
      ]);
    });
  });
});
