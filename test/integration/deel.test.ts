import { afterEach, describe, expect, it } from 'vitest';
import { isHttpError } from '../../connectors/http/errors.js';
import { generateCompany } from '../fakes/deel/generate.js';
import { collect, createVirtualClock, deelFor } from '../fakes/deel/harness.js';
import { scenarioIds as ids, outsiderManagerId } from '../fakes/deel/scenario.js';
import { defaultApp, defaultToken, startFakeDeel, type FakeDeel, type FakeDeelOptions } from '../fakes/deel/server.js';

let fake: FakeDeel | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeDeelOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeDeel({ ...options, now: clock.now });
  return { clock, fake };
}

const offsets = (f: FakeDeel) => f.queries.map((q) => Number(q.get('offset')));

describe('Deel: reading the scenario company', () => {
  it('maps every awkward case', async () => {
    const { clock, fake } = await setup();
    const { byId, errors, employees } = await collect(deelFor(fake, clock).employees());
    expect(employees).toHaveLength(fake.company.list().length);
    expect(errors).toEqual([]);
    const e = (id: string) => byId.get(id)!;
    expect(e(ids.ceo)).toMatchObject({ status: 'active', managerRemoteId: null, displayName: 'Maxi Hof', personalEmail: 'max@home.test', employeeNumber: 'E-0001' });
    // Listed before her manager; the profile id needs no second look.
    expect(e(ids.reportBeforeManager).managerRemoteId).toBe(ids.lateManager);
    expect(e(ids.terminatedPast)).toMatchObject({ status: 'inactive', rawStatus: 'inactive / terminated', terminationDate: '2025-12-31' });
    expect(e(ids.offboardingPast)).toMatchObject({ status: 'inactive', rawStatus: 'offboarding / in_progress', terminationDate: '2026-02-27' });
    expect(e(ids.leavingFuture)).toMatchObject({ status: 'active', terminationDate: '2026-04-30' });
    expect(e(ids.futureHire)).toMatchObject({ status: 'pending', startDate: '2026-04-01' });
    expect(e(ids.overdue)).toMatchObject({ status: 'pending', rawStatus: 'onboarding / onboarding_overdue / in_progress' });
    expect(e(ids.twoContracts)).toMatchObject({ status: 'active', team: { name: 'Analytics' }, startDate: '2020-02-03', terminationDate: null });
    expect(e(ids.rehiredDirect)).toMatchObject({ status: 'active', startDate: '2025-09-01', terminationDate: null });
    // An external user as manager is not in /people: the id is kept, the planner decides.
    expect(e(ids.externalManager).managerRemoteId).toBe(outsiderManagerId);
    expect(e(ids.noEmail).workEmail).toBeNull();
    expect(e(ids.emailOnEmployment)).toMatchObject({ workEmail: 'ida.rossi@acme.test', personalEmail: 'ida@home.test' });
    expect(e(ids.nfdName)).toMatchObject({ firstName: 'José', lastName: 'Peña' });
    expect(e(ids.cjk)).toMatchObject({ displayName: '美咲 山田', workLocation: { name: 'Tokyo' } });
    expect(e(ids.hr).department).toMatchObject({ name: 'Human Resources' });
  });

  it('pages by offset and stops only on an empty page', async () => {
    const { clock, fake } = await setup();
    await collect(deelFor(fake, clock, { settings: { pageSize: 5 } }).employees());
    expect(offsets(fake)).toEqual([0, 5, 10, 15, 18]);
    expect(fake.queries.every((q) => q.get('limit') === '5' && q.get('sort_by') === 'id')).toBe(true);
  });
});

