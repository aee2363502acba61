import { createHash } from 'node:crypto';
import { createBudget, sleepUntil, slotIntervalMs, type Budget, type BudgetOptions } from './budget.js';

/**
 * Where per-credential request budgets live when several replicas share one HR credential:
 * one GCRA timeline per key, advanced atomically. The service implements it on its database
 * (`src/db/request-budgets.ts`); a connector only sees this port.
 */
export interface BudgetStore {
  /**
   * Reserves the next slot on `key`: the timeline moves to max(its value, `nowMs`, `floorMs`)
   * plus `intervalMs`, atomically, and the new value is returned (epoch ms).
   */
  reserve(key: string, nowMs: number, intervalMs: number, floorMs: number): Promise<number>;
}

/**
 * One request budget per HR credential and endpoint group in the process, whatever asks:
 * scheduled runs, "sync now", previews and credential checks all draw on the same one, because
 * the HR system counts per credential, not per run. With a store, the budget is shared by every
 * replica on the same database.
 */
export interface BudgetRegistry {
  /** The budget for `key`, created with `options` on first use (later options are ignored). */
  budget(key: string, options: BudgetOptions): Budget;
}

export function createBudgetRegistry(store?: BudgetStore): BudgetRegistry {
  const budgets = new Map<string, Budget>();
  return {
    budget(key, options) {
      let budget = budgets.get(key);
      if (!budget) {
        budget = store ? createSharedBudget(key, options, store) : createBudget(options);
        budgets.set(key, budget);
      }
      return budget;
    },
  };
}

/**
 * A budget key for a credential: the provider, a fingerprint of where and who (base URL and
 * the credential's public identifier, never its secret), and the endpoint group.
 */
export function budgetKey(provider: string, identity: readonly string[], group: string): string {
  const fingerprint = createHash('sha256').update(identity.join('\n')).digest('base64url').slice(0, 22);
  return `${provider}:${fingerprint}:${group}`;
}

/**
 * The GCRA of `createBudget`, its timeline kept in the store. This process's requests take
 * their slots one after the other (reserve, then wait for the slot), so a reservation waiting
 * on the database can never let a later slot go out first and bunch up with it.
 */
export function createSharedBudget(key: string, { perMinute, burst = 1, now, sleep }: BudgetOptions, store: BudgetStore): Budget {
  if (!(perMinute > 0)) throw new RangeError('requestsPerMinute must be positive');
  const capacity = Math.max(1, Math.min(Math.floor(burst), Math.floor(perMinute)));
  const intervalMs = slotIntervalMs(perMinute, capacity);
  const toleranceMs = (capacity - 1) * intervalMs;
  let pausedUntil = -Infinity;
  let queue: Promise<unknown> = Promise.resolve();

  async function takeSlot(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const t = now();
    const floor = Number.isFinite(pausedUntil) ? pausedUntil + toleranceMs : t;
    const tat = await store.reserve(key, t, intervalMs, floor);
    const allowedAt = Math.max(tat - intervalMs - toleranceMs, pausedUntil);
    await sleepUntil(allowedAt, now, sleep, signal);
  }

  return {
    take(signal) {
      const mine = queue.then(() => takeSlot(signal));
      // One caller's failure (an abort, the database) must not stall the callers behind it.
      queue = mine.catch(() => undefined);
      return mine;
    },
    pauseUntil(untilMs) {
      // Carried into the shared timeline by the next reservation (its floor).
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
  };
}
