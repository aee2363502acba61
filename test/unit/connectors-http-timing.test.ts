import { describe, expect, it } from 'vitest';
import { createBudget } from '../../connectors/http/budget.js';
import { backoffMs, parseRateLimitReset, parseRetryAfter } from '../../connectors/http/timing.js';

const NOW = Date.parse('2026-03-02T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['delta seconds', '3', 3000],
    ['zero', '0', 0],
    ['fractional seconds', '1.5', 1500],
    ['padded', '  10 ', 10_000],
    ['HTTP date 7 s ahead', new Date(NOW + 7000).toUTCString(), 7000],
    ['HTTP date in the past', new Date(NOW - 60_000).toUTCString(), 0],
    ['empty', '', undefined],
    ['garbage', 'soon', undefined],
    ['negative', '-5', undefined],
    ['absent', null, undefined],
  ])('%s', (_name, header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe('parseRateLimitReset', () => {
  it.each([
    ['seconds from now', '30', 30_000],
    ['epoch seconds', String(NOW / 1000 + 12), 12_000],
    ['epoch seconds in the past', String(NOW / 1000 - 12), 0],
    ['epoch milliseconds', String(NOW + 2500), 2500],
    ['not a number', 'later', undefined],
    ['absent', undefined, undefined],
  ])('%s', (_name, header, expected) => {
    expect(parseRateLimitReset(header, NOW)).toBe(expected);
  });
});

describe('backoffMs (full jitter)', () => {
  const base = { baseMs: 100, capMs: 1000 };
  it.each([
    [0, 0.5, 50],
    [1, 0.5, 100],
    [3, 0.5, 400],
    [4, 0.5, 500], // ceiling capped at 1000
    [10, 0.5, 500],
    [2, 0.999, 399],
    [2, 0, 0],
  ])('attempt %i with random %f → %i ms', (attempt, r, expected) => {
    expect(backoffMs(attempt, { ...base, random: () => r })).toBe(expected);
  });
});

/** Runs `count` sequential takes on a fake clock and returns when each request went out. */
async function schedule(perMinute: number, burst: number, count: number, startAt = 0) {
  let clock = startAt;
  const budget = createBudget({ perMinute, burst, now: () => clock, sleep: async (ms) => void (clock += ms) });
  const sent: number[] = [];
  for (let i = 0; i < count; i++) {
    await budget.take();
    sent.push(clock);
  }
  return { sent, budget, advance: (ms: number) => (clock += ms) };
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0; i < times.length; i++) {
    // Half-open window (t - windowMs, t], the way a sliding-window limiter counts.
    const inWindow = times.filter((t) => t > times[i]! - windowMs && t <= times[i]!).length;
    max = Math.max(max, inWindow);
  }
  return max;
}

describe('request budget (token bucket)', () => {
  it.each([
    [60, 1, 130],
    [10, 1, 25],
    [10, 5, 25],
    [100, 10, 250],
    [50, 50, 120],
  ])('%i/min with burst %i never exceeds the budget over %i requests', async (perMinute, burst, count) => {
    const { sent } = await schedule(perMinute, burst, count);
    expect(maxInAnyWindow(sent, 60_000)).toBeLessThanOrEqual(perMinute);
  });

  it('spaces requests evenly with the default burst of 1', async () => {
    const { sent } = await schedule(60, 1, 5, 1000);
    expect(sent).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  it('lets a burst through, then refills', async () => {
    const { sent } = await schedule(10, 5, 7);
    expect(sent).toEqual([0, 0, 0, 0, 0, 10_000, 20_000]);
  });

  it('reserves slots for concurrent callers instead of letting them all through', async () => {
    const waits: number[] = [];
    const budget = createBudget({ perMinute: 60, now: () => 0, sleep: async (ms) => void waits.push(ms) });
    await Promise.all([budget.take(), budget.take(), budget.take(), budget.take()]);
    expect(waits).toEqual([1000, 2000, 3000]);
  });

  it('holds every request while the server says the budget is spent', async () => {
    let clock = 0;
    const budget = createBudget({ perMinute: 600, now: () => clock, sleep: async (ms) => void (clock += ms) });
    await budget.take();
    budget.pauseUntil(5000);
    await budget.take();
    expect(clock).toBe(5000);
  });
});