describe('Deel: each documented variant', () => {
  const company = () => generateCompany({ seed: 3, size: 450 });

  async function baseline() {
    const clock = createVirtualClock();
    const plain = await startFakeDeel({ company: company(), now: clock.now });
    try {
      return await collect(deelFor(plain, clock).employees());
    } finally {
      await plain.close();
    }
  }

  it('a server that refuses limit=200 is asked again with 100', async () => {
    const { clock, fake } = await setup({ company: company(), variants: { maxLimit: 100, overLimit: 'reject', errorShape: 'legacy' } });
    const got = await collect(deelFor(fake, clock).employees());
    expect(got.byId.size).toBe(450);
    expect(fake.queries.map((q) => q.get('limit'))).toEqual(['200', '100', '100', '100', '100', '100', '100']);
    expect(fake.counts().byStatus['400']).toBe(1);
  });

  it('a server that clamps limit=200 to 100 is followed by offset', async () => {
    const { clock, fake } = await setup({ company: company(), variants: { maxLimit: 100, overLimit: 'clamp' } });
    expect((await collect(deelFor(fake, clock).employees())).byId.size).toBe(450);
    expect(offsets(fake)).toEqual([0, 100, 200, 300, 400, 450]);
  });

  it('a short page that is not the last, and total_rows overstated, lose nobody', async () => {
    const { clock, fake } = await setup({ company: company(), variants: { shortPage: { offset: 200, size: 37 }, totalRowsExtra: 25 } });
    const got = await collect(deelFor(fake, clock).employees());
    expect(got.byId.size).toBe(450);
    expect(offsets(fake)).toEqual([0, 200, 237, 437, 450]);
  });

  it('leavers come as leavers whether the default list shows them or not', async () => {
    const expected = await baseline();
    const leavers = [...expected.byId.values()].filter((e) => e.status === 'inactive');
    expect(leavers.length).toBeGreaterThan(10);
    const { clock, fake } = await setup({ company: company(), variants: { leaversListed: false } });
    const got = await collect(deelFor(fake, clock).employees());
    expect(got.byId.size).toBe(450);
    for (const l of leavers) expect(got.byId.get(l.remoteId)).toMatchObject({ status: 'inactive', terminationDate: l.terminationDate });
    expect(fake.queries.filter((q) => q.getAll('hiring_statuses[]').join() === 'inactive')).toHaveLength(2);
  });

  it('someone offboarding past their last day does not pass for proof that leavers are listed', async () => {
    const { clock, fake } = await setup({ variants: { leaversListed: false } });
    const got = await collect(deelFor(fake, clock).employees());
    expect(got.byId.get(ids.offboardingPast)?.status).toBe('inactive');
    expect(got.byId.get(ids.terminatedPast)).toMatchObject({ status: 'inactive', terminationDate: '2025-12-31' });
  });

  it.each(['worker_id', 'email'] as const)('managers named by %s only resolve to the same profile ids, across pages', async (managerForm) => {
    const expected = await baseline();
    const { clock, fake } = await setup({ company: company(), variants: { managerForm } });
    const got = await collect(deelFor(fake, clock, { settings: { pageSize: 50 } }).employees());
    let resolved = 0;
    for (const [id, e] of expected.byId) {
      const mine = got.byId.get(id)!;
      if (e.managerRemoteId && fake.company.get(e.managerRemoteId)) {
        // Emails: a manager whose work email is shared or missing cannot be named by it.
        if (managerForm === 'email' && mine.managerRemoteId === null) continue;
        expect(mine.managerRemoteId).toBe(e.managerRemoteId);
        resolved++;
      }
    }
    expect(resolved).toBeGreaterThan(400);
    // The external manager's id is given even then, so nobody is left unresolved silently.
    for (const err of got.errors) expect(err).toMatchObject({ dropped: false });
  });
});

describe('Deel: validation and failure kinds', () => {
  it('accepts a good token with one cheap call', async () => {
    const { clock, fake } = await setup();
    expect(await deelFor(fake, clock).validate()).toEqual({ ok: true, warnings: [] });
    expect(fake.queries.map((q) => q.toString())).toEqual(['offset=0&limit=1']);
  });

  it.each([
    ['an unknown token', { apiToken: 'nope' }, {}, 'invalid_credentials', /rejected the token/],
    ['a token without people:read', { apiToken: 'narrow' }, { narrow: { scopes: ['contracts:read'] } }, 'missing_permission', /people:read/],
    ['an expired token', { apiToken: 'old' }, { old: { scopes: ['people:read'], expiresAt: 0 } }, 'invalid_credentials', /Token has expired/],
  ] as const)('%s', async (_name, credentials, tokens, kind, message) => {
    const { clock, fake } = await setup({ tokens: { [defaultToken]: { scopes: ['people:read'] }, ...tokens } });
    const result = await deelFor(fake, clock, { credentials }).validate();
    expect(result).toMatchObject({ ok: false, kind, retryable: false, message: expect.stringMatching(message) });
    expect(fake.counts().total).toBe(1);
  });

  it('a wrong base URL is a 404 in either error shape, named as such', async () => {
    for (const errorShape of ['container', 'legacy'] as const) {
      const { clock, fake } = await setup({ variants: { errorShape } });
      const result = await deelFor(fake, clock, { baseUrl: `${fake.origin}/rest/v1` }).validate();
      expect(result).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringContaining('path not found') });
      await fake.close();
    }
  });

  it('a closed port is unreachable', async () => {
    const { clock, fake } = await setup();
    const url = fake.url;
    await fake.close();
    const result = await deelFor({ ...fake, url }, clock, { http: { maxRetries: 1 } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'unreachable', retryable: true });
  });

  it('fields the token cannot see: a warning, or a refusal when the status is hidden', async () => {
    const tokens = { [defaultToken]: { scopes: ['people:read'] }, partial: { scopes: ['people:read'], hidden: ['emails', 'start_date'] }, blind: { scopes: ['people:read'], hidden: ['hiring_status', 'new_hiring_status', 'state'] } };
    const { clock, fake } = await setup({ tokens });
    expect(await deelFor(fake, clock, { credentials: { apiToken: 'partial' } }).validate()).toEqual({ ok: true, warnings: [expect.stringContaining('emails, start_date')] });
    expect(await deelFor(fake, clock, { credentials: { apiToken: 'blind' } }).validate()).toMatchObject({ ok: false, kind: 'missing_permission', message: expect.stringContaining('hiring_status') });
    const run = await collect(deelFor(fake, clock, { credentials: { apiToken: 'partial' } }).employees());
    expect(run.warnings).toEqual([expect.stringContaining('emails, start_date')]);
    // Work emails still arrive from the employments.
    expect(run.byId.get(ids.ceo)!.workEmail).toBe('max.hof@acme.test');
  });

  it('a token that expires mid-read fails the run at once, without asking again', async () => {
    const { clock, fake } = await setup();
    fake.tokens.set('short', { scopes: ['people:read'], expiresAt: clock.now() + 400 });
    const read = collect(deelFor(fake, clock, { credentials: { apiToken: 'short' }, settings: { pageSize: 5 } }).employees());
    const err = await read.catch((e: unknown) => e);
    expect(isHttpError(err) && err.kind === 'auth' && !err.retryable).toBe(true);
    expect(fake.counts().byStatus).toEqual({ 200: 2, 401: 1 });
  });
});

