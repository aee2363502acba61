import type { Sleep } from './timing.js';

/**
 * A per-minute request budget as a token bucket, implemented with the GCRA trick: keep the
 * theoretical arrival time of the next request and reserve slots synchronously, so concurrent
 * callers queue behind each other instead of all seeing the same free token.
 *
 * With capacity `burst` and refill `perMinute - burst + 1` per minute, no half-open 60 s window
 * ever holds more than `perMinute` requests — the guarantee that keeps us under an HR
 * system's fixed or sliding limit. `burst: 1` (the default) simply spaces requests evenly.
 */
export interface Budget {
  /** Waits until the next request may go out. */
  take(signal?: AbortSignal): Promise<void>;
  /** Holds every request until `untilMs` (a server said "remaining: 0, reset at …"). */
  pauseUntil(untilMs: number): void;
}

export interface BudgetOptions {
  perMinute: number;
  burst?: number;
  now: () => number;
  sleep: Sleep;
}

export function createBudget({ perMinute, burst = 1, now, sleep }: BudgetOptions): Budget {
  if (!(perMinute > 0)) throw new RangeError('requestsPerMinute must be positive');
  const capacity = Math.max(1, Math.min(Math.floor(burst), Math.floor(perMinute)));
  const intervalMs = slotIntervalMs(perMinute, capacity);
  const toleranceMs = (capacity - 1) * intervalMs;
  let tat = -Infinity;
  let pausedUntil = -Infinity;

  return {
    async take(signal) {
      const t = now();
      const start = Math.max(tat, t, pausedUntil + toleranceMs);
      const allowedAt = Math.max(start - toleranceMs, pausedUntil);
      tat = start + intervalMs;
      const wait = allowedAt - t;
      if (wait > 0) await sleep(wait, signal);
    },
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
  };
}

/**
 * The spacing of slots, rounded up to a whole millisecond: slot times on epoch milliseconds lose
 * a little to floating-point rounding, which at exactly a server's limit let one request too
 * many into a 60 s window.
 */
export function slotIntervalMs(perMinute: number, capacity: number): number {
  return Math.ceil(60_000 / (perMinute - capacity + 1));
}

/** Sleeps until `at`, again if the timer fired early (Node's may, by a millisecond). */
export async function sleepUntil(at: number, now: () => number, sleep: Sleep, signal?: AbortSignal): Promise<void> {
  for (let wait = at - now(); wait > 0; wait = at - now()) await sleep(wait, signal);
}

/** No budget configured: requests go out as fast as the caller sends them. */
export function unlimitedBudget(now: () => number, sleep: Sleep): Budget {
  let pausedUntil = -Infinity;
  return {
    async take(signal) {
      const wait = pausedUntil - now();
      if (wait > 0) await sleep(wait, signal);
    },
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
  };
}
