import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './db/client.js';
import { ConfigError, readEnv, type Env } from './env.js';

/**
 * What happens before the server listens: the data directory made private, the database reached
 * (patiently, then giving up with one clear line), and the first-start token handed over without
 * passing through the log stream.
 */

/**
 * DATA_DIR holds the embedded database, the secret key and possibly the first-start token: it is
 * created 0700 and everything this process creates is private to its user (umask 077), whatever
 * the umask of the shell or image that started it.
 */
export function prepareDataDir(dir: string): void {
  process.umask(0o077);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    // Not ours to change (a mounted volume owned by someone else): its owner decides.
  }
}

/** One line naming why the database cannot be used, without the URL (it may hold a password). */
export function describeDatabaseError(error: unknown, databaseUrl?: string): string {
  const e = error as { code?: string; message?: string; errno?: string };
  let where = 'the database';
  let user = '';
  let name = '';
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      where = `${url.hostname}:${url.port || '5432'}`;
      user = decodeURIComponent(url.username);
      name = decodeURIComponent(url.pathname.slice(1));
    } catch {
      // The URL was checked by env.ts; if it cannot be parsed here, name no place.
    }
  }
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (is PostgreSQL running there?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host of ${where} not found`;
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `no answer from ${where}`;
    case 'ECONNRESET':
      return `${where} closed the connection`;
    case '28P01':
      return `password authentication failed for user "${user}" at ${where}`;
    case '28000':
      return `${where} refused user "${user}" (pg_hba.conf or role): ${firstLine(e.message)}`;
    case '3D000':
      return `database "${name}" does not exist at ${where}`;
    case '57P03':
      return `${where} is starting up`;
    case '53300':
      return `${where} has too many connections`;
    default:
      return firstLine(e.message) || String(error);
  }
}

const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0]!.slice(0, 300);

/**
 * Opens, checks and prepares the database, retrying with backoff (0.5 s doubling to 5 s) until
 * `timeoutMs` has passed. Reports the cause once, and again only when it changes; the last cause
 * is thrown as a one-line Error.
 */
export async function openWithRetry(
  attempt: () => Promise<Database>,
  options: { timeoutMs: number; describe(error: unknown): string; report(line: string): void; fatal?(error: unknown): boolean },
): Promise<Database> {
  const giveUpAt = Date.now() + options.timeoutMs;
  let delay = 500;
  let last = '';
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const cause = options.describe(error);
      if (options.fatal?.(error) || Date.now() + delay > giveUpAt) throw new Error(cause);
      if (cause !== last) options.report(`cannot use the database: ${cause}; retrying for up to ${Math.ceil((giveUpAt - Date.now()) / 1000)} s`);
      last = cause;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

/**
 * The first-start token goes to a person, never into the log stream: on stderr when that is a
 * terminal, otherwise (a container, a service manager) into a file only this user can read,
 * whose path is printed instead. Returns the file, if one was written.
 */
export function deliverFirstToken(text: string, options: { dataDir: string; tty: boolean; write(line: string): void }): string | undefined {
  if (options.tty) {
    options.write(text);
    return undefined;
  }
  const file = join(options.dataDir, 'first-token.txt');
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  options.write(`Rollcall created its first SCIM token; it is in ${file} (readable by this user only). Read it, then delete the file.\n`);
  return file;
}

/** The configuration, or one line on stderr and exit 1: never a stack trace for a configuration problem. */
export function configOrExit(): Env {
  try {
    return readEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
