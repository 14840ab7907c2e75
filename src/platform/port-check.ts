/**
 * Whether the service can listen where it is told to, checked before anything else starts: a taken
 * port otherwise surfaces only after migrations and seeding, seconds later, as a bare EADDRINUSE.
 */
import net from 'node:net';

/** The port can't be listened on; the message says what to do (set PORT). */
export class PortUnavailableError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'PortUnavailableError';
  }
}

/**
 * Resolves when `port` on `host` can be listened on (port 0, any free port, always can). The probe
 * listens and closes at once; the real listen follows, so another process may still win the race
 * (the listen then fails with the same error).
 */
export async function assertPortAvailable(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(portError(error, port, host)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** A listen failure as the message a user acts on, or the error itself when it is about something else. */
export function portError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = `port ${port} on ${host}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new PortUnavailableError(
        `Cannot listen on ${where}: another process is using it. Stop that process, or set PORT to a free port (for example PORT=${port === 65535 ? 4001 : port + 1} npm start).`,
        error.code,
      );
    case 'EACCES':
      return new PortUnavailableError(`Cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set PORT to a port above 1023.`, error.code);
    case 'EADDRNOTAVAIL':
      return new PortUnavailableError(`Cannot listen on ${where}: this machine has no such address. Set HOST (0.0.0.0 for every interface) or PORT.`, error.code);
    default:
      return error;
  }
}