describe('Deel: OAuth access tokens', () => {
  it('an app token from the code flow reads people until its 30 days are up', async () => {
    const { clock, fake } = await setup();
    const code = fake.oauth.authorize(defaultApp.clientId, ['people:read']);
    const res = await fetch(`${fake.origin}/oauth2/tokens`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${defaultApp.clientId}:${defaultApp.clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: defaultApp.redirectUri }).toString(),
    });
    const issued = (await res.json()) as { access_token: string; expires_in: number; token_type: string; scope: string };
    expect(issued).toMatchObject({ expires_in: 2_592_000, token_type: 'Bearer', scope: 'people:read' });
    const deel = deelFor(fake, clock, { credentials: { apiToken: issued.access_token } });
    expect(await deel.validate()).toEqual({ ok: true, warnings: [] });
    clock.advance(30 * 86_400_000);
    expect(await deel.validate()).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringContaining('30 days') });
  });

  it('the fake plays single-use refresh tokens: a reuse is invalid_grant and revokes the grant', async () => {
    const { fake } = await setup();
    const post = async (form: Record<string, string>) => {
      const res = await fetch(`${fake.origin}/oauth2/tokens`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${defaultApp.clientId}:${defaultApp.clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const first = await post({ grant_type: 'authorization_code', code: fake.oauth.authorize(defaultApp.clientId, ['people:read']), redirect_uri: defaultApp.redirectUri });
    const second = await post({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token! });
    expect(second.status).toBe(200);
    expect(fake.oauth.check(second.body.access_token!)).toMatchObject({ scopes: ['people:read'] });
    expect(await post({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(fake.oauth.check(second.body.access_token!)).toBe('revoked');
  });
});

describe('Deel: bad data', () => {
  const page = (data: unknown[], total = 3) => ({ type: 'status' as const, status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ data, page: { offset: 0, total_rows: total, items_per_page: 200 } }) });
  const good = (n: number) => ({ id: `p${n}`, first_name: 'A', last_name: `N${n}`, hiring_status: 'active', emails: [{ type: 'work', value: `a${n}@acme.test` }] });

  it('one bad record is a record error, the rest are read', async () => {
    const { clock, fake } = await setup();
    // One leaver among them, so no second read for leavers follows.
    fake.faults.at(1, page([good(1), { first_name: 'no id' }, good(1), { ...good(2), hiring_status: 'inactive' }], 4), 'people');
    fake.faults.at(2, page([]), 'people');
    const run = await collect(deelFor(fake, clock).employees());
    expect([...run.byId.keys()]).toEqual(['p1', 'p2']);
    expect(run.errors).toEqual([
      expect.objectContaining({ code: 'invalid_record', dropped: true }),
      expect.objectContaining({ remoteId: 'p1', code: 'duplicate_record', dropped: true }),
    ]);
  });

  it('a server that ignores the offset is caught, not looped on', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(5, page([good(1), good(2)]), 'people');
    const err = await collect(deelFor(fake, clock).employees()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: true, message: expect.stringContaining('repeats people') });
    expect(fake.counts().total).toBe(2);
  });

  it('a list that grows during the read fails the run, retryably, instead of passing for a snapshot', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, page([good(1), good(2)], 3), 'people');
    fake.faults.at(2, page([good(3)], 4), 'people');
    const err = await collect(deelFor(fake, clock).employees()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: true, message: expect.stringContaining('total_rows went from 3 to 4') });
  });
});
