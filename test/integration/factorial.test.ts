import { afterEach, describe, expect, it } from 'vitest';
import type { NormalisedEmployee } from '../../connectors/contract.js';
import { defaultToday } from '../fakes/factorial/company.js';
import { generateCompany } from '../fakes/factorial/generate.js';
import { collect, createVirtualClock, factorialFor, maxInWindow } from '../fakes/factorial/harness.js';
import { defaultOAuthApp, startFakeFactorial, type FakeFactorial, type FakeFactorialOptions } from '../fakes/factorial/server.js';
import { faults } from '../fakes/shared/faults.js';
import { addDays } from '../fakes/shared/random.js';

let fake: FakeFactorial | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeFactorialOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeFactorial({ ...options, now: clock.now });
  return { clock, fake };
}

/** What the connector must say about a person, computed from the fake's own records. */
function expected(f: FakeFactorial, id: string) {
  const c = f.company;
  const p = c.get(id)!;
  const version = c.currentVersion(id)!;
  const status = !c.employed(p) ? 'inactive' : version.startsOn > c.today ? 'pending' : 'active';
  const location = c.locations().find((l) => l.id === p.locationId);
  return {
    remoteId: id,
    workEmail: p.loginEmail || null,
    status,
    startDate: version.startsOn,
    terminationDate: p.terminatedOn,
    managerRemoteId: p.managerId,
    jobTitle: version.jobTitle,
    workLocation: location ? { remoteId: location.id, name: location.name } : null,
  };
}

const pick = (e: NormalisedEmployee) => ({
  remoteId: e.remoteId,
  workEmail: e.workEmail,
  status: e.status,
  startDate: e.startDate,
  terminationDate: e.terminationDate,
  managerRemoteId: e.managerRemoteId,
  jobTitle: e.jobTitle,
  workLocation: e.workLocation,
});

