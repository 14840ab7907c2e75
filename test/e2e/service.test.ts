/** The built service as a process on its embedded default: what `npm start` gives a newcomer. */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';

describe('npm start on the embedded default', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startServiceProcess({ keepDataDir: true });
  }, 90_000);

  afterAll(async () => {
    if (service.child.exitCode === null) await service.stop();
    await rm(service.dataDir, { recursive: true, force: true });
  }, 30_000);

  it('prints a bootstrap admin token once and keeps it in a 0600 file', async () => {
    const token = await service.adminToken();
    expect(token).toMatch(/^pkc_[A-Za-z0-9_-]{43}$/);
    expect(service.output()).toContain(token);
    const mode = (await stat(path.join(service.dataDir, 'admin-token'))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('answers { registries { name kind } } with the DEFAULT registry', async () => {
    const body = await service.gql('{ registries { name kind } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.registries).toContainEqual({ name: 'default', kind: 'DEFAULT' });
    const anonymous = await service.gql('{ registries { name } }', {}, null);
    expect(anonymous.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const ready = await fetch(`${service.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', artifacts: 'ok' } });
  });

  it('exits 0 on SIGTERM, and a second start reuses the data without printing a new token', async () => {
    const token = await service.adminToken();
    expect(await service.stop('SIGTERM')).toBe(0);
    const again = await startServiceProcess({ dataDir: service.dataDir });
    try {
      expect(again.output()).not.toContain(token);
      const body = await again.gql('{ me { name role } }', {}, token);
      expect(body.data.me).toEqual({ name: 'bootstrap-admin', role: 'ADMIN' });
    } finally {
      expect(await again.stop('SIGINT')).toBe(0);
    }
  }, 90_000);
});

describe('configuration errors', () => {
  it('stop the start with every problem listed', async () => {
    await expect(
      startServiceProcess({ env: { PORT: 'not-a-port', S3_ENDPOINT: 'http://127.0.0.1:9000', LOG_LEVEL: 'loud' }, timeoutMs: 20_000 }),
    ).rejects.toThrow(/exited with 78[\s\S]*PORT[\s\S]*LOG_LEVEL[\s\S]*S3_ACCESS_KEY[\s\S]*S3_SECRET_KEY/);
  });
});
