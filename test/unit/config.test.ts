/** The service's configuration: every problem of the environment reported by one start (issue 20, point 4). */
import { ConfigError, loadConfig } from '../../src/config.js';

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('lists a bad value and a missing companion setting together (no second pass)', () => {
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud', S3_ENDPOINT: 'http://127.0.0.1:9000' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY']);
    expect(problems).toContain('S3_ACCESS_KEY: is required when S3_ENDPOINT is set');
  });

  it('lists the production secret beside a bad value', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/x', MAX_BODY_BYTES: '-1' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['MAX_BODY_BYTES', 'SECRET_KEY']);
  });

  it('says it all in the one message main.ts prints', () => {
    expect(() => loadConfig({ PORT: 'abc', S3_ENDPOINT: 'minio:9000', S3_ACCESS_KEY: 'k' })).toThrow(
      /^Invalid configuration:\n {2}- PORT: .+\n {2}- S3_SECRET_KEY: is required when S3_ENDPOINT is set$/,
    );
  });

  it('accepts the empty environment (the embedded default)', () => {
    expect(loadConfig({})).toMatchObject({ port: 4000, host: '0.0.0.0', logLevel: 'info', s3: undefined, databaseUrl: undefined });
  });

  it('reads the sync lease (default 120 s) and refuses one too short to renew', () => {
    expect(loadConfig({}).syncLeaseMs).toBe(120_000);
    expect(loadConfig({ SYNC_LEASE_SECONDS: '15' }).syncLeaseMs).toBe(15_000);
    expect(problemsOf({ SYNC_LEASE_SECONDS: '1' }).map((p) => p.split(':')[0])).toEqual(['SYNC_LEASE_SECONDS']);
  });
});
