import { afterEach, describe, expect, it } from 'vitest';
import { createBudgetRegistry } from '../../connectors/index.js';
import { collect, createVirtualClock, hibobFor, maxInWindow } from '../fakes/hibob/harness.js';
import { startFakeHibob, type FakeHibob, type FakeHibobOptions } from '../fakes/hibob/server.js';
import { faults } from '../fakes/shared/faults.js';

let fake: FakeHibob | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeHibobOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeHibob({ ...options, now: clock.now });
  return { clock, fake };
}

const searchLimit = { limit: 50, windowMs: 60_000 };

describe('HiBob search limit, proven by the fake', () => {
  it('never sends more than 50 searches a minute over 120 runs', async () => {
    const { clock, fake } = await setup({ limit: searchLimit });
    const hibob = hibobFor(fake, clock);
    for (let i = 0; i < 120; i++) expect((await collect(hibob.employees())).byId.size).toBe(16);
    expect(fake.arrivals).toHaveLength(120);
    expect(fake.counts().byStatus['429']).toBeUndefined();
    expect(maxInWindow(fake.arrivals, 60_000)).toBeLessThanOrEqual(50);
    expect(maxInWindow(fake.arrivals, 60_000)).toBeGreaterThanOrEqual(40);
  });

  it('an unpaced client stays under it by honouring X-RateLimit-Remaining: 0 and the reset', async () => {
    const { clock, fake } = await setup({ limit: searchLimit });
    const hibob = hibobFor(fake, clock, { http: { requestsPerMinute: 1_000_000, burst: 1_000_000 } });
    for (let i = 0; i < 120; i++) await collect(hibob.employees());
    expect(fake.counts().byStatus['429']).toBeUndefined();
    expect(maxInWindow(fake.arrivals, 60_000)).toBe(50);
  });

  it('fresh connectors of one service user (one per run, check or preview) share one budget: no 429, 50 a minute at most', async () => {
    const { clock, fake } = await setup({ limit: searchLimit });
    const budgets = createBudgetRegistry();
    for (let i = 0; i < 40; i++) {
      const hibob = hibobFor(fake, clock, { budgets });
      expect(await hibob.validate()).toMatchObject({ ok: true });
      expect((await collect(hibob.employees())).byId.size).toBe(16);
    }
    expect(fake.arrivals).toHaveLength(80);
    expect(fake.counts().byStatus['429']).toBeUndefined();
    expect(maxInWindow(fake.arrivals, 60_000)).toBeLessThanOrEqual(50);
  });

  it.each(['epoch', 'delta'] as const)('a fresh client that meets a 429 waits for X-RateLimit-Reset (%s)', async (reset) => {
    const { clock, fake } = await setup({ limit: { ...searchLimit, reset } });
    for (let i = 0; i < 50; i++) await collect(hibobFor(fake, clock).employees());
    const before = clock.now();
    const run = await collect(hibobFor(fake, clock).employees());
    expect(run.byId.size).toBe(16);
    expect(fake.counts().byStatus['429']).toBe(1);
    // The window opened at the first search; the retry went out once it had passed.
    expect(fake.arrivals.at(-1)! - fake.arrivals[0]!).toBeGreaterThanOrEqual(60_000);
    expect(clock.now() - before).toBeLessThanOrEqual(61_000);
  });
});

describe('HiBob faults over HTTP', () => {
  it('honours X-RateLimit-Reset on a 429, as epoch seconds and as seconds from now', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, faults.rateLimitReset(20, 'epoch', clock.now()), 'search');
    fake.faults.at(2, faults.rateLimitReset(9, 'delta'), 'search');
    expect((await collect(hibobFor(fake, clock).employees())).byId.size).toBe(16);
    expect(clock.slept).toBeGreaterThanOrEqual(20_000 + 9_000);
  });

  it('honours Retry-After and retries 503s', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, faults.tooManyRequests(12), 'search');
    fake.faults.at(2, faults.unavailable(), 'search');
    expect((await collect(hibobFor(fake, clock).employees())).byId.size).toBe(16);
    expect(clock.slept).toBeGreaterThanOrEqual(12_000);
    expect(fake.counts().byEndpoint.search).toBe(3);
  });

  it.each([
    ['a 500', faults.serverError(500), { kind: 'server', retryable: true }, 1],
    ['a body that is not JSON', { type: 'invalid_json' } as const, { kind: 'invalid_response', retryable: false }, 1],
    ['a 403', { type: 'status', status: 403, body: '{"message":"no permission group"}' } as const, { kind: 'permission', detail: 'no permission group' }, 1],
  ])('fails the run on %s without retrying', async (_name, fault, expected, requests) => {
    const { clock, fake } = await setup();
    fake.faults.at(1, fault, 'search');
    await expect(collect(hibobFor(fake, clock).employees())).rejects.toMatchObject(expected);
    expect(fake.counts().byEndpoint.search).toBe(requests);
  });

  it('gives up on a hung search after the timeout and retries it', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, { type: 'hang' }, 'search');
    const run = await collect(hibobFor(fake, clock, { http: { timeoutMs: 250 } }).employees());
    expect(run.byId.size).toBe(16);
    expect(fake.counts().byStatus).toMatchObject({ hung: 1, 200: 1 });
  });

  it('says a slow API is unreachable only after its retries', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(3, { type: 'delay', ms: 400 }, 'search');
    const result = await hibobFor(fake, clock, { http: { timeoutMs: 150, maxRetries: 2 } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'unreachable', retryable: true, message: expect.stringMatching(/timed out/) });
    expect(fake.counts().byEndpoint.search).toBe(3);
  });
});
