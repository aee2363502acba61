import pino, { type Logger } from 'pino';

/**
 * Structured logs. Anything that could carry a secret is redacted by path as a second line of
 * defence; the first is that request logs record the path only, never headers, queries or bodies.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'rollcall' },
      redact: {
        paths: ['authorization', '*.authorization', 'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'credentials', '*.credentials'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export type { Logger };
