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

/**
 * A virtual clock for several runs at once (replicas sharing one budget through a database):
 * time moves only to the earliest sleeper's wake-up, one step at a time, and never while a
 * request or a budget reservation is in flight (`during`). That is how real time behaves at
 * loopback latency; the simple clock lets one run's sleep jump time by hundreds of
 * milliseconds under another run's request on its way to the fake, bunching arrivals the
 * connector had spaced.
 */
export interface SettlingClock extends VirtualClock {
  /** Runs `work` with time held still until it settles. */
  during<T>(work: () => Promise<T>): Promise<T>;
}

interface Sleeper {
  at: number;
  resolve: () => void;
}

export function createSettlingClock(start = Date.parse('2026-03-02T09:00:00Z')): SettlingClock {
  let t = start;
  let slept = 0;
  let holds = 0;
  let stepQueued = false;
  const sleepers: Sleeper[] = [];

  function queueStep() {
    if (stepQueued || holds > 0 || sleepers.length === 0) return;
    stepQueued = true;
    // After I/O callbacks and microtasks: whatever just woke reaches its next hold first.
    setImmediate(step);
  }
  function step() {
    stepQueued = false;
    if (holds > 0 || sleepers.length === 0) return;
    sleepers.sort((a, b) => a.at - b.at);
    const next = sleepers[0]!.at;
    if (next > t) {
      slept += next - t;
      t = next;
    }
    while (sleepers.length > 0 && sleepers[0]!.at <= t) sleepers.shift()!.resolve();
    queueStep();
  }

  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const sleeper: Sleeper = { at: t + Math.max(0, ms), resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            const i = sleepers.indexOf(sleeper);
            if (i >= 0) sleepers.splice(i, 1);
            reject(signal.reason);
          },
          { once: true },
        );
        queueStep();
      });
    },
    async during(work) {
      holds++;
      try {
        return await work();
      } finally {
        holds--;
        queueStep();
      }
    },
    get slept() {
      return slept;
    },
  };
}
