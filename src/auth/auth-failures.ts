import { DomainError } from '../../scim/errors.js';
import type { Logger } from '../log.js';

/**
 * Failed authentications, counted per client address over a fixed window: past the limit, every
 * attempt from that address is 429 with Retry-After until the window ends, before any token or
 * JWT is looked at. Guessing secrets is so slow it is pointless, and a flood of bad tokens costs
 * no database work. Per replica, in memory, like the request rate limit.
 */
export interface AuthGuard {
  attempt<T>(client: string, verify: () => Promise<T>): Promise<T>;
}

export interface AuthGuardOptions {
  /** Failures allowed per address per window; 0 turns the guard off. */
  maxFailures: number;
  windowMs: number;
  log?: Logger;
  now?: () => number;
}

/** Failures at which the address is named in a warning: a few (someone is trying), and the limit (blocked). */
const WARN_AT = 3;
/** Addresses remembered at most; past this, windows that ended are dropped (and the oldest if none has). */
const MAX_ADDRESSES = 50_000;

export function createAuthGuard(options: AuthGuardOptions): AuthGuard {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { failures: number; endsAt: number }>();

  const prune = (at: number) => {
    for (const [key, w] of windows) if (w.endsAt <= at) windows.delete(key);
    if (windows.size >= MAX_ADDRESSES) windows.delete(windows.keys().next().value!);
  };

  return {
    async attempt(client, verify) {
      if (options.maxFailures <= 0) return verify();
      const at = now();
      const current = windows.get(client);
      if (current && current.endsAt > at && current.failures >= options.maxFailures) {
        const wait = Math.max(1, Math.ceil((current.endsAt - at) / 1000));
        throw new DomainError('rate_limited', `Too many failed authentication attempts from this address; retry in ${wait} s`, { retryAfter: wait });
      }
      try {
        return await verify();
      } catch (error) {
        if (error instanceof DomainError && error.code === 'unauthorized') {
          let w = windows.get(client);
          if (!w || w.endsAt <= at) {
            if (!w && windows.size >= MAX_ADDRESSES) prune(at);
            w = { failures: 0, endsAt: at + options.windowMs };
            windows.set(client, w);
          }
          w.failures++;
          // The address and the count, never what was presented: a failed secret may be a real one mistyped.
          if (w.failures === WARN_AT) options.log?.warn({ client, failures: w.failures }, 'repeated authentication failures');
          if (w.failures === options.maxFailures) {
            options.log?.warn({ client, failures: w.failures, blockedSeconds: Math.ceil((w.endsAt - at) / 1000) }, 'authentication failures over the limit; address blocked');
          }
        }
        throw error;
      }
    },
  };
}
