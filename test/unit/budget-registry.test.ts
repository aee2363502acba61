import { describe, expect, it } from 'vitest';
import { budgetKey, createBudgetRegistry, createSharedBudget, type BudgetStore } from '../../connectors/http/budget-registry.js';
import { createVirtualClock, maxInWindow } from '../fakes/personio/clock.js';

/** The database store's statement, restated over a map: max(tat, now, floor) + interval. */
function memoryStore(): BudgetStore & { rows: Map<string, number> } {
  const rows = new Map<string, number>();
  return {
    rows,
    async reserve(key, nowMs, intervalMs, floorMs) {
      const tat = Math.max(rows.get(key) ?? -Infinity, nowMs, floorMs) + intervalMs;
      rows.set(key, tat);
      return tat;
    },
  };
}

describe('per-credential budgets', () => {
  it('hands out one budget per key, and keys never carry the credential in clear', () => {
    const clock = createVirtualClock();
    const registry = createBudgetRegistry();
    const options = { perMinute: 60, now: clock.now, sleep: clock.sleep };
    const key = budgetKey('personio', ['https://api.personio.de', 'v1', 'client-123'], 'data');
    expect(registry.budget(key, options)).toBe(registry.budget(key, options));
    expect(registry.budget(budgetKey('personio', ['https://api.personio.de', 'v1', 'client-456'], 'data'), options)).not.toBe(registry.budget(key, options));
    expect(key).toMatch(/^personio:[\w-]{22}:data$/);
    expect(key).not.toContain('client-123');
  });

  it('two replicas on one store stay within the limit and its burst together', async () => {
    const clock = createVirtualClock();
    const store = memoryStore();
    const options = { perMinute: 280, burst: 10, now: clock.now, sleep: clock.sleep };
    const replicas = [createSharedBudget('k', options, store), createSharedBudget('k', options, store)];
    const sent: number[] = [];
    await Promise.all(
      replicas.map(async (budget) => {
        for (let i = 0; i < 400; i++) {
          await budget.take();
          sent.push(clock.now());
        }
      }),
    );
    expect(sent).toHaveLength(800);
    expect(maxInWindow(sent, 60_000)).toBeLessThanOrEqual(280);
    expect(maxInWindow(sent, 1_000)).toBeLessThanOrEqual(15);
  });

  it('at exactly the server\'s limit, no 60 s window holds one request too many', async () => {
    // Slots computed on epoch milliseconds lose a little to rounding, and Node's timers may fire a
    // millisecond early (they count from the loop's cached time): neither may add a request.
    const clock = createVirtualClock();
    const early: typeof clock.sleep = (ms, signal) => clock.sleep(ms > 1 ? ms - 1 : ms, signal);
    const budget = createSharedBudget('k', { perMinute: 300, burst: 10, now: clock.now, sleep: early }, memoryStore());
    const sent: number[] = [];
    for (let i = 0; i < 400; i++) {
      await budget.take();
      sent.push(clock.now());
    }
    expect(maxInWindow(sent, 60_000)).toBeLessThanOrEqual(300);
  });

  it('a pause (a server said "wait") reaches the other replicas through the store', async () => {
    // Each replica on its own clock (both starting at the same instant), so only the store links them.
    const [a, b] = [createVirtualClock(), createVirtualClock()];
    const store = memoryStore();
    const one = createSharedBudget('k', { perMinute: 600, burst: 1, now: a.now, sleep: a.sleep }, store);
    const two = createSharedBudget('k', { perMinute: 600, burst: 1, now: b.now, sleep: b.sleep }, store);
    await one.take();
    one.pauseUntil(a.now() + 30_000);
    await one.take();
    expect(a.slept).toBeGreaterThanOrEqual(30_000);
    await two.take();
    expect(b.slept).toBeGreaterThanOrEqual(30_000);
  });
});
