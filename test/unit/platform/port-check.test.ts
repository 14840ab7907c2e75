import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { PortUnavailableError, assertPortAvailable, portError } from '../../../src/platform/port-check.js';

const listen = (port = 0) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('assertPortAvailable', () => {
  it('refuses a port another process listens on, saying to set PORT', async () => {
    const taken = await listen();
    const { port } = taken.address() as AddressInfo;
    try {
      const refusal = await assertPortAvailable(port, '127.0.0.1').then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(PortUnavailableError);
      expect(refusal).toMatchObject({ code: 'EADDRINUSE' });
      expect((refusal as Error).message).toBe(
        `Cannot listen on port ${port} on 127.0.0.1: another process is using it. Stop that process, or set PORT to a free port (for example PORT=${port + 1} npm start).`,
      );
    } finally {
      await close(taken);
    }
  });

  it('accepts a free port and leaves it free for the real listen', async () => {
    const probe = await listen();
    const { port } = probe.address() as AddressInfo;
    await close(probe);
    await expect(assertPortAvailable(port, '127.0.0.1')).resolves.toBeUndefined();
    await close(await listen(port));
  });

  it('accepts port 0 (any free port) without probing', async () => {
    await expect(assertPortAvailable(0, '203.0.113.1')).resolves.toBeUndefined();
  });

  it('words a missing address and missing privileges with the setting to change; other errors pass through', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(portError(errno('EADDRNOTAVAIL'), 4000, '10.9.9.9').message).toMatch(/no such address\. Set HOST .* or PORT\.$/);
    expect(portError(errno('EACCES'), 80, '0.0.0.0').message).toMatch(/permission denied .* Set PORT to a port above 1023\.$/);
    const other = errno('EMFILE');
    expect(portError(other, 4000, '0.0.0.0')).toBe(other);
  });
});
