import { afterEach, describe, expect, it } from 'vitest';
import { googleRequestsPerMinute } from '../../connectors/google/connector.js';
import { generateCompany } from '../fakes/google/generate.js';
import { collect, createVirtualClock, googleFor, maxInWindow } from '../fakes/google/harness.js';
import { startFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from '../fakes/google/server.js';
import type { Fault } from '../fakes/shared/faults.js';

let fake: FakeGoogle | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeGoogleOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeGoogle({ ...options, now: clock.now });
  return { clock, fake };
}

const unpaced = { requestsPerMinute: 1_000_000_000, burst: 1_000_000 };
const googleFault = (status: number, reason: string, message: string): Fault => ({
  type: 'status', status, headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ error: { code: status, message, errors: [{ message, domain: 'usageLimits', reason }] } }),
});

describe('Google Directory quotas (2,400 queries a minute per user per project), proven by the fake', () => {
  it('a paced read of 2,101 one-user pages (over a minute at the budget) never puts more than the budget in any minute, and is never throttled', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 3, size: 2100 }) });
    const result = await collect(googleFor(fake, clock, { settings: { pageSize: 1 } }).employees());
    expect(result.byId.size).toBe(2101);
    expect(fake.counts().byStatus['403']).toBeUndefined();
    expect(fake.arrivals).toHaveLength(2101);
    expect(fake.arrivals.at(-1)! - fake.arrivals[0]!).toBeGreaterThan(60_000);
    const busiest = maxInWindow(fake.arrivals, 60_000);
    expect(busiest).toBeLessThanOrEqual(googleRequestsPerMinute + 10);
    expect(busiest).toBeLessThan(2400);
  });

  it('an unpaced client meeting 403 userRateLimitExceeded backs off and completes: a 403 that is a rate limit is not a permission error', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 3, size: 400 }), perUserPerMinute: 100 });
    const connector = googleFor(fake, clock, { settings: { pageSize: 2 }, http: unpaced });
    expect((await collect(connector.employees())).byId.size).toBe(401);
    const { byStatus } = fake.counts();
    expect(byStatus['403']).toBeGreaterThan(0);
    expect(byStatus['200']).toBe(1 + 201);
    expect(connector.stats.api.throttled).toBe(byStatus['403']);
  });

  it('429 rateLimitExceeded for the whole account is retried the same way', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 3, size: 300 }), perAccountPerMinute: 50 });
    const connector = googleFor(fake, clock, { settings: { pageSize: 5 }, http: unpaced });
    expect((await collect(connector.employees())).byId.size).toBe(301);
    expect(fake.counts().byStatus['429']).toBeGreaterThan(0);
  });

  it.each<[string, Fault]>([
    ['403 userRateLimitExceeded', googleFault(403, 'userRateLimitExceeded', 'Quota exceeded for quota metric Queries')],
    ['403 quotaExceeded (concurrency)', googleFault(403, 'quotaExceeded', 'Quota exceeded')],
    ['500 backendError', googleFault(500, 'backendError', 'Backend Error')],
    ['503 backendError', googleFault(503, 'backendError', 'Backend Error')],
  ])('%s twice: retried, the read completes', async (_case, fault) => {
    const { clock, fake } = await setup();
    fake.faults.next(2, fault, 'users');
    const connector = googleFor(fake, clock);
    expect((await collect(connector.employees())).byId.size).toBe(fake.company.list().length);
    expect(fake.counts().byEndpoint.users).toBe(3);
    expect(clock.slept).toBeGreaterThan(0);
  });

  it('the fake\'s own backendError (either status) is retried', async () => {
    for (const status of [500, 503] as const) {
      const { clock, fake } = await setup({ backendErrorStatus: status });
      fake.backendErrors(1);
      expect((await collect(googleFor(fake, clock).employees())).byId.size).toBe(fake.company.list().length);
      expect(fake.counts().byStatus[String(status)]).toBe(1);
      await fake.close();
    }
  });

  it('a rate limit that outlasts the retries is rate_limited at validation, never missing_permission', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(100, googleFault(403, 'userRateLimitExceeded', 'Quota exceeded'), 'users');
    expect(await googleFor(fake, clock).validate()).toMatchObject({ ok: false, kind: 'rate_limited', retryable: true });
  });

  it('a 403 forbidden stays a permission failure and is not retried', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(1, googleFault(403, 'forbidden', 'Not Authorized to access this resource/api'), 'users');
    expect(await googleFor(fake, clock).validate()).toMatchObject({ ok: false, kind: 'missing_permission' });
    expect(fake.counts().byEndpoint.users).toBe(1);
  });
});
