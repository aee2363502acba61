import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../../scim/errors.js';
import type { Executor } from '../db/client.js';
import { uuidv7 } from '../db/ids.js';
import { consoleLinks } from '../db/schema.js';
import { hashSecret } from './scim-tokens.js';

/** What a setup link lets its holder do: one part of the console, or all of it. */
export const INTENTS = ['idp', 'hr', 'teams', 'all'] as const;
export type Intent = (typeof INTENTS)[number];

export const DEFAULT_LINK_SECONDS = 5 * 60;
export const MAX_LINK_SECONDS = 24 * 60 * 60;
export const LINK_PREFIX = 'rc_link_';

/** A URL the console's "Done" may send the admin back to: absolute http(s), nothing else (no javascript:). */
export const returnUrlSchema = z
  .url({ protocol: /^https?$/, message: 'an absolute http or https URL' })
  .max(2000);

export const setupLinkBody = z
  .object({
    intent: z.enum(INTENTS).default('all'),
    returnUrl: returnUrlSchema.optional(),
    lifetimeSeconds: z.number().int().min(30).max(MAX_LINK_SECONDS).default(DEFAULT_LINK_SECONDS),
  })
  .strict();
export type SetupLinkInput = z.infer<typeof setupLinkBody>;

export interface CreatedLink {
  id: string;
  secret: string;
  expiresAt: Date;
}

/** Issues a link; the secret is returned once and stored only as a hash. */
export async function createConsoleLink(
  db: Executor,
  input: { kind: 'setup' | 'operator'; tenantId: string | null; intent: Intent; returnUrl?: string | undefined; lifetimeSeconds: number; createdBy: string },
): Promise<CreatedLink> {
  const secret = `${LINK_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = uuidv7();
  const expiresAt = new Date(Date.now() + input.lifetimeSeconds * 1000);
  await db.insert(consoleLinks).values({
    id,
    secretHash: hashSecret(secret),
    kind: input.kind,
    tenantId: input.tenantId,
    intent: input.intent,
    returnUrl: input.returnUrl ?? null,
    createdBy: input.createdBy,
    expiresAt,
  });
  return { id, secret, expiresAt };
}

export type LinkRow = typeof consoleLinks.$inferSelect;

/** Why a link cannot be used, for a page that says so plainly. */
export type LinkRefusal = 'unknown' | 'used' | 'expired';

/**
 * Redeems a link: the one UPDATE that sets `usedAt` wins, so two tabs opening the same link at once
 * get one session between them. A refusal says which of unknown, used or expired it was.
 */
export async function redeemConsoleLink(db: Executor, secret: string, kind: 'setup' | 'operator'): Promise<LinkRow | LinkRefusal> {
  if (!secret.startsWith(LINK_PREFIX) || secret.length > 200) return 'unknown';
  const hash = hashSecret(secret);
  const [won] = await db
    .update(consoleLinks)
    .set({ usedAt: sql`now()` })
    .where(and(eq(consoleLinks.secretHash, hash), eq(consoleLinks.kind, kind), isNull(consoleLinks.usedAt), gt(consoleLinks.expiresAt, sql`now()`)))
    .returning();
  if (won) return won;
  return inspectConsoleLink(db, secret, kind);
}

/** A link's state without redeeming it (the page before "Continue"). */
export async function inspectConsoleLink(db: Executor, secret: string, kind: 'setup' | 'operator'): Promise<LinkRow | LinkRefusal> {
  if (!secret.startsWith(LINK_PREFIX) || secret.length > 200) return 'unknown';
  const [row] = await db.select().from(consoleLinks).where(and(eq(consoleLinks.secretHash, hashSecret(secret)), eq(consoleLinks.kind, kind)));
  if (!row) return 'unknown';
  if (row.usedAt) return 'used';
  if (row.expiresAt.getTime() <= Date.now()) return 'expired';
  return row;
}

export function assertIntent(value: string): Intent {
  if (!(INTENTS as readonly string[]).includes(value)) throw new DomainError('invalid_value', `intent must be one of ${INTENTS.join(', ')}`);
  return value as Intent;
}
