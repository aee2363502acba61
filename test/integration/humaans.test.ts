import { afterEach, describe, expect, it } from 'vitest';
import { isHttpError } from '../../connectors/http/errors.js';
import { humaansRequestsPerMinute } from '../../connectors/humaans/connector.js';
import { addDays } from '../fakes/shared/random.js';
import { faults, type Fault } from '../fakes/shared/faults.js';
import { generateCompany } from '../fakes/humaans/generate.js';
import { collect, createVirtualClock, humaansFor, maxInWindow } from '../fakes/humaans/harness.js';
import { publicOnlyToken, startFakeHumaans, type FakeHumaans, type FakeHumaansOptions } from '../fakes/humaans/server.js';

let fake: FakeHumaans | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(size: number, options: Omit<FakeHumaansOptions, 'now' | 'company'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeHumaans({ company: generateCompany({ seed: 7, size }), now: clock.now, ...options });
  return { clock, fake };
}

const unpaced = { requestsPerMinute: 1_000_000_000, burst: 1_000_000 };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Fault => ({
  type: 'status', status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body),
});
const peopleQueries = (f: FakeHumaans) => f.queries.filter((q) => q.endpoint === 'people').map((q) => new URLSearchParams(q.query));

describe('Humaans paging: where the people list ends', () => {
  it('asks for 250 a page and stops when skip + data.length reaches total (310 people: 2 requests)', async () => {
    const { clock, fake } = await setup(310);
    const got = await collect(humaansFor(fake, clock).employees());
    expect(got.byId.size).toBe(310);
    expect(peopleQueries(fake).map((q) => [q.get('$limit'), q.get('$skip')])).toEqual([['250', '0'], ['250', '250']]);
    // Offboarded people and new hires are in the list without any status filter.
    expect(peopleQueries(fake).every((q) => !q.has('status'))).toBe(true);
    expect(got.employees.some((e) => e.status === 'inactive')).toBe(true);
    expect(got.employees.some((e) => e.status === 'pending')).toBe(true);
    expect(got.pages.every((p) => p.complete)).toBe(true);
  });

  it('an exact multiple of the page size costs no extra empty request (500 people: 2 requests)', async () => {
    const { clock, fake } = await setup(500);
    expect((await collect(humaansFor(fake, clock).employees())).byId.size).toBe(500);
    expect(fake.counts().byEndpoint.people).toBe(2);
  });

  it('without total in the envelope (?): a short page ends the list, an exact multiple one empty page later', async () => {
    const { clock, fake } = await setup(500, { total: 'absent' });
    expect((await collect(humaansFor(fake, clock).employees())).byId.size).toBe(500);
    expect(peopleQueries(fake).map((q) => q.get('$skip'))).toEqual(['0', '250', '500']);
    fake.resetCounts();
    fake.company.remove(fake.company.list()[0]!.id);
    expect((await collect(humaansFor(fake, clock).employees())).byId.size).toBe(499);
    expect(fake.counts().byEndpoint.people).toBe(2);
  });

  it.each<['present' | 'absent']>([['present'], ['absent']])('a server that caps $limit at 100 (total %s): $skip moves by what came, nobody is lost', async (total) => {
    const { clock, fake } = await setup(310, { maxLimit: 100, total });
    const got = await collect(humaansFor(fake, clock).employees());
    expect(got.byId.size).toBe(310);
    expect(peopleQueries(fake).map((q) => q.get('$skip'))).toEqual(['0', '100', '200', '300']);
  });

  it('an empty page before total is reached fails the read instead of passing a short snapshot', async () => {
    const { clock, fake } = await setup(310);
    fake.faults.at(2, json(200, { total: 310, limit: 250, skip: 250, data: [] }), 'people');
    const run = collect(humaansFor(fake, clock).employees());
    await expect(run).rejects.toSatisfy((err: unknown) => isHttpError(err) && err.kind === 'invalid_response');
  });

  it('a malformed envelope is an invalid response; one malformed person is a record error', async () => {
    const { clock, fake } = await setup(30);
    fake.faults.next(1, json(200, { total: 1, items: [] }), 'people');
    await expect(collect(humaansFor(fake, clock).employees())).rejects.toSatisfy((err: unknown) => isHttpError(err) && err.kind === 'invalid_response');
    fake.faults.next(1, json(200, { total: 3, limit: 250, skip: 0, data: [{ firstName: 'No id' }, { id: 'P2', teams: 'x' }, { id: 'P3', firstName: 'Fine', status: 'active' }] }), 'people');
    const got = await collect(humaansFor(fake, clock).employees());
    expect(got.byId.has('P3')).toBe(true);
    expect(got.errors.map((e) => [e.remoteId, e.code])).toEqual([[null, 'invalid_record'], ['P2', 'invalid_record']]);
  });
});

