import { decodeJwt } from 'jose';
import { lt } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import { query, type Executor } from '../db/client.js';
import { revokedAdminTokens } from '../db/schema.js';
import { DEFAULT_MAX_TTL_SECONDS } from './admin-jwt.js';

/** How long a revocation given by jti alone is kept: no token Rollcall issues outlives this. */
const FALLBACK_KEEP_SECONDS = 90 * 24 * 3600;

/**
 * Revokes an admin JWT by its `jti`, or by the token itself (its jti and expiry are read from it;
 * only an operator can call this, so the token's signature need not be checked first).
 */
export async function revokeAdminToken(db: Executor, input: { jti?: string; token?: string }, maxTtlSeconds = DEFAULT_MAX_TTL_SECONDS) {
  let jti = input.jti;
  let expiresAt = new Date(Date.now() + Math.max(maxTtlSeconds, FALLBACK_KEEP_SECONDS) * 1000);
  if (input.token !== undefined) {
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(input.token.replace(/^Bearer\s+/i, '').trim());
    } catch {
      throw new DomainError('invalid_value', 'token: not a JWT');
    }
    if (typeof claims.jti !== 'string') throw new DomainError('invalid_value', 'token: it has no jti and cannot be revoked by id; it expires at its exp');
    jti = claims.jti;
    if (typeof claims.exp === 'number') expiresAt = new Date(claims.exp * 1000);
  }
  if (!jti) throw new DomainError('invalid_value', 'Give the jti or the token');
  await db.delete(revokedAdminTokens).where(lt(revokedAdminTokens.expiresAt, new Date()));
  await db.insert(revokedAdminTokens).values({ jti, expiresAt }).onConflictDoNothing();
  return { jti, expiresAt };
}

/** The check the admin verifier runs for each token with a jti: one primary-key lookup. */
export const adminTokenRevocations = (db: Executor) => async (jti: string) =>
  (await query<{ one: number }>(db, 'select 1 as one from revoked_admin_tokens where jti = $1', [jti])).length > 0;
