import { afterEach, describe, expect, it } from 'vitest';
import { createRemote } from '../../connectors/remote/connector.js';
import { createCompany, remoteId, type FakeEmployment } from '../fakes/remote/company.js';
import { generateCompany } from '../fakes/remote/generate.js';
import { collect, createVirtualClock, maxInWindow, remoteFor, today } from '../fakes/remote/harness.js';
import { defaultApiToken, defaultPartner, startFakeRemote, type FakeRemote, type FakeRemoteOptions } from '../fakes/remote/server.js';
import { customFieldsOf } from '../fakes/shared/custom-fields.js';
import { faults } from '../fakes/shared/faults.js';
import { addDays } from '../fakes/shared/random.js';

const day = '2026-03-02';
let fake: FakeRemote | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeRemoteOptions & { size?: number } = {}) {
  const clock = createVirtualClock();
  const { size = 60, ...rest } = options;
  fake = await startFakeRemote({ company: rest.company ?? generateCompany({ seed: 7, size }), now: clock.now, ...rest });
  return { fake, clock };
}

/** A small hand-made company: one of each case the fact sheet names. */
function person(n: number, patch: Partial<FakeEmployment> = {}): FakeEmployment {
  return {
    id: remoteId(0xc, n), shortId: `S${n}`, externalId: `E-${n}`, firstName: 'Tomás', lastName: `Rey ${n}`, preferredName: null,
    jobTitle: 'Support Lead', status: 'active', lifecycleStage: 'onboarded', country: { code: 'PRT', alpha_2_code: 'PT', name: 'Portugal' },
    department: { id: 'd-1', name: 'Support' }, loginEmail: `p${n}@acme.test`, personalEmail: `p${n}@home.test`, workEmail: `p${n}@acme.test`,
    startDate: '2024-01-01', managerId: null, managerEmail: null, bank: null, updatedAt: '2026-02-01T10:00:00.000Z', ...patch,
  };
}