describe('Humaans records', () => {
  it('managers listed after their reports, several job roles, leavers, future starters, offices and bank accounts', async () => {
    const { clock, fake } = await setup(400);
    const c = fake.company;
    const got = await collect(humaansFor(fake, clock).employees());
    const order = c.list().map((p) => p.id);
    const position = new Map(order.map((id, i) => [id, i]));
    const afterReports = c.list().filter((p) => {
      const boss = c.currentRole(p.id)?.reportingTo;
      return boss && (position.get(boss) ?? -1) > position.get(p.id)!;
    });
    expect(afterReports.length).toBeGreaterThan(50);
    for (const p of afterReports) expect(got.byId.get(p.id)!.managerRemoteId).toBe(c.currentRole(p.id)!.reportingTo);

    const twoRoles = c.list().filter((p) => c.roles().filter((r) => r.personId === p.id).length > 1);
    expect(twoRoles.length).toBeGreaterThan(3);
    for (const p of twoRoles) expect(got.byId.get(p.id)!.jobTitle).toBe(c.currentRole(p.id)!.jobTitle);
    expect(twoRoles.every((p) => got.byId.get(p.id)!.jobTitle !== 'Intern')).toBe(true);

    for (const p of c.list()) {
      const e = got.byId.get(p.id)!;
      expect(e.status, p.id).toBe({ active: 'active', newHire: 'pending', offboarded: 'inactive' }[c.status(p)]);
      expect(e.rawStatus).toBe(c.status(p));
      expect(e.workLocation?.name ?? null).toBe(c.location(p));
    }
    const banked = c.bankAccounts()[0]!;
    expect(got.byId.get(banked.personId)!.bankAccount).toEqual({ iban: banked.iban, bic: banked.swiftCode, holder: banked.nameOnAccount });
    expect(got.employees.some((e) => /[^\x00-\x7f]/.test(e.displayName))).toBe(true);
    // The last person reports to someone Humaans does not list: the id is kept, the planner decides.
    expect(got.errors).toEqual([]);
  });

  it('a termination entered 20 days ahead keeps the person active until that date', async () => {
    const { clock, fake } = await setup(30);
    const someone = fake.company.list().find((p) => fake.company.status(p) === 'active' && p.employmentEndDate === null)!;
    fake.company.terminate(someone.id, addDays(fake.company.today, 20));
    const e = (await collect(humaansFor(fake, clock).employees())).byId.get(someone.id)!;
    expect(e).toMatchObject({ status: 'active', rawStatus: 'active', terminationDate: addDays(fake.company.today, 20) });
  });

  it('job roles as a catalogue (?): the run succeeds without titles or managers and says why', async () => {
    const { clock, fake } = await setup(40, { jobRoles: 'catalogue' });
    const got = await collect(humaansFor(fake, clock).employees());
    expect(got.byId.size).toBe(40);
    expect(got.employees.every((e) => e.jobTitle === null && e.managerRemoteId === null)).toBe(true);
    expect(got.warnings.join(' ')).toMatch(/catalogue/);
  });

  it('bank accounts can be switched off: one list fewer', async () => {
    const { clock, fake } = await setup(40);
    const got = await collect(humaansFor(fake, clock, { settings: { bankAccounts: false } }).employees());
    expect(got.employees.every((e) => e.bankAccount === null)).toBe(true);
    expect(fake.counts().byEndpoint['bank-accounts']).toBeUndefined();
  });
});

