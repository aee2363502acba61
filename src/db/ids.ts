import { randomUUID } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): a millisecond timestamp then randomness. Ids sort by creation time, so the
 * primary-key index gives a stable list order and keyset cursors for free.
 *
 * The randomness is a v4 UUID's: Node draws those from a pooled buffer of entropy, where a
 * `randomBytes(16)` per id asks OpenSSL each time (and OpenSSL asks the kernel for the process id,
 * a system call per id). A v4 UUID's bits after its version digit are random and its variant is
 * v7's, so the v7 id is the timestamp, the version 7, and the rest of the v4 UUID as it is.
 */
export function uuidv7(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive in URLs; anything that is not a UUID cannot name a row (404, never a cast error). */
export const isUuid = (value: string): boolean => UUID.test(value);

/** A UUID in the lower case PostgreSQL prints; anything else as given (its not-found names it as sent). */
export const canonicalId = (value: string): string => (isUuid(value) ? value.toLowerCase() : value);
