import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock } from '../fakes/personio/clock.js';
import { collect, personioFor } from '../fakes/personio/harness.js';
import { defaultClient, startFakePersonio, type FakePersonio, type FakePersonioOptions } from '../fakes/personio/server.js';
import { faults } from '../fakes/shared/faults.js';

let fake: FakePersonio | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakePersonioOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakePersonio({ ...options, now: clock.now });
  return { clock, fake };
}

const list = 'v1.employees';
const small = { pageSize: 5 }; // 17 people → 4 pages, so faults can land mid-run

describe('Personio faults over HTTP', () => {
  it('waits at least a second after a 429 that names no wait, then carries on', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(2, faults.tooManyRequests(), list);
    const run = await collect(personioFor(fake, clock, small).employees());
    expect(run.byId.size).toBe(17);
    expect(fake.counts().byStatus['429']).toBe(1);
    expect(clock.slept).toBeGreaterThanOrEqual(1000);
  });

  it('honours Retry-After on a 429 (seconds and HTTP date)', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, faults.tooManyRequests(7), list);
    fake.faults.at(3, faults.tooManyRequests(new Date(clock.now() + 30_000)), list);
    const run = await collect(personioFor(fake, clock, small).employees());
    expect(run.byId.size).toBe(17);
    expect(clock.slept).toBeGreaterThanOrEqual(7000 + 20_000);
  });

  it('retries 503s with backoff', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(2, faults.unavailable(), list);
    const run = await collect(personioFor(fake, clock, small).employees());
    expect(run.byId.size).toBe(17);
    expect(fake.counts().byStatus['503']).toBe(2);
  });

  it('fails the run, retryably, on a 500 mid-run, after the pages before it', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(3, faults.serverError(500), list);
    const pages: number[] = [];
    const run = (async () => {
      for await (const page of personioFor(fake, clock, small).employees()) pages.push(page.employees.length);
    })();
    await expect(run).rejects.toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(pages).toEqual([5, 5]);
    expect(fake.counts().byStatus['500']).toBe(1);
  });

  it('fails without retrying on a body that is not JSON', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(2, { type: 'invalid_json' }, list);
    await expect(collect(personioFor(fake, clock, small).employees())).rejects.toMatchObject({ kind: 'invalid_response', retryable: false });
    expect(fake.counts().byEndpoint[list]).toBe(2);
  });

  it('gives up on a hung request or a stalled body after the timeout and retries', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(2, { type: 'hang' }, list);
    fake.faults.at(4, { type: 'stall_body' }, list);
    const run = await collect(personioFor(fake, clock, small, { http: { timeoutMs: 250 } }).employees());
    expect(run.byId.size).toBe(17);
    expect(fake.counts().byStatus.hung).toBe(2); // the stalled body never finished either
  });

  it('retries a dropped connection', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, { type: 'reset' }, list);
    expect((await collect(personioFor(fake, clock, small).employees())).byId.size).toBe(17);
  });

  it('waits out the auth endpoint cool-down on a bare 429 from it', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, faults.tooManyRequests(), 'v1.auth');
    expect((await collect(personioFor(fake, clock).employees())).byId.size).toBe(17);
    expect(clock.slept).toBeGreaterThanOrEqual(60_000);
  });

  it('honours Retry-After from v2', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, faults.tooManyRequests(4), 'v2.persons');
    expect((await collect(personioFor(fake, clock, { apiVersion: 'v2' }).employees())).byId.size).toBe(17);
    expect(clock.slept).toBeGreaterThanOrEqual(4000);
  });
});

describe('Personio v1 validation names the problem', () => {
  const credentials = {
    [defaultClient.id]: { secret: defaultClient.secret },
    locked: { secret: 's', access: 'none' as const },
    blind: { secret: 's', hidden: ['status'] },
    partial: { secret: 's', hidden: ['email', 'supervisor'] },
  };
  const as = (clientId: string, clientSecret = 's') => ({ credentials: { clientId, clientSecret } });

  it.each([
    ['wrong secret', as(defaultClient.id, 'nope'), { ok: false, kind: 'invalid_credentials', retryable: false, message: expect.stringMatching(/client ID and secret/) }],
    ['no access to employees', as('locked'), { ok: false, kind: 'missing_permission', retryable: false, message: expect.stringMatching(/may not read employees/) }],
    ['status not whitelisted', as('blind'), { ok: false, kind: 'missing_permission', retryable: false, message: expect.stringMatching(/status/) }],
    ['some attributes hidden', as('partial'), { ok: true, warnings: [expect.stringMatching(/email, supervisor/)] }],
    ['all good', {}, { ok: true, warnings: [] }],
  ])('%s', async (_name, extra, expected) => {
    const { clock, fake } = await setup({ credentials });
    expect(await personioFor(fake, clock, {}, extra).validate()).toEqual(expected);
  });

  it('an API that cannot be reached', async () => {
    const { clock, fake } = await setup();
    const url = fake.url;
    await fake.close();
    const result = await personioFor({ ...fake, url }, clock, {}, { http: { maxRetries: 0 } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'unreachable', retryable: true });
  });
});