describe('Remote connector against the fake gateway', () => {
  it('pages with page/page_size until current_page equals total_pages, details and offboardings included', async () => {
    const { fake, clock } = await start({ size: 250 });
    const run = await collect(remoteFor(fake, clock).employees());
    const counts = fake.counts().byEndpoint;
    expect(counts.employments).toBe(Math.ceil(fake.company.size() / 100));
    expect(fake.pageSizes.every((s) => s === '100')).toBe(true);
    expect(counts.employment).toBe(fake.company.size());
    expect(counts.offboardings).toBe(Math.max(1, Math.ceil(fake.company.offboardings().length / 100)));
    expect(run.employees.length + run.errors.filter((e) => e.dropped).length).toBe(fake.company.size());
    expect(new Set(run.employees.map((e) => e.remoteId)).size).toBe(run.employees.length);
    expect(run.pages.every((p) => p.complete)).toBe(true);
    // Managers listed after their reports are still ids; names in other scripts survive.
    const withManager = run.employees.filter((e) => e.managerRemoteId !== null);
    expect(withManager.length).toBeGreaterThan(200);
    expect(run.employees.some((e) => /[^\u0000-\u024f]/.test(e.displayName))).toBe(true);
  });

  it('a list capped at 20 a page (?) is still read to its end; an empty company is one request', async () => {
    const { fake, clock } = await start({ size: 130, maxPageSize: 20 });
    const run = await collect(remoteFor(fake, clock).employees());
    expect(fake.counts().byEndpoint.employments).toBe(Math.ceil(fake.company.size() / 20));
    expect(run.employees.length).toBeGreaterThan(120);
    fake.resetCounts();
    [...fake.company.list()].forEach((e) => fake.company.remove(e.id));
    const empty = await collect(remoteFor(fake, clock).employees());
    expect(empty.employees).toEqual([]);
    expect(fake.counts().byEndpoint.employments).toBe(1);
  });

  it('a page that is not the one asked for fails the run instead of looping', async () => {
    const { fake, clock } = await start({ size: 150 });
    // A proxy that drops the page parameter: every request returns page 1.
    const stuck: typeof fetch = (input, init) => fetch(String(input).replace(/([?&])page=\d+/, '$1page=1'), init);
    await expect(collect(remoteFor(fake, clock, { fetch: stuck }).employees())).rejects.toMatchObject({ kind: 'invalid_response', message: expect.stringContaining('asked for page 2') });
    expect(fake.counts().byEndpoint.employments).toBe(2);
  });

  it('statuses, offboardings (future, past but not archived, cancelled, confidential, from before a rehire) and managers by email', async () => {
    const company = createCompany(
      [
        person(1),
        person(2, { status: 'offboarding', lifecycleStage: 'offboarding', managerId: remoteId(0xc, 1) }),
        person(3, { status: 'offboarding', lifecycleStage: 'offboarding' }),
        person(4, { status: 'archived', lifecycleStage: 'offboarded' }),
        person(5, { managerEmail: 'p1@acme.test', workEmail: null, loginEmail: 'p5@home.test' }),
        person(6, { status: 'created_awaiting_reserve', lifecycleStage: 'onboarding', startDate: addDays(day, 10) }),
        person(7, { startDate: addDays(day, -20), managerEmail: 'nobody@elsewhere.test' }),
        person(8, { status: 'brand_new_status', lifecycleStage: 'offboarded' }),
      ],
      [
        { id: 'o1', employmentId: remoteId(0xc, 2), terminationDate: addDays(day, 20), status: 'submitted', confidential: false },
        { id: 'o2', employmentId: remoteId(0xc, 3), terminationDate: addDays(day, -2), status: 'in_review', confidential: true },
        { id: 'o3', employmentId: remoteId(0xc, 1), terminationDate: addDays(day, 5), status: 'cancelled', confidential: false },
        { id: 'o4', employmentId: remoteId(0xc, 7), terminationDate: addDays(day, -400), status: 'completed', confidential: false },
      ],
      { today: day },
    );
    const { fake, clock } = await start({ company });
    const run = await collect(remoteFor(fake, clock).employees());
    const by = (n: number) => run.byId.get(remoteId(0xc, n))!;
    expect(by(1)).toMatchObject({ status: 'active', terminationDate: null, firstName: 'Tomás', employeeNumber: 'E-1', workLocation: { remoteId: 'PRT', name: 'Portugal' }, department: { remoteId: 'd-1', name: 'Support' } });
    expect(by(2)).toMatchObject({ status: 'active', terminationDate: addDays(day, 20), managerRemoteId: remoteId(0xc, 1), rawStatus: 'offboarding, offboarding' });
    expect(by(3)).toMatchObject({ status: 'inactive', terminationDate: addDays(day, -2) });
    expect(by(4)).toMatchObject({ status: 'inactive' });
    expect(by(5)).toMatchObject({ managerRemoteId: remoteId(0xc, 1), workEmail: null, personalEmail: 'p5@home.test' });
    expect(by(6)).toMatchObject({ status: 'pending', startDate: addDays(day, 10) });
    expect(by(7)).toMatchObject({ status: 'active', terminationDate: null, managerRemoteId: null });
    expect(by(8)).toMatchObject({ status: 'inactive', rawStatus: 'brand_new_status, offboarded' });
    expect(run.errors).toEqual([{ remoteId: remoteId(0xc, 7), code: 'unresolved_manager', reason: expect.stringContaining('nobody@elsewhere.test'), dropped: false }]);
  });

  it.each([
    ['given_family names, a bare detail envelope, department objects', { nameParts: 'given_family', detailEnvelope: 'bare', detailDepartment: 'object' }],
    ['only full_name', { nameParts: 'none' }],
  ] as const)('reads every documented shape: %s', async (_case, render) => {
    const { fake, clock } = await start({ size: 30, render });
    const run = await collect(remoteFor(fake, clock).employees());
    expect(run.errors.filter((e) => e.code === 'invalid_record')).toEqual([]);
    for (const e of fake.company.list()) {
      const got = run.byId.get(e.id)!;
      if (render.nameParts === 'none') expect(got).toMatchObject({ firstName: null, lastName: null, displayName: `${e.firstName} ${e.lastName}` });
      else expect(got).toMatchObject({ firstName: e.firstName, lastName: e.lastName });
      expect(got.department).toEqual(e.department ? { remoteId: e.department.id, name: e.department.name } : null);
      expect(got.startDate).toBe(e.startDate);
    }
  });

  it.each(['same_employment', 'new_employment'] as const)('a rehire (?) as %s: the person is employed again', async (mode) => {
    const company = createCompany([person(1), person(2, { status: 'archived', lifecycleStage: 'offboarded' })], [
      { id: 'o1', employmentId: remoteId(0xc, 2), terminationDate: '2025-06-30', status: 'completed', confidential: false },
    ], { today: day });
    const { fake, clock } = await start({ company });
    const rehired = company.rehire(remoteId(0xc, 2), day, mode);
    const run = await collect(remoteFor(fake, clock).employees());
    expect(run.byId.get(rehired.id)).toMatchObject({ status: 'active', startDate: day, terminationDate: null, workEmail: 'p2@acme.test' });
    if (mode === 'new_employment') expect(run.byId.get(remoteId(0xc, 2))).toMatchObject({ status: 'inactive', terminationDate: '2025-06-30' });
    expect(run.employees).toHaveLength(mode === 'same_employment' ? 2 : 3);
  });

  it('one unreadable employment is a record error, the rest are read', async () => {
    const company = createCompany([person(1), person(2, { id: '' }), person(3)], [], { today: day });
    const { fake, clock } = await start({ company });
    const run = await collect(remoteFor(fake, clock).employees());
    expect(run.employees.map((e) => e.remoteId).sort()).toEqual([remoteId(0xc, 1), remoteId(0xc, 3)]);
    expect(run.errors).toEqual([expect.objectContaining({ code: 'invalid_record', dropped: true })]);
  });

  it('bank details in each country shape', async () => {
    const company = createCompany(
      [
        person(1, { bank: { account_holder: 'Tomás Rey', iban: 'PT50 0002 0123 1234 5678 9015 4', bic_swift: 'bcomptpl' } }),
        person(2, { bank: { account_holder: 'A', sort_code: '12-34-56', account_number: '12345678' } }),
        person(3, { bank: { name: 'B', account_number: '1234', swift_code: 'BANKJPJT' } }),
      ],
      [],
      { today: day },
    );
    const { fake, clock } = await start({ company });
    const run = await collect(remoteFor(fake, clock).employees());
    expect(run.byId.get(remoteId(0xc, 1))!.bankAccount).toEqual({ iban: 'PT50000201231234567890154', bic: 'BCOMPTPL', holder: 'Tomás Rey' });
    expect(run.byId.get(remoteId(0xc, 2))!.bankAccount).toBeNull();
    expect(run.byId.get(remoteId(0xc, 3))!.bankAccount).toEqual({ bic: 'BANKJPJT', holder: 'B' });
  });
});

