import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Structured logs. Anything that could carry a secret is redacted by path as a second line of
 * defence; the first is that request logs record the path only, never headers, queries or bodies.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, format: 'json' | 'pretty' = 'json'): Logger {
  // Pretty is for a developer's terminal: one coloured line per entry, written synchronously so
  // nothing is lost at exit. Redaction happens before either format sees an entry.
  const out = format === 'pretty' ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true, destination: destination ?? 1 }) : destination;
  return pino(
    {
      level,
      base: { service: 'rollcall' },
      redact: {
        paths: ['authorization', '*.authorization', 'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'credentials', '*.credentials'],
        censor: '[redacted]',
      },
    },
    out,
  );
}

export type { Logger };