describe('Humaans tokens and failures', () => {
  it('a good token with private:read validates', async () => {
    const { clock, fake } = await setup(10);
    expect(await humaansFor(fake, clock).validate()).toEqual({ ok: true, warnings: [] });
  });

  it('a wrong token is invalid_credentials, with Humaans\' own message and never the token', async () => {
    const { clock, fake } = await setup(10);
    const result = await humaansFor(fake, clock, { credentials: { apiToken: 'hmns_wrong_secret' } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'invalid_credentials', retryable: false });
    expect(JSON.stringify(result)).toContain('Invalid access token');
    expect(JSON.stringify(result)).not.toContain('hmns_wrong_secret');
    await expect(collect(humaansFor(fake, clock, { credentials: { apiToken: 'hmns_wrong_secret' } }).employees())).rejects.toSatisfy(
      (err: unknown) => isHttpError(err) && err.kind === 'auth' && !err.retryable,
    );
    expect(fake.counts().byStatus['401']).toBeGreaterThanOrEqual(2);
  });

  it('a token with public:read only is missing_permission at connect; a run with it warns that leavers are hidden', async () => {
    const { clock, fake } = await setup(200);
    const connector = humaansFor(fake, clock, { credentials: { apiToken: publicOnlyToken } });
    expect(await connector.validate()).toMatchObject({ ok: false, kind: 'missing_permission', message: expect.stringContaining('private:read') });
    const got = await collect(connector.employees());
    const visible = fake.company.list().filter((p) => fake.company.status(p) === 'active');
    expect(got.byId.size).toBe(visible.length);
    expect(got.byId.size).toBeLessThan(200);
    expect(got.warnings.join(' ')).toMatch(/public:read.*private:read/);
    expect(got.warnings.join(' ')).toMatch(/bank accounts \(403/);
  });

  it('without /token-info (a proxy): the people list alone proves the token', async () => {
    const { clock, fake } = await setup(10);
    fake.faults.next(1, json(404, { name: 'NotFound', message: 'Page not found', code: 404, className: 'not-found' }), 'token-info');
    expect(await humaansFor(fake, clock).validate()).toEqual({ ok: true, warnings: [] });
  });

  it('without /token-info and with a public-only token: connects, warning that leavers are hidden', async () => {
    const { clock, fake } = await setup(10);
    fake.faults.next(1, json(404, { name: 'NotFound', message: 'Page not found', code: 404, className: 'not-found' }), 'token-info');
    const result = await humaansFor(fake, clock, { credentials: { apiToken: publicOnlyToken } }).validate();
    expect(result).toMatchObject({ ok: true, warnings: [expect.stringContaining('private:read')] });
  });

  it('a base URL that answers something else than a Humaans list is unreachable', async () => {
    const { clock, fake } = await setup(10);
    fake.faults.next(1, json(200, { employees: [] }), 'people');
    expect(await humaansFor(fake, clock).validate()).toMatchObject({ ok: false, kind: 'unreachable', retryable: false });
  });

  it.each<[string, Fault, string, boolean]>([
    ['403 on the list', json(403, { name: 'Forbidden', message: 'You do not have the required scope', code: 403, className: 'forbidden' }), 'missing_permission', false],
    ['404 on the list (wrong base URL)', json(404, { name: 'NotFound', message: 'Page not found', code: 404 }), 'invalid_credentials', false],
    ['429 with Retry-After beyond what validation waits', json(429, { name: 'TooManyRequests', message: 'Too many requests', code: 429 }, { 'Retry-After': '600' }), 'rate_limited', true],
    ['a server error every time', faults.serverError(502), 'unreachable', true],
    ['a 400 with per-field issues', json(400, { name: 'BadRequest', message: 'Invalid query', code: 400, issues: [{ path: ['$limit'], message: 'too big' }] }), 'unreachable', false],
  ])('%s → %s', async (_case, fault, kind, retryable) => {
    const { clock, fake } = await setup(10);
    fake.faults.next(10, fault, 'people');
    const result = await humaansFor(fake, clock, { http: { maxServerWaitMs: 60_000 } }).validate();
    expect(result).toMatchObject({ ok: false, kind, retryable });
  });

  it('a network failure is unreachable', async () => {
    const { clock, fake } = await setup(10);
    fake.faults.next(10, { type: 'reset' });
    expect(await humaansFor(fake, clock).validate()).toMatchObject({ ok: false, kind: 'unreachable', retryable: true });
  });
});

describe('Humaans rate limiting, proven by the fake', () => {
  it(`a paced read never puts more than ${humaansRequestsPerMinute} requests in any minute and is never throttled`, async () => {
    const { clock, fake } = await setup(2000, { perMinute: humaansRequestsPerMinute });
    const got = await collect(humaansFor(fake, clock, { settings: { pageSize: 10 } }).employees());
    expect(got.byId.size).toBe(2000);
    const counts = fake.counts();
    expect(counts.byStatus['429']).toBeUndefined();
    expect(counts.byEndpoint.people).toBe(200);
    expect(counts.total).toBeGreaterThan(humaansRequestsPerMinute * 1.5);
    expect(maxInWindow(fake.arrivals, 60_000)).toBeLessThanOrEqual(humaansRequestsPerMinute);
  });

  it("an unpaced client is held back by Humaans' 429 and its Retry-After, and still reads everyone", async () => {
    const { clock, fake } = await setup(600, { perMinute: 20 });
    const got = await collect(humaansFor(fake, clock, { http: unpaced, settings: { pageSize: 25 } }).employees());
    expect(got.byId.size).toBe(600);
    const counts = fake.counts();
    expect(counts.byStatus['429']).toBeGreaterThan(0);
    // Every 429 said how long to wait, and the client waited that long: no burst of retries.
    expect(counts.byStatus['429']).toBeLessThan(counts.byStatus['200']!);
    expect(clock.slept).toBeGreaterThanOrEqual(60_000);
    expect(maxInWindow(fake.arrivals.filter((_, i) => fake.requests[i]?.status === 200), 60_000)).toBeLessThanOrEqual(20);
  });

  it('a bare 429 without Retry-After (?) is backed off and retried', async () => {
    const { clock, fake } = await setup(50);
    fake.faults.next(2, json(429, { name: 'TooManyRequests', message: 'Too many requests', code: 429 }), 'people');
    const got = await collect(humaansFor(fake, clock).employees());
    expect(got.byId.size).toBe(50);
    expect(fake.counts().byEndpoint.people).toBe(3);
    expect(clock.slept).toBeGreaterThan(0);
  });
});