describe('Remote auth', () => {
  it('a partner refresh token gives one-hour company tokens, renewed before expiry and when refused', async () => {
    const { fake, clock } = await start({ size: 30, rotateRefreshTokens: true });
    const refreshToken = fake.authorize();
    const connector = remoteFor(fake, clock, { credentials: { clientId: defaultPartner.id, clientSecret: defaultPartner.secret, refreshToken } });
    expect(await connector.validate()).toEqual({ ok: true, warnings: [] });
    expect(fake.tokensIssued).toBe(1);
    clock.advance(2 * 3600_000);
    const run = await collect(connector.employees());
    expect(run.employees.length).toBeGreaterThan(25);
    // Expired after two hours: renewed once, with the rotated refresh token.
    expect(fake.tokensIssued).toBe(2);
    expect(fake.counts().byStatus['401'] ?? 0).toBe(0);
    // A token refused mid-run (revoked on Remote's side): the 401 renews it and the read goes on.
    const before = fake.tokensIssued;
    fake.faults.next(1, { type: 'status', status: 401, body: '{"message":"Unauthorized"}' }, 'employments');
    await collect(connector.employees());
    expect(fake.tokensIssued).toBe(before + 1);
  });

  it('failure kinds: bad token, bad client, revoked refresh token, partner-only token, rate limited, down', async () => {
    const { fake, clock } = await start({ size: 5 });
    const check = (credentials: Parameters<typeof createRemote>[0]['credentials'], http = {}) => remoteFor(fake, clock, { credentials, http }).validate();
    expect(await check({ apiToken: 'ra_test_wrong' })).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringContaining('Unauthorized') });
    expect(await check({ clientId: defaultPartner.id, clientSecret: 'nope', refreshToken: 'x' })).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringContaining('Client authentication failed') });
    expect(await check({ clientId: defaultPartner.id, clientSecret: defaultPartner.secret, refreshToken: 'revoked' })).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringContaining('invalid or revoked') });
    expect(await check({ clientId: defaultPartner.id, clientSecret: defaultPartner.secret })).toMatchObject({ ok: false, kind: 'missing_permission', message: expect.stringContaining('partner only') });
    fake.faults.next(1, { type: 'status', status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30000' }, body: '{"message":"Too many requests"}' }, 'employments');
    expect(await check({ apiToken: defaultApiToken }, { maxRetries: 0 })).toMatchObject({ ok: false, kind: 'rate_limited', retryable: true, message: expect.stringContaining('in 30 s') });
    fake.faults.next(1, faults.serverError(500), 'employments');
    expect(await check({ apiToken: defaultApiToken }, { maxRetries: 0 })).toMatchObject({ ok: false, kind: 'unreachable' });
    const url = fake.url;
    await fake.close();
    expect(await createRemote({ baseUrl: url, credentials: { apiToken: defaultApiToken }, http: { maxRetries: 0 } }).validate()).toMatchObject({ ok: false, kind: 'unreachable' });
  });

  it('per-area scopes (?): a company that did not grant offboardings gets a warning, not a failure', async () => {
    const { fake, clock } = await start({ size: 20, enforceScopes: true });
    const refreshToken = fake.authorize(['employment:read']);
    const connector = remoteFor(fake, clock, { credentials: { clientId: defaultPartner.id, clientSecret: defaultPartner.secret, refreshToken } });
    const validation = await connector.validate();
    expect(validation).toMatchObject({ ok: true, warnings: [expect.stringContaining('offboardings (403)')] });
    const run = await collect(connector.employees());
    expect(run.warnings).toEqual([expect.stringContaining('termination dates are empty')]);
    expect(run.employees.every((e) => e.terminationDate === null)).toBe(true);
  });
});

