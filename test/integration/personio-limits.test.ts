import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock, maxInWindow } from '../fakes/personio/clock.js';
import { generateCompany } from '../fakes/personio/generate.js';
import { collect, personioFor } from '../fakes/personio/harness.js';
import { startFakePersonio, type FakePersonio, type LimitSetting } from '../fakes/personio/server.js';

let fake: FakePersonio | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Personio's documented limit on the employee list: 300 a minute, at most 15 in any second. */
const employeeListLimit: LimitSetting = { limit: 300, windowMs: 60_000, burst: { limit: 15, windowMs: 1000 } };

/**
 * 2,000 people in pages of 5 is 400 list requests, more than a minute's allowance, so the
 * fake's limiter bites unless the connector paces itself. Time is virtual and shared, so the
 * fake sees each request at the instant the connector released it.
 */
async function listRun(http: { requestsPerMinute?: number; burst?: number } = {}) {
  const clock = createVirtualClock();
  fake = await startFakePersonio({ company: generateCompany({ seed: 21, size: 2000 }), now: clock.now, limits: { employees: employeeListLimit } });
  const personio = personioFor(fake, clock, { pageSize: 5 }, { http: { maxRetries: 2, ...http } });
  const outcome = await collect(personio.employees()).then(
    (run) => ({ ok: true as const, size: run.byId.size }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  return { clock, fake, outcome, arrivals: fake.arrivals['v1.employees'] };
}

describe('Personio rate limits, proven by the fake', () => {
  it('never exceeds 300 employee-list requests a minute or 15 a second', async () => {
    const { fake, outcome, arrivals } = await listRun();
    expect(outcome).toEqual({ ok: true, size: 2000 });
    expect(arrivals).toHaveLength(400);
    expect(fake.counts().byStatus['429']).toBeUndefined();
    expect(maxInWindow(arrivals, 60_000)).toBeLessThanOrEqual(300);
    expect(maxInWindow(arrivals, 1000)).toBeLessThanOrEqual(15);
    // The budget is used, not just avoided: well over half the minute's allowance.
    expect(maxInWindow(arrivals, 60_000)).toBeGreaterThan(250);
  });

  it('the limit bites a client that does not pace itself', async () => {
    const { fake, arrivals } = await listRun({ requestsPerMinute: 1_000_000, burst: 1_000_000 });
    expect(fake.counts().byStatus['429']).toBeGreaterThan(0);
    expect(maxInWindow(arrivals, 1000)).toBeGreaterThan(15);
  });

  it('never asks for more than 60 tokens a minute, even when every token is refused', async () => {
    const clock = createVirtualClock();
    fake = await startFakePersonio({ now: clock.now, limits: { auth: { limit: 60, windowMs: 60_000 } } });
    const personio = personioFor(fake, clock);
    for (let i = 0; i < 75; i++) {
      fake.tokens.revokeAll();
      expect(await personio.validate()).toEqual({ ok: true, warnings: [] });
    }
    const auth = fake.arrivals['v1.auth'];
    expect(auth).toHaveLength(75);
    expect(fake.counts().byStatus['429']).toBeUndefined();
    expect(maxInWindow(auth, 60_000)).toBeLessThanOrEqual(60);
  });
});
