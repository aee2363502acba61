import type { Sleep } from '../../../connectors/http/timing.js';

/**
 * Time that passes only when someone sleeps. The connector (its rate budget and retries) and
 * the fake (its rate limiter and token expiry) share one, so a test can drive a minute-long
 * limit through hundreds of real HTTP requests in well under a second, and a request arrives
 * at the fake at exactly the virtual time the connector released it.
 */
export interface VirtualClock {
  now(): number;
  sleep: Sleep;
  /** Moves time on by hand (a token's lifetime, a night between runs). */
  advance(ms: number): void;
  /** Total virtual time slept, for "waited at least a second" assertions. */
  readonly slept: number;
}

export function createVirtualClock(start = Date.parse('2026-03-02T09:00:00Z')): VirtualClock {
  let t = start;
  let slept = 0;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const wait = Math.max(0, ms);
      t += wait;
      slept += wait;
      // Yield to the event loop so a sleeping caller still lets I/O run.
      return new Promise((resolve) => setImmediate(resolve));
    },
    get slept() {
      return slept;
    },
  };
}

/** The most timestamps inside any half-open window [t, t + windowMs). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