describe('Remote details refused', () => {
  it('a credential that may not open employment details reads the list alone, with one warning', async () => {
    const { fake, clock } = await start({ size: 40 });
    fake.faults.next(1000, { type: 'status', status: 403, body: '{"message":"Forbidden"}' }, 'employment');
    const refreshToken = fake.authorize();
    // A partner's budget reads several details at once: every refusal in flight is absorbed.
    const run = await collect(remoteFor(fake, clock, { credentials: { clientId: defaultPartner.id, clientSecret: defaultPartner.secret, refreshToken } }).employees());
    expect(run.employees.length).toBe(fake.company.size());
    expect(run.employees.every((e) => e.managerRemoteId === null && e.startDate === null)).toBe(true);
    expect(run.warnings).toEqual([expect.stringContaining('employment details (403)')]);
    expect(fake.counts().byEndpoint.employment).toBeLessThan(fake.company.size());
  });
});

describe('Remote custom fields', () => {
  const rawFields = ['customFields.badge', 'customFields.a1f0c3e2-5b7d-4c1e-9f00-0000000c0de5'];

  it('read per employment only when a mapping names one: one request per person, inside the 20 a minute', async () => {
    const { fake, clock } = await start({ size: 30 });
    await collect(remoteFor(fake, clock).employees());
    expect(fake.counts().byEndpoint['custom-fields'] ?? 0).toBe(0);
    fake.resetCounts();
    const run = await collect(remoteFor(fake, clock).employees({ rawFields }));
    expect(fake.counts().byEndpoint['custom-fields']).toBe(fake.company.size());
    expect(fake.counts().byEndpoint['employment']).toBe(fake.company.size());
    expect(maxInWindow(fake.arrivals, 60_000)).toBeLessThanOrEqual(20);
    // By name as a path spells it, or by the field's id.
    for (const e of run.employees) {
      expect(e.raw.customFields).toEqual({ badge: customFieldsOf(e.remoteId).badge, 'a1f0c3e2-5b7d-4c1e-9f00-0000000c0de5': customFieldsOf(e.remoteId).costCode });
    }
    expect(run.warnings ?? []).toEqual([]);
  });

  it('a partner without the custom field scope gets one warning and no values, the rest is read', async () => {
    const { fake, clock } = await start({ size: 20, enforceScopes: true });
    const refreshToken = fake.authorize(['employment:read', 'offboarding:read']);
    const connector = remoteFor(fake, clock, { credentials: { clientId: defaultPartner.id, clientSecret: defaultPartner.secret, refreshToken } });
    const run = await collect(connector.employees({ rawFields }));
    expect(run.employees.length).toBe(fake.company.size());
    expect(run.employees.every((e) => e.raw.customFields === undefined)).toBe(true);
    expect(run.warnings).toEqual([expect.stringContaining('custom field values (403)')]);
  });
});

