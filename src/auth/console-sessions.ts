import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { uuidv7 } from '../db/ids.js';
import { consoleSessions, tenants } from '../db/schema.js';
import type { Role } from './admin-jwt.js';
import type { Intent } from './console-links.js';
import { hashSecret } from './scim-tokens.js';

export interface ConsoleSession {
  id: string;
  role: Role;
  subject: string;
  /** The one tenant an admin or auditor session may see; operators have none. */
  tenant?: { id: string; slug: string; name: string };
  intent: Intent;
  returnUrl: string | null;
}

export interface SessionTimes {
  /** A session unused this long is over. */
  idleMs: number;
  /** And any session is over this long after sign-in, used or not. */
  absoluteMs: number;
}

/** Starts a session; the secret goes in the cookie, its hash in the store. */
export async function createConsoleSession(
  db: Executor,
  input: { role: Role; subject: string; tenantId: string | null; intent: Intent; returnUrl: string | null },
  times: SessionTimes,
): Promise<{ secret: string; id: string }> {
  const secret = randomBytes(32).toString('base64url');
  const id = uuidv7();
  await db.insert(consoleSessions).values({
    id,
    secretHash: hashSecret(secret),
    role: input.role,
    tenantId: input.tenantId,
    subject: input.subject,
    intent: input.intent,
    returnUrl: input.returnUrl,
    expiresAt: new Date(Date.now() + times.absoluteMs),
  });
  return { secret, id };
}

/**
 * The live session behind a cookie secret, or undefined. Use moves the idle clock, written at most
 * once a minute per session so a page's burst of requests costs one read each, not a write each.
 */
export async function findConsoleSession(db: Executor, secret: string, times: SessionTimes): Promise<ConsoleSession | undefined> {
  if (secret.length < 20 || secret.length > 100) return undefined;
  const [row] = await db
    .select({ s: consoleSessions, slug: tenants.slug, name: tenants.name })
    .from(consoleSessions)
    .leftJoin(tenants, eq(tenants.id, consoleSessions.tenantId))
    .where(and(eq(consoleSessions.secretHash, hashSecret(secret)), gt(consoleSessions.expiresAt, sql`now()`)));
  if (!row) return undefined;
  const now = Date.now();
  if (now - row.s.lastSeenAt.getTime() > times.idleMs) {
    await db.delete(consoleSessions).where(eq(consoleSessions.id, row.s.id));
    return undefined;
  }
  // A tenant session whose tenant is gone is no session (the foreign key removes it too).
  if (row.s.role !== 'operator' && (!row.s.tenantId || !row.slug)) return undefined;
  if (now - row.s.lastSeenAt.getTime() > 60_000) {
    await db.update(consoleSessions).set({ lastSeenAt: new Date(now) }).where(eq(consoleSessions.id, row.s.id));
  }
  return {
    id: row.s.id,
    role: row.s.role as Role,
    subject: row.s.subject,
    ...(row.s.tenantId && row.slug ? { tenant: { id: row.s.tenantId, slug: row.slug, name: row.name ?? row.slug } } : {}),
    intent: row.s.intent as Intent,
    returnUrl: row.s.returnUrl,
  };
}

export async function endConsoleSession(db: Executor, id: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.id, id));
}

/** Drops sessions past their absolute end (idle ones go when next presented). */
export async function pruneConsoleSessions(db: Executor): Promise<void> {
  await db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, sql`now()`));
}

/**
 * The CSRF token of a session: an HMAC of the cookie secret, so it needs no storage, differs per
 * session, and cannot be computed from anything an attacker's page can read.
 */
export function csrfTokenFor(key: Buffer, cookieSecret: string): string {
  return createHmac('sha256', key).update(`rollcall console csrf\0${cookieSecret}`).digest('base64url');
}

export function csrfMatches(key: Buffer, cookieSecret: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(key, cookieSecret));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
