/** pino JSON logs. Secrets are redacted by path, so a token or credential never reaches a log line. */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'password',
  'secret',
  'credentials',
  'adminToken',
  'secretKey',
  '*.token',
  '*.password',
  '*.secret',
  '*.credentials',
  '*.adminToken',
  '*.secretKey',
  'variables.token',
  'variables.input.credentials',
];

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'pack-catalog' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    (options.destination as pino.DestinationStream | undefined) ?? pino.destination(1),
  );
}
