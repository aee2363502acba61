/**
 * A sliding-window limit (at most `limit` requests in any `windowMs`), the strictest shape
 * a real API can have: a client that passes this passes fixed windows too.
 */
export interface RateLimiter {
  /** Records the request if allowed; otherwise says how long until a slot frees up. */
  hit(): { allowed: true } | { allowed: false; retryAfterMs: number };
  readonly limit: number;
}

export function createRateLimiter({ limit, windowMs = 60_000, now = Date.now }: {
  limit: number;
  windowMs?: number;
  now?: () => number;
}): RateLimiter {
  const log: number[] = [];
  return {
    limit,
    hit() {
      const t = now();
      while (log.length > 0 && log[0]! <= t - windowMs) log.shift();
      if (log.length < limit) {
        log.push(t);
        return { allowed: true };
      }
      return { allowed: false, retryAfterMs: log[0]! + windowMs - t };
    },
  };
}