describe('Factorial over HTTP', () => {
  it('reads a 1,000-person company, leavers included, in pages of 100 with each page’s contract versions', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 3, size: 1000 }) });
    const run = await collect(factorialFor(fake, clock).employees());
    expect(run.byId.size).toBe(1000);
    expect(run.errors).toEqual([]);
    expect(run.pages.every((p) => p.complete)).toBe(true);
    expect(fake.counts().byEndpoint).toMatchObject({ employees: 10, teams: 1, locations: 1 });
    expect(fake.counts().byEndpoint.contract_versions).toBeGreaterThanOrEqual(10);
    for (const p of fake.company.list()) expect(pick(run.byId.get(p.id)!), `employee ${p.id}`).toEqual(expected(fake, p.id));
    const statuses = new Set(run.employees.map((e) => e.status));
    expect([...statuses].sort()).toEqual(['active', 'inactive', 'pending']);
    // Managers come after their reports in id order, and are still ids.
    const order = run.employees.map((e) => e.remoteId);
    expect(run.employees.filter((e) => e.managerRemoteId && order.indexOf(e.managerRemoteId) > order.indexOf(e.remoteId)).length).toBeGreaterThan(100);
  });

  it.each([
    ['cursor paging with base64 cursors', { cursors: 'base64' as const }, { paging: 'cursor' as const }],
    ['cursor paging with bare-id cursors', { cursors: 'id' as const }, { paging: 'cursor' as const }],
    ['page-number paging', {}, { paging: 'page' as const }],
  ])('%s reads everyone exactly once', async (_name, options, settings) => {
    const { clock, fake } = await setup({ ...options, company: generateCompany({ seed: 4, size: 250 }) });
    const run = await collect(factorialFor(fake, clock, { ...settings, pageSize: 40 }).employees());
    expect(run.employees.map((e) => e.remoteId)).toEqual(fake.company.list().map((p) => p.id));
    expect(fake.counts().byEndpoint.employees).toBe(7);
  });

  it.each([
    ['2025-10-01', 'integer'],
    ['2026-07-01', 'string'],
  ])('API %s: %s ids beyond 2^53 keep every digit, managers and contracts included', async (apiVersion) => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 5, size: 700, bigIds: true }) });
    const run = await collect(factorialFor(fake, clock, { apiVersion }).employees());
    expect(run.errors).toEqual([]);
    for (const p of fake.company.list()) expect(pick(run.byId.get(p.id)!), `employee ${p.id}`).toEqual(expected(fake, p.id));
    expect(run.employees.some((e) => BigInt(e.remoteId) > 2n ** 53n)).toBe(true);
    expect(run.employees.some((e) => e.team !== null)).toBe(true);
  });

  it.each(['login_email', 'email', 'both'] as const)('reads the work email from %s', async (emails) => {
    const { clock, fake } = await setup({ render: { emails } });
    const run = await collect(factorialFor(fake, clock).employees());
    for (const p of fake.company.list()) expect(run.byId.get(p.id)!.workEmail).toBe(p.loginEmail || null);
  });

  it.each(['active', 'inactive'] as const)('a future starter served as %s is pending; a future leaver is active until the date', async (futureStarters) => {
    const { clock, fake } = await setup({ render: { futureStarters } });
    const c = fake.company;
    const starter = c.hire({ firstName: 'Nia', lastName: 'Østergård', loginEmail: 'nia@acme.test', startsOn: addDays(defaultToday, 14), jobTitle: 'Designer' });
    const leaver = c.list()[3]!.id;
    c.terminate(leaver, addDays(defaultToday, 20));
    const gone = c.list()[4]!.id;
    c.terminate(gone, addDays(defaultToday, -2));
    const run = await collect(factorialFor(fake, clock).employees());
    expect(run.byId.get(starter.id)).toMatchObject({ status: 'pending', startDate: addDays(defaultToday, 14), jobTitle: 'Designer', displayName: 'Nia Østergård' });
    expect(run.byId.get(leaver)).toMatchObject({ status: 'active', terminationDate: addDays(defaultToday, 20), rawStatus: 'active, terminating' });
    expect(run.byId.get(gone)).toMatchObject({ status: 'inactive', terminationDate: addDays(defaultToday, -2), rawStatus: 'inactive' });
  });

  it('a promotion scheduled for next month is not yet the job title; a re-hire starts on the new date', async () => {
    const { clock, fake } = await setup();
    const c = fake.company;
    const [promoted, returner] = [c.list()[5]!.id, c.list()[6]!.id];
    const before = c.currentVersion(promoted)!.jobTitle;
    c.addVersion(promoted, { jobTitle: 'Chief Everything Officer', effectiveOn: addDays(defaultToday, 31) });
    c.terminate(returner, addDays(defaultToday, -100));
    c.rehire(returner, addDays(defaultToday, -5));
    const run = await collect(factorialFor(fake, clock).employees());
    expect(run.byId.get(promoted)!.jobTitle).toBe(before);
    expect(run.byId.get(returner)).toMatchObject({ status: 'active', startDate: addDays(defaultToday, -5), terminationDate: null });
  });

  it('sends only_active=false and only_managers=false, which the OAS marks required', async () => {
    const { clock, fake } = await setup({ requireBooleans: true });
    const run = await collect(factorialFor(fake, clock).employees());
    expect(run.byId.size).toBe(fake.company.list().length);
    expect(run.employees.some((e) => e.status === 'inactive')).toBe(true);
  });

  describe('incremental reads', () => {
    it('asks for people updated since the day of the last run', async () => {
      const { clock, fake } = await setup({ company: generateCompany({ seed: 6, size: 500 }) });
      const c = fake.company;
      clock.advance(Date.parse(`${defaultToday}T10:00:00Z`) - clock.now());
      const changed = [c.list()[10]!.id, c.list()[200]!.id];
      c.changeEmail(changed[0]!, 'changed@acme.test');
      c.changeManager(changed[1]!, c.list()[0]!.id);
      const run = await collect(factorialFor(fake, clock).employees({ updatedSince: `${defaultToday}T09:55:00Z` }));
      expect(run.employees.map((e) => e.remoteId).sort()).toEqual([...changed].sort());
      expect(run.pages.every((p) => p.complete === false)).toBe(true);
      expect(fake.requests.find((r) => r.endpoint === 'employees')!.path).toContain('/resources/employees/employees');
      expect(run.byId.get(changed[0]!)!.workEmail).toBe('changed@acme.test');
    });

    it('reads everyone as a full snapshot when the API version refuses the filter', async () => {
      const { clock, fake } = await setup({ updatedFilter: 'rejected' });
      const run = await collect(factorialFor(fake, clock, { apiVersion: '2024-10-01' }).employees({ updatedSince: `${defaultToday}T09:55:00Z` }));
      expect(run.byId.size).toBe(fake.company.list().length);
      expect(run.pages.every((p) => p.complete)).toBe(true);
      expect(run.warnings.join(' ')).toContain('refused updated_at_gteq');
    });

    it('when the filter is silently ignored, everyone comes back and the run still claims no snapshot', async () => {
      const { clock, fake } = await setup({ updatedFilter: 'ignored' });
      const run = await collect(factorialFor(fake, clock).employees({ updatedSince: `${defaultToday}T09:55:00Z` }));
      expect(run.byId.size).toBe(fake.company.list().length);
      expect(run.pages.every((p) => p.complete === false)).toBe(true);
    });
  });

  describe('OAuth', () => {
    async function grant(f: FakeFactorial, user: string): Promise<string> {
      const { clientId, redirectUri, clientSecret } = defaultOAuthApp;
      const authorize = new URL(`${f.url}/oauth/authorize`);
      Object.entries({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'read', user }).forEach(([k, v]) => authorize.searchParams.set(k, v));
      const consent = await fetch(authorize, { redirect: 'manual' });
      expect(consent.status).toBe(302);
      const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
      const token = await fetch(`${f.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, code, grant_type: 'authorization_code', redirect_uri: redirectUri }),
      });
      const body = (await token.json()) as { refresh_token: string; expires_in: number; token_type: string };
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: f.oauth.options.tokenTtlS });
      return body.refresh_token;
    }
    const oauthCredentials = (refreshToken: string) => ({ clientId: defaultOAuthApp.clientId, clientSecret: defaultOAuthApp.clientSecret, refreshToken });

    it('reads with a refreshed access token and renews it when it expires mid-run', async () => {
      const { clock, fake } = await setup({ company: generateCompany({ seed: 7, size: 400 }) });
      const connector = factorialFor(fake, clock, { pageSize: 50 }, { credentials: oauthCredentials(await grant(fake, 'admin')) });
      let pages = 0;
      for await (const _page of connector.employees()) {
        // Two hours pass between pages: the token dies, the run goes on.
        if (++pages === 3) clock.advance(7200_000);
      }
      expect(pages).toBe(8);
      expect(connector.stats.tokensIssued).toBe(2);
      expect(fake.counts().byStatus['401'] ?? 0).toBe(0);
    });

    it('a token that lasts a week (as an older page says) is kept for as long as the token endpoint says', async () => {
      const { clock, fake } = await setup({ oauthOptions: { tokenTtlS: 7 * 24 * 3600 } });
      const connector = factorialFor(fake, clock, {}, { credentials: oauthCredentials(await grant(fake, 'admin')) });
      await collect(connector.employees());
      clock.advance(3 * 24 * 3600_000);
      await collect(connector.employees());
      expect(connector.stats.tokensIssued).toBe(1);
      clock.advance(4 * 24 * 3600_000);
      await collect(connector.employees());
      expect(connector.stats.tokensIssued).toBe(2);
      expect(fake.counts().byStatus['401'] ?? 0).toBe(0);
    });

    it('a token refused before its expiry (one token per user: another client took it) is renewed once', async () => {
      const { clock, fake } = await setup({ oauthOptions: { rotateRefreshTokens: true } });
      const connector = factorialFor(fake, clock, {}, { credentials: oauthCredentials(await grant(fake, 'admin')) });
      expect((await connector.validate()).ok).toBe(true);
      fake.oauth.revokeAccessTokens();
      const run = await collect(connector.employees());
      expect(run.byId.size).toBe(fake.company.list().length);
      expect(connector.stats.tokensIssued).toBe(2);
      expect(fake.counts().byStatus['401']).toBe(1);
      // The rotated refresh token was kept: a third renewal still works.
      fake.oauth.revokeAccessTokens();
      expect((await connector.validate()).ok).toBe(true);
    });

    it('a permission group that hides properties gets nulls, read as empty, with a warning', async () => {
      const { clock, fake } = await setup();
      const connector = factorialFor(fake, clock, {}, { credentials: oauthCredentials(await grant(fake, 'manager')) });
      const check = await connector.validate();
      expect(check).toMatchObject({ ok: true, warnings: [expect.stringContaining('manager_id')] });
      const run = await collect(connector.employees());
      expect(run.employees.every((e) => e.managerRemoteId === null && e.bankAccount === null && e.personalEmail === null)).toBe(true);
      expect(run.warnings.join(' ')).toMatch(/manager_id, terminated_on/);
    });

    it('a user who may not list contracts or teams: the run goes on with seniority dates, no titles, no teams, and says so', async () => {
      const { clock, fake } = await setup();
      const connector = factorialFor(fake, clock, {}, { credentials: oauthCredentials(await grant(fake, 'clerk')) });
      const run = await collect(connector.employees());
      expect(run.byId.size).toBe(fake.company.list().length);
      for (const p of fake.company.list()) expect(run.byId.get(p.id)).toMatchObject({ jobTitle: null, team: null, startDate: p.seniorityCalculationDate });
      expect(run.warnings).toEqual([expect.stringContaining('read teams (403)'), expect.stringContaining('contract versions (403)')]);
      // Contracts are asked for once; after the first refusal the run stops asking.
      expect(fake.counts().byEndpoint.contract_versions).toBe(1);
    });

    it.each([
      ['a refresh token Factorial does not know', 'ref_unknown', 'invalid_credentials'],
      ['a user who may not open employee profiles', 'guest', 'missing_permission'],
    ])('%s fails validation as %s', async (_name, who, kind) => {
      const { clock, fake } = await setup();
      const refresh = who === 'guest' ? await grant(fake, 'guest') : who;
      const check = await factorialFor(fake, clock, {}, { credentials: oauthCredentials(refresh) }).validate();
      expect(check).toMatchObject({ ok: false, kind, retryable: false });
    });

    it('an API key wins over an OAuth token when both are sent', async () => {
      const { clock, fake } = await setup();
      const connector = factorialFor(fake, clock, {}, { fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), Authorization: 'Bearer nonsense' } }) });
      expect(await connector.validate()).toEqual({ ok: true, warnings: [] });
    });
  });

  describe('validation and errors', () => {
    it('a wrong API key is invalid_credentials after one request', async () => {
      const { clock, fake } = await setup();
      const check = await factorialFor(fake, clock, {}, { credentials: { apiKey: 'wrong' } }).validate();
      expect(check).toMatchObject({ ok: false, kind: 'invalid_credentials', retryable: false });
      expect(fake.counts().total).toBe(1);
    });

    it('an unknown API version is a 404, reported as invalid credentials (wrong account or setting)', async () => {
      const { clock, fake } = await setup();
      const check = await factorialFor(fake, clock, { apiVersion: '2023-01-01' }).validate();
      expect(check).toMatchObject({ ok: false, kind: 'invalid_credentials' });
    });

    it('nothing listening is unreachable', async () => {
      const { clock, fake } = await setup();
      const url = fake.url;
      await fake.close();
      const check = await factorialFor({ ...fake, url }, clock, {}, { http: { maxRetries: 0 } }).validate();
      expect(check).toMatchObject({ ok: false, kind: 'unreachable', retryable: true });
    });

    it('a 429 that asks for longer than the client will wait is rate_limited', async () => {
      const { clock, fake } = await setup();
      fake.faults.next(1, faults.tooManyRequests(600), 'employees');
      const check = await factorialFor(fake, clock).validate();
      expect(check).toMatchObject({ ok: false, kind: 'rate_limited', retryable: true });
    });

    it('a 429 with Retry-After, and a bare one, are waited out within the run', async () => {
      const { clock, fake } = await setup();
      fake.faults.next(1, faults.tooManyRequests(3), 'employees');
      fake.faults.next(1, faults.tooManyRequests(), 'contract_versions');
      const run = await collect(factorialFor(fake, clock).employees());
      expect(run.byId.size).toBe(fake.company.list().length);
      expect(fake.counts().byStatus['429']).toBe(2);
      expect(clock.slept).toBeGreaterThanOrEqual(3000);
    });

    it('one record without an id is a record error; its page and the run go on', async () => {
      const { clock, fake } = await setup();
      const broken = fake.company.list()[2]!;
      const original = fake.company.get(broken.id)!;
      fake.company.update(broken.id, { firstName: 'Broken' });
      const connector = factorialFor(fake, clock, {}, {
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          if (!String(input).includes('/employees/employees')) return res;
          const text = (await res.text()).replace(`"first_name":"Broken"`, '"first_name":{"not":"a name"}');
          return new Response(text, { status: res.status, headers: res.headers });
        },
      });
      const run = await collect(connector.employees());
      expect(run.errors).toEqual([expect.objectContaining({ remoteId: original.id, code: 'invalid_record', dropped: true })]);
      expect(run.byId.size).toBe(fake.company.list().length - 1);
    });

    it('a cursor that does not move fails the run instead of looping', async () => {
      const { clock, fake } = await setup();
      const connector = factorialFor(fake, clock, { pageSize: 10 }, {
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          const text = (await res.text()).replace(/"end_cursor":"[^"]*"/, '"end_cursor":"MTAwMQ=="');
          return new Response(text, { status: res.status, headers: res.headers });
        },
      });
      await expect(collect(connector.employees())).rejects.toMatchObject({ kind: 'invalid_response' });
    });
  });

  it('keeps to its read budget: a sliding 300-a-minute limit on the fake never answers 429', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 8, size: 3000 }), limit: { limit: 300, retryAfter: true } });
    const run = await collect(factorialFor(fake, clock, { pageSize: 20 }).employees());
    expect(run.byId.size).toBe(3000);
    const counts = fake.counts();
    expect(counts.total).toBeGreaterThan(300);
    expect(counts.byStatus['429']).toBeUndefined();
    expect(maxInWindow(fake.arrivals, 60_000)).toBeLessThanOrEqual(300);
  });

  it('a tighter limit than the budget: the fake’s 429 and Retry-After pace the rest of the run', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 8, size: 2000 }), limit: { limit: 20, retryAfter: true } });
    const run = await collect(factorialFor(fake, clock, {}, { http: { maxRetries: 8 } }).employees());
    expect(run.byId.size).toBe(2000);
    const served = fake.requests.filter((r) => r.status === 200).map((r) => r.n);
    expect(served.length).toBeGreaterThan(20);
    expect(fake.counts().byStatus['429']).toBeGreaterThan(0);
  });
});
