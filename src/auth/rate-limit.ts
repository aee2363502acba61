import { DomainError } from '../../scim/errors.js';
import type { ScimAuth } from '../../scim/http/router.js';

/**
 * A token bucket per key (here: per SCIM token), in memory. Each replica limits on its own, so the
 * effective limit across N replicas is N times this; that suits a guard against runaway clients.
 */
export interface RateLimiter {
  /** Takes one request; returns 0 when allowed, else the seconds to wait (for Retry-After). */
  take(key: string, now?: number): number;
}

export function createRateLimiter(perSecond: number, burst = perSecond * 2): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, now = Date.now()) {
      if (perSecond <= 0) return 0;
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    },
  };
}


/** Wraps a token verifier so each token's requests pass its bucket; over the limit → 429 with Retry-After (Okta retries these). */
export function rateLimited<T extends { verify(h: string | undefined): Promise<ScimAuth> }>(verifier: T, limiter: RateLimiter): T {
  return {
    ...verifier,
    async verify(header: string | undefined) {
      const auth = await verifier.verify(header);
      const wait = limiter.take(auth.tokenId);
      if (wait > 0) throw new DomainError('rate_limited', `Too many requests for this token; retry in ${wait} s`, { retryAfter: wait });
      return auth;
    },
  };
}
