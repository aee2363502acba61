import { afterEach, describe, expect, it } from 'vitest';
import { faults, type Fault } from '../fakes/shared/faults.js';
import { generateCompany } from '../fakes/payfit/generate.js';
import { collect, createVirtualClock, maxInWindow, payfitFor } from '../fakes/payfit/harness.js';
import { startFakePayfit, type FakePayfit, type FakePayfitOptions } from '../fakes/payfit/server.js';

let fake: FakePayfit | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakePayfitOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakePayfit({ ...options, now: clock.now });
  return { clock, fake };
}

const unpaced = { requestsPerMinute: 1_000_000_000, burst: 1_000_000 };
const bare429: Fault = { type: 'status', status: 429, headers: { 'Content-Type': 'application/json' }, body: '{"message":"API rate limit exceeded"}' };
const page = (body: unknown): Fault => ({ type: 'status', status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('PayFit rate limit (20 requests a second per application), proven by the fake', () => {
  it('a paced read of 2,000 people never puts more than 20 requests in any second, and is never throttled', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 3, size: 2000 }) });
    const connector = payfitFor(fake, clock);
    for (let i = 0; i < 2; i++) expect((await collect(connector.employees())).byId.size).toBe(2000);
    const counts = fake.counts();
    expect(counts.byStatus['429']).toBeUndefined();
    expect(counts.byEndpoint.collaborators).toBe(80);
    // Two reads of 40 contracts pages and 40 collaborators pages.
    expect(fake.arrivals).toHaveLength(160);
    expect(maxInWindow(fake.arrivals, 1000)).toBeLessThanOrEqual(19);
    expect(maxInWindow(fake.arrivals, 1000)).toBeGreaterThanOrEqual(15);
  });

  it("an unpaced client stays under the limit by honouring PayFit's X-RateLimit-Remaining-Second: 0", async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 3, size: 2000 }) });
    expect((await collect(payfitFor(fake, clock, { http: unpaced }).employees())).byId.size).toBe(2000);
    // Contracts and collaborators are read side by side: when one answer says "0 left", the other
    // chain's request may already be on its way and meet a 429. Never more than that.
    const { total, byStatus } = fake.counts();
    expect(byStatus['429'] ?? 0).toBeLessThanOrEqual(Math.ceil(total / 20));
    expect(byStatus['200']).toBe(81);
  });

  it('with the other page version (50 a second for reads) the paced client is still within it', async () => {
    const { clock, fake } = await setup({ perSecond: 50, company: generateCompany({ seed: 3, size: 600 }) });
    await collect(payfitFor(fake, clock).employees());
    expect(fake.counts().byStatus['429']).toBeUndefined();
    expect(maxInWindow(fake.arrivals, 1000)).toBeLessThanOrEqual(19);
  });

  it('a bare 429 (no Retry-After) waits a second, holds every request meanwhile, and the read completes', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 3, size: 200 }) });
    fake.faults.at(2, bare429, 'collaborators');
    const connector = payfitFor(fake, clock, { http: unpaced });
    expect((await collect(connector.employees())).byId.size).toBe(200);
    expect(fake.counts().byStatus['429']).toBe(1);
    expect(connector.stats.api.throttled).toBe(1);
    expect(clock.slept).toBeGreaterThanOrEqual(1000);
  });

  it('a 429 with Retry-After waits as long as it says', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(1, faults.tooManyRequests(7), 'collaborators');
    expect((await collect(payfitFor(fake, clock).employees())).byId.size).toBe(fake.company.size());
    expect(clock.slept).toBeGreaterThanOrEqual(7000);
  });
});

describe('PayFit failures → failure kinds', () => {
  it.each<[string, Fault, string, string, boolean]>([
    ['429s that do not stop', bare429, 'introspect', 'rate_limited', true],
    ['a 500', faults.serverError(500), 'introspect', 'unreachable', true],
    ['a hang', { type: 'hang' }, 'introspect', 'unreachable', true],
    ['a dropped connection', { type: 'reset' }, 'collaborators', 'unreachable', true],
    ['HTML instead of JSON', { type: 'status', status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>proxy</html>' }, 'collaborators', 'unreachable', false],
  ])('%s at connect', async (_name, fault, endpoint, kind, retryable) => {
    const { clock, fake } = await setup();
    fake.faults.next(20, fault, endpoint);
    const check = await payfitFor(fake, clock, { http: { maxRetries: 2 } }).validate();
    expect(check).toMatchObject({ ok: false, kind, retryable });
  });

  it('a 403 on the list is missing_permission naming the scope', async () => {
    const { clock, fake } = await setup({ errorBodies: 'oauth' });
    fake.faults.next(1, { type: 'status', status: 403, headers: { 'Content-Type': 'application/json' }, body: '{"error":"insufficient_scope","error_description":"missing scope collaborators:read"}' }, 'collaborators');
    const check = await payfitFor(fake, clock).validate();
    expect(check).toMatchObject({ ok: false, kind: 'missing_permission', message: expect.stringContaining('collaborators:read') });
  });
});

describe('PayFit pages the connector must not trust', () => {
  it('one bad record is a record error, never a failed run', async () => {
    const { clock, fake } = await setup();
    const good = { id: 'aa', firstName: 'Ana', lastName: 'Diaz', contracts: [{ id: 'c1', startDate: '2020-01-01', endDate: null }] };
    fake.faults.next(1, page({ collaborators: [good, 'x', { id: '' }, { ...good }, { id: 'bb', contracts: 'none' }], meta: { nextPageToken: null } }), 'collaborators');
    const run = await collect(payfitFor(fake, clock).employees());
    expect(run.employees.map((e) => e.remoteId)).toEqual(['aa']);
    expect(run.errors.map((e) => [e.remoteId, e.code])).toEqual([
      [null, 'invalid_record'],
      [null, 'invalid_record'],
      ['aa', 'duplicate_record'],
      ['bb', 'invalid_record'],
    ]);
  });

  it('a page token sent twice is an invalid response, not an endless read', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(2, page({ collaborators: [], meta: { nextPageToken: 'same' } }), 'collaborators');
    await expect(collect(payfitFor(fake, clock).employees())).rejects.toMatchObject({ kind: 'invalid_response', retryable: false });
    expect(fake.counts().byEndpoint.collaborators).toBe(2);
  });

  it('a page without the collaborators list fails the run with the path that is wrong', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(1, page({ data: [] }), 'collaborators');
    await expect(collect(payfitFor(fake, clock).employees())).rejects.toMatchObject({ kind: 'invalid_response', message: expect.stringContaining('collaborators') });
  });

  it('the fake caps maxResults at 50 and defaults to 10, as PayFit does', async () => {
    const { fake } = await setup({ company: generateCompany({ seed: 1, size: 120 }) });
    const get = async (query: string) => {
      const res = await fetch(`${fake.url}/companies/${fake.company.id}/collaborators${query}`, { headers: { Authorization: 'Bearer pf_customer_key_0123456789abcdef' } });
      return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as { collaborators?: unknown[]; meta?: { nextPageToken?: string | null }; message?: string } };
    };
    expect((await get('')).body.collaborators).toHaveLength(10);
    const capped = await get('?maxResults=500');
    expect(capped.body.collaborators).toHaveLength(50);
    expect(capped.etag).toMatch(/^".+"$/);
    expect((await get('?maxResults=0')).status).toBe(400);
    expect((await get('?nextPageToken=garbage')).body.message).toMatch(/nextPageToken/);
  });
});
