import pino from 'pino';
import type { Logger } from 'pino';

/** Paths whose values never reach the log (tokens, keys, passwords, authorisation headers). */
export const REDACTED_PATHS = [
  'token', '*.token', 'adminToken', '*.adminToken', 'apiKey', '*.apiKey', 'password', '*.password',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization', 'ADMIN_TOKEN', '*.ADMIN_TOKEN', 'AUTH_SECRET', '*.AUTH_SECRET', 'secret', '*.secret',
];

/** The server's logger: JSON lines on stdout, secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ name: 'lairmind', level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
