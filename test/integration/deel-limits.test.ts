import { afterEach, describe, expect, it } from 'vitest';
import { generateCompany } from '../fakes/deel/generate.js';
import { collect, createVirtualClock, deelFor, maxInWindow } from '../fakes/deel/harness.js';
import { startFakeDeel, type FakeDeel, type FakeDeelOptions } from '../fakes/deel/server.js';
import { faults } from '../fakes/shared/faults.js';

let fake: FakeDeel | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeDeelOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeDeel({ company: generateCompany({ seed: 9, size: 2_000 }), ...options, now: clock.now });
  return { clock, fake };
}

const unpaced = { requestsPerMinute: 1_000_000_000, burst: 1_000_000 };

describe('Deel rate limit (5 requests a second per organisation), proven by the fake', () => {
  it('a paced read of 2,000 people in pages of 20 never meets a 429', async () => {
    const { clock, fake } = await setup({ perSecond: 5 });
    const run = await collect(deelFor(fake, clock, { settings: { pageSize: 20 } }).employees());
    expect(run.byId.size).toBe(2_000);
    expect(fake.arrivals).toHaveLength(101);
    expect(fake.counts().byStatus['429']).toBeUndefined();
    // Four a second: under the limit, with room for the organisation's other tokens, and not slower.
    expect(maxInWindow(fake.arrivals, 1_000)).toBe(4);
  });

  it('validate then sync back to back stays under it too', async () => {
    const { clock, fake } = await setup({ perSecond: 5 });
    const deel = deelFor(fake, clock, { settings: { pageSize: 100 } });
    for (let i = 0; i < 3; i++) {
      expect((await deel.validate()).ok).toBe(true);
      await collect(deel.employees());
    }
    expect(fake.counts().byStatus['429']).toBeUndefined();
    expect(maxInWindow(fake.arrivals, 1_000)).toBeLessThanOrEqual(4);
  });

  it.each(['rate-limit-page', 'container'] as const)('an unpaced client that meets header-less 429s (%s body) waits a second and loses nobody', async (rateLimitBody) => {
    const { clock, fake } = await setup({ perSecond: 5, variants: { rateLimitBody } });
    const deel = deelFor(fake, clock, { settings: { pageSize: 20 }, http: unpaced });
    const run = await collect(deel.employees());
    expect(run.byId.size).toBe(2_000);
    const throttled = fake.counts().byStatus['429'] ?? 0;
    expect(throttled).toBeGreaterThan(0);
    // Each 429 pauses the whole client for a second: a handful per twenty pages, never a storm.
    expect(throttled).toBeLessThanOrEqual(25);
    expect(deel.stats.throttled).toBe(throttled);
    expect(clock.slept).toBeGreaterThanOrEqual(throttled * 1_000);
  });

  it('a Retry-After, when present, is honoured instead', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(2, faults.tooManyRequests(7), 'people');
    const run = await collect(deelFor(fake, clock, { http: unpaced }).employees());
    expect(run.byId.size).toBe(2_000);
    expect(clock.slept).toBeGreaterThanOrEqual(7_000);
  });

  it('a 429 that does not end is rate_limited at validation, retryable', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(10, { type: 'status', status: 429, body: '{"error":"Rate limit exceeded","status":429}' }, 'people');
    const result = await deelFor(fake, clock).validate();
    expect(result).toMatchObject({ ok: false, kind: 'rate_limited', retryable: true, message: expect.stringContaining('5 requests a second') });
    // The first attempt and four retries, each a second apart.
    expect(fake.counts().byStatus['429']).toBe(5);
  });

  it.each([
    [503, 'retried', 'ok'],
    [502, 'retried', 'ok'],
    [500, 'not retried', 'server'],
  ] as const)('a %s mid-read is %s', async (status, _how, outcome) => {
    const { clock, fake } = await setup();
    fake.faults.at(3, faults.serverError(status), 'people');
    const read = collect(deelFor(fake, clock).employees());
    if (outcome === 'ok') expect((await read).byId.size).toBe(2_000);
    else await expect(read).rejects.toMatchObject({ kind: 'server', retryable: true });
  });
});
