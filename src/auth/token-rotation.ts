import { and, eq, isNull, sql } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import type { Executor } from '../db/client.js';
import { scimTokens } from '../db/schema.js';
import { createScimToken, tokenState, type CreatedToken, type Scope } from './scim-tokens.js';

export const DEFAULT_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * Rotation: a new secret with the same name and scopes; the old one keeps working for the overlap
 * (so an identity provider can be updated without a gap), then expires. Both rows stay listed.
 */
export async function rotateScimToken(db: Executor, tenantId: string, tokenId: string, overlapMs = DEFAULT_OVERLAP_MS): Promise<CreatedToken & { expiresAt: Date | null; oldExpiresAt: Date }> {
  return db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(scimTokens)
      .where(and(eq(scimTokens.tenantId, tenantId), eq(scimTokens.id, tokenId)))
      .for('update');
    if (!old) throw new DomainError('not_found', `No token ${tokenId}`);
    if (tokenState(old) !== 'active') throw new DomainError('invalid_value', `Token ${tokenId} is ${tokenState(old)}; only an active token can be rotated`);
    if (old.replacedBy) throw new DomainError('conflict', `Token ${tokenId} was already rotated`);
    const created = await createScimToken(tx, tenantId, {
      name: old.name,
      scopes: old.scopes as Scope[],
      expiresAt: old.expiresAt,
    });
    const overlapEnd = new Date(Date.now() + overlapMs);
    const oldExpiresAt = old.expiresAt && old.expiresAt < overlapEnd ? old.expiresAt : overlapEnd;
    await tx
      .update(scimTokens)
      .set({ expiresAt: oldExpiresAt, replacedBy: created.id })
      .where(and(eq(scimTokens.id, tokenId), isNull(scimTokens.replacedBy)));
    return { ...created, expiresAt: old.expiresAt, oldExpiresAt };
  });
}

/** Counts tokens of a tenant (used by tenant deletion checks and tests). */
export async function countTokens(db: Executor, tenantId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(scimTokens).where(eq(scimTokens.tenantId, tenantId));
  return row!.n;
}