describe('Remote rate limits', () => {
  it('20 a minute per company is kept by construction: no 429, never more than 20 in any minute of the fake clock', async () => {
    const { fake, clock } = await start({ size: 120 });
    const run = await collect(remoteFor(fake, clock).employees());
    expect(run.employees.length).toBeGreaterThan(100);
    expect(fake.counts().byStatus['429'] ?? 0).toBe(0);
    expect(fake.arrivals.length).toBeGreaterThan(120);
    expect(maxInWindow(fake.arrivals, 60_000)).toBeLessThanOrEqual(20);
  });

  it.each(['delta_ms', 'epoch_ms'] as const)('over budget, the 429 and its x-ratelimit-reset (%s) are waited out', async (resetHeader) => {
    const { fake, clock } = await start({ size: 40, resetHeader });
    const run = await collect(remoteFor(fake, clock, { http: { requestsPerMinute: 10_000, burst: 100 } }).employees());
    expect(run.employees.length).toBeGreaterThan(35);
    // `remaining: 0` on a success holds the client until the reset; any 429 is retried after it.
    expect(fake.counts().byStatus['200']).toBe(fake.arrivals.length - (fake.counts().byStatus['429'] ?? 0));
    expect(maxInWindow(fake.arrivals.filter((_t, i) => fake!.requests[i]?.status === 200), 60_000)).toBeLessThanOrEqual(20);
    expect(clock.slept).toBeGreaterThanOrEqual(60_000);
    // The reset is read in Remote's milliseconds: minutes of windows in all, not the days that
    // reading it as seconds would wait.
    expect(clock.slept).toBeLessThan(60 * 60_000);
  });

  it("Remote's own 429 (x-ratelimit-reset in ms, no Retry-After) is retried after the reset, on the same request", async () => {
    const { fake, clock } = await start({ size: 10 });
    fake.faults.next(1, { type: 'status', status: 429, headers: { 'x-ratelimit-count': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '45000' }, body: '{"message":"Too many requests"}' }, 'employments');
    const connector = remoteFor(fake, clock);
    const run = await collect(connector.employees());
    expect(run.employees.length).toBe(fake.company.size());
    expect(fake.counts().byEndpoint.employments).toBe(2);
    expect(connector.stats.api.throttled).toBe(1);
    // 45 s, not 45,000 s: the reset is read as milliseconds.
    expect(clock.slept).toBeGreaterThanOrEqual(45_000);
    expect(clock.slept).toBeLessThan(45_000 + 60_000);
  });
});
