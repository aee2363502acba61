import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/env.js';
import { createRunBudget } from '../../src/sync/run-budget.js';
import { runMegabytes } from '../../src/sync/run-size.js';

const key = 'a'.repeat(64);
const pg = { DATABASE_URL: 'postgres://u@127.0.0.1/db', ROLLCALL_SECRET_KEY: key };

describe('SYNC_CONCURRENCY against the pool', () => {
  it.each([
    { env: {}, concurrency: 4 },
    { env: { SYNC_CONCURRENCY: '8' }, concurrency: 8 },
    { env: pg, concurrency: 4 },
    { env: { ...pg, DB_POOL_SIZE: '4' }, concurrency: 2 },
    { env: { ...pg, DB_POOL_SIZE: '1' }, concurrency: 1 },
    { env: { ...pg, DB_POOL_SIZE: '20', SYNC_CONCURRENCY: '10' }, concurrency: 10 },
    // A replica that runs no scheduler takes no pool share for it.
    { env: { ...pg, DB_POOL_SIZE: '4', SYNC_CONCURRENCY: '8', SYNC_POLL_SECONDS: '0' }, concurrency: 8 },
  ])('$env → $concurrency', ({ env, concurrency }) => {
    expect(readEnv(env).SYNC_CONCURRENCY).toBe(concurrency);
  });

  it.each([
    { env: { ...pg, SYNC_CONCURRENCY: '6' }, message: /SYNC_CONCURRENCY: at most half of DB_POOL_SIZE \(10\)/ },
    { env: { ...pg, DB_POOL_SIZE: '4', SYNC_CONCURRENCY: '3' }, message: /at most half of DB_POOL_SIZE \(4\)/ },
    { env: { SYNC_CONCURRENCY: '0' }, message: /SYNC_CONCURRENCY/ },
    { env: { SYNC_CONCURRENCY: 'many' }, message: /SYNC_CONCURRENCY/ },
    { env: { SYNC_MEMORY_BUDGET_MB: '1' }, message: /SYNC_MEMORY_BUDGET_MB/ },
  ])('refuses $env', ({ env, message }) => {
    expect(() => readEnv(env)).toThrow(message);
  });
});

/** Plays a script of acquire/release steps and returns who holds a share after each step. */
async function play(capacity: number, steps: ({ take: string; weight: number } | { give: string })[]): Promise<string[][]> {
  const budget = createRunBudget(capacity);
  const held = new Map<string, () => void>();
  const timeline: string[][] = [];
  for (const step of steps) {
    if ('take' in step) void budget.acquire(step.weight).then((release) => held.set(step.take, release));
    else {
      held.get(step.give)!();
      held.delete(step.give);
    }
    // Let granted promises settle before looking.
    await new Promise((r) => setImmediate(r));
    timeline.push([...held.keys()].sort());
  }
  return timeline;
}

describe('run memory budget', () => {
  it.each([
    {
      name: 'small runs share the budget until it is full',
      capacity: 100,
      steps: [{ take: 'a', weight: 40 }, { take: 'b', weight: 40 }, { take: 'c', weight: 40 }, { give: 'a' }],
      expected: [['a'], ['a', 'b'], ['a', 'b'], ['b', 'c']],
    },
    {
      name: 'a run larger than the budget runs alone rather than never',
      capacity: 100,
      steps: [{ take: 'a', weight: 10 }, { take: 'big', weight: 500 }, { give: 'a' }, { take: 'b', weight: 10 }, { give: 'big' }],
      expected: [['a'], ['a'], ['big'], ['big'], ['b']],
    },
    {
      name: 'first come first served: a small run does not overtake a waiting big one',
      capacity: 100,
      steps: [{ take: 'a', weight: 60 }, { take: 'big', weight: 80 }, { take: 'small', weight: 10 }, { give: 'a' }, { give: 'big' }],
      expected: [['a'], ['a'], ['a'], ['big', 'small'], ['small']],
    },
  ])('$name', async ({ capacity, steps, expected }) => {
    expect(await play(capacity, steps)).toEqual(expected);
  });

  it('releasing one share twice does not free another run\'s share', async () => {
    const budget = createRunBudget(100);
    const a = await budget.acquire(60);
    a();
    a();
    const b = await budget.acquire(60);
    let cGranted = false;
    void budget.acquire(60).then(() => (cGranted = true));
    await new Promise((r) => setImmediate(r));
    expect(cGranted).toBe(false);
    expect(budget.usage()).toEqual({ used: 60, holders: 1, waiting: 1 });
    b();
    await new Promise((r) => setImmediate(r));
    expect(cGranted).toBe(true);
  });

  it.each([
    { employees: 0, mb: 2 },
    { employees: 200, mb: 2 + 200 * 4 / 1024 },
    { employees: 50_000, mb: 2 + 50_000 * 4 / 1024 },
  ])('a run of $employees employees is expected to take $mb MB', ({ employees, mb }) => {
    expect(runMegabytes(employees)).toBeCloseTo(mb);
  });
});
