import { afterEach, describe, expect, it } from 'vitest';
import type { NormalisedEmployee } from '../../connectors/contract.js';
import { isHttpError } from '../../connectors/http/errors.js';
import { createWorkday } from '../../connectors/workday/connector.js';
import type { WorkdaySettingsInput } from '../../connectors/workday/schema.js';
import { faults } from '../fakes/shared/faults.js';
import { addDays } from '../fakes/shared/random.js';
import { generateCompany } from '../fakes/workday/generate.js';
import { collect, createVirtualClock, raasSettings, workdayFor } from '../fakes/workday/harness.js';
import type { RenderVariants, ReportVariants } from '../fakes/workday/render.js';
import { defaultUser, noAccessUser, startFakeWorkday, type FakeWorkday, type FakeWorkdayOptions } from '../fakes/workday/server.js';
import { soapFault } from '../fakes/workday/soap.js';
import type { Fault } from '../fakes/shared/faults.js';

const asFault = (reply: ReturnType<typeof soapFault>): Fault => ({ type: 'status', status: reply.status, headers: reply.headers ?? {}, body: reply.body as string });

let fake: FakeWorkday | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(size: number, options: Omit<FakeWorkdayOptions, 'now' | 'company'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeWorkday({ company: generateCompany({ seed: 7, size }), now: clock.now, ...options });
  const connect = (settings: WorkdaySettingsInput = {}, credentials = defaultUser) => workdayFor(fake!, clock, { settings, credentials });
  return { clock, fake, connect };
}

const essentials = (e: NormalisedEmployee) => ({ manager: e.managerRemoteId, department: e.department?.name, title: e.jobTitle, status: e.status, location: e.workLocation?.name, costCenters: e.costCenters });

describe('Workday Get_Workers: paging and what is asked for', () => {
  it('reads 310 workers in pages of 100 until Page reaches Total_Pages, the entry moment fixed for every page', async () => {
    const { fake, connect } = await setup(310);
    const got = await collect(connect({ pageSize: 100 }).employees());
    expect(got.byId.size).toBe(310);
    expect(fake.calls.map((c) => [c.page, c.count])).toEqual([[1, 100], [2, 100], [3, 100], [4, 100]]);
    expect(new Set(fake.calls.map((c) => c.asOfEntryDateTime)).size).toBe(1);
    // Read ahead so hires and terminations entered in advance are visible; terminated workers included.
    expect(fake.calls.every((c) => c.asOfEffectiveDate === addDays(fake.company.today, 90) && !c.excludeInactive && c.updated === undefined)).toBe(true);
    expect(got.pages.every((p) => p.complete)).toBe(true);
    expect(got.employees.some((e) => e.status === 'inactive' && e.rawStatus === 'Terminated')).toBe(true);
    expect(got.employees.some((e) => e.status === 'leave')).toBe(true);
    expect(got.employees.some((e) => e.status === 'pending')).toBe(true);
    expect(got.employees.some((e) => e.status === 'active' && e.rawStatus === 'Terminated' && e.terminationDate! > fake.company.today)).toBe(true);
  });

  it('an exact multiple of the page size costs no extra request, and an empty tenant one', async () => {
    const { fake, connect } = await setup(300);
    expect((await collect(connect({ pageSize: 100 }).employees())).byId.size).toBe(300);
    expect(fake.counts().byEndpoint.Get_Workers).toBe(3);
    fake.resetCounts();
    fake.company.list().forEach((w) => fake.company.remove(w.wid));
    const empty = await collect(connect().employees());
    expect(empty.employees).toEqual([]);
    expect(fake.counts().byEndpoint.Get_Workers).toBe(1);
  });

  it('without reading ahead, future hires are not workers yet and a termination entered ahead is not visible', async () => {
    const { fake, connect } = await setup(400);
    const ahead = await collect(connect().employees());
    const today = await collect(connect({ lookaheadDays: 0 }).employees());
    const starters = fake.company.list().filter((w) => w.hireDate > fake.company.today);
    expect(starters.length).toBeGreaterThan(0);
    for (const s of starters) {
      expect(ahead.byId.get(s.wid)?.status).toBe('pending');
      expect(today.byId.has(s.wid)).toBe(false);
    }
    const leavers = fake.company.list().filter((w) => w.terminationDate !== null && w.terminationDate > fake.company.today);
    expect(leavers.length).toBeGreaterThan(0);
    for (const l of leavers) {
      expect(ahead.byId.get(l.wid)).toMatchObject({ status: 'active', terminationDate: l.terminationDate });
      expect(today.byId.get(l.wid)).toMatchObject({ status: 'active', terminationDate: null });
    }
  });

  it('the transaction log: only workers with a transaction entered since a time, as an incremental page', async () => {
    const { fake, clock, connect } = await setup(120);
    const since = new Date(`${fake.company.today}T09:00:00Z`).toISOString();
    const [moved, leaver] = fake.company.list().slice(5, 7);
    fake.company.changeEmail(moved!.wid, 'moved@acme.test');
    fake.company.terminate(leaver!.wid, addDays(fake.company.today, -1));
    fake.resetCounts();
    const got = await collect(connect().employees({ updatedSince: since }));
    expect([...got.byId.keys()].sort()).toEqual([moved!.wid, leaver!.wid].sort());
    expect(got.pages.every((p) => p.complete === false)).toBe(true);
    expect(fake.calls[0]!.updated).toEqual({ from: since, through: `${fake.company.today}T12:00:00.000Z` });
    expect(got.byId.get(leaver!.wid)?.status).toBe('inactive');
    expect(connect().incremental).toBe(true);
    void clock;
  });

  it('a result set that changes between pages fails the read (retryably) rather than pass a shifted list', async () => {
    const { fake, connect } = await setup(250);
    const body = (pages: number) => `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><wd:Get_Workers_Response xmlns:wd="urn:com.workday/bsvc"><wd:Response_Results><wd:Total_Results>1</wd:Total_Results><wd:Total_Pages>${pages}</wd:Total_Pages><wd:Page_Results>0</wd:Page_Results><wd:Page>2</wd:Page></wd:Response_Results></wd:Get_Workers_Response></env:Body></env:Envelope>`;
    fake.faults.at(2, { type: 'status', status: 200, headers: { 'Content-Type': 'text/xml' }, body: body(5) }, 'Get_Workers');
    await expect(collect(connect({ pageSize: 100 }).employees())).rejects.toSatisfy((err: unknown) => isHttpError(err) && err.kind === 'invalid_response' && err.retryable);
  });
});

describe('several positions and the shapes Workday may use (?)', () => {
  it('title, location, organisation and manager come from the primary position, also when it is listed second', async () => {
    const { connect } = await setup(400);
    const company = fake!.company;
    const multi = company.list().filter((w) => w.positions.length > 1 && w.hireDate <= company.today);
    expect(multi.length).toBeGreaterThan(3);
    const first = await collect(connect().employees());
    await fake!.close();
    fake = await startFakeWorkday({ company, render: { primaryFirst: false } });
    const second = await collect(workdayFor(fake, createVirtualClock()).employees());
    for (const w of multi) {
      const primary = w.positions.find((p) => p.primary)!;
      for (const got of [first.byId.get(w.wid)!, second.byId.get(w.wid)!]) {
        expect(got).toMatchObject({ jobTitle: primary.title, managerRemoteId: primary.managerId, workLocation: { remoteId: primary.location.id, name: primary.location.name } });
        expect(got.costCenters).toEqual([{ remoteId: primary.costCenter.id, name: primary.costCenter.name, weight: 100 }]);
      }
    }
  });

  it.each<[string, RenderVariants]>([
    ['organisations and chain under the worker', { orgs: 'worker', chain: 'worker' }],
    ['the chain listed bottom-up', { chainOrder: 'bottom-up' }],
    ['leave as a bare flag', { leave: 'flag' }],
    ['managers by Employee_ID only, some after their reports', { managerIds: 'employee_id' }],
  ])('%s: the same people as the documented shape', async (_case, render) => {
    const { connect } = await setup(310);
    const company = fake!.company;
    const documented = await collect(connect({ pageSize: 100 }).employees());
    await fake!.close();
    fake = await startFakeWorkday({ company, render });
    const variant = await collect(workdayFor(fake, createVirtualClock(), { settings: { pageSize: 100 } }).employees());
    expect(variant.errors).toEqual(documented.errors);
    for (const [id, e] of documented.byId) expect(essentials(variant.byId.get(id)!), id).toEqual(essentials(e));
    // The top of the organisation has no manager; everyone else has their primary position's.
    for (const w of company.list()) expect(documented.byId.get(w.wid)?.managerRemoteId ?? null).toBe(w.hireDate <= addDays(company.today, 90) ? company.primary(w).managerId : null);
  });
});

describe('Workday checks and faults', () => {
  it('a good user passes; the check is one Get_Workers of one worker', async () => {
    const { fake, connect } = await setup(20);
    expect(await connect().validate()).toEqual({ ok: true, warnings: [] });
    expect(fake.calls).toMatchObject([{ page: 1, count: 1, username: defaultUser.username }]);
  });

  it.each<[string, () => [WorkdaySettingsInput, typeof defaultUser], string, RegExp]>([
    ['a wrong password', () => [{}, { ...defaultUser, password: 'wrong' }], 'invalid_credentials', /invalid username or password/],
    ['a user without the worker domains', () => [{}, noAccessUser], 'missing_permission', /not authorized/],
    ['an unsupported version', () => [{ version: 'v99.0' }, defaultUser], 'unreachable', /version/],
    ['another tenant', () => [{ tenant: 'globex' }, defaultUser], 'invalid_credentials', /host, the tenant/],
  ])('%s → %s, in Workday\'s words and without the password', async (_case, args, kind, words) => {
    const { connect } = await setup(5);
    const result = await connect(...args()).validate();
    expect(result).toMatchObject({ ok: false, kind });
    expect((result as { message: string }).message).toMatch(words);
    expect(JSON.stringify(result)).not.toContain(defaultUser.password);
  });

  it('a connection without a host says so at the check and fails its read, sending nothing', async () => {
    const c = createWorkday({ credentials: defaultUser });
    expect(await c.validate()).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringContaining('baseUrl') });
    await expect(collect(c.employees())).rejects.toSatisfy((err: unknown) => isHttpError(err) && err.kind === 'not_found' && !err.retryable);
  });

  it('a processing fault is retryable and a run that meets one fails with it', async () => {
    const { fake, connect } = await setup(5);
    fake.faults.next(1, asFault(soapFault('SOAP-ENV:Server.processingError', 'Processing error occurred.')), 'Get_Workers');
    expect(await connect().validate()).toMatchObject({ ok: false, kind: 'unreachable', retryable: true });
    fake.faults.next(1, asFault(soapFault('SOAP-ENV:Client.authenticationError', 'invalid username or password')), 'Get_Workers');
    await expect(collect(connect().employees())).rejects.toSatisfy((err: unknown) => isHttpError(err) && err.kind === 'auth' && err.status === 401 && !err.retryable);
  });

  it('a tenant that throttles: 429 with Retry-After is waited out and the read completes', async () => {
    const { fake, clock, connect } = await setup(250, { perMinute: 2 });
    const got = await collect(connect({ pageSize: 50 }).employees());
    expect(got.byId.size).toBe(250);
    expect(fake.counts().byStatus['429']).toBeGreaterThan(0);
    expect(clock.slept).toBeGreaterThanOrEqual(60_000);
  });

  it('the fake refuses what Workday refuses: no WS-Security header, a digest password, a Count over 999', async () => {
    const { fake } = await setup(5);
    const post = (body: string) => fetch(`${fake.url}/ccx/service/acme/Human_Resources/v44.0`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
    const request = (header: string, count = 10) => `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wd="urn:com.workday/bsvc"><env:Header>${header}</env:Header><env:Body><wd:Get_Workers_Request><wd:Response_Filter><wd:Count>${count}</wd:Count></wd:Response_Filter></wd:Get_Workers_Request></env:Body></env:Envelope>`;
    const token = (type: string) => `<wsse:Security><wsse:UsernameToken><wsse:Username>${defaultUser.username}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#${type}">Wd-S3cret&amp;&lt;pass&gt;</wsse:Password></wsse:UsernameToken></wsse:Security>`;
    for (const [body, code] of [[request(''), 'authenticationError'], [request(token('PasswordDigest')), 'authenticationError'], [request(token('PasswordText'), 1000), 'validationError']] as const) {
      const res = await post(body);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain(`SOAP-ENV:Client.${code}`);
    }
    expect((await post(request(token('PasswordText')))).status).toBe(200);
  });
});

describe('Workday RaaS report', () => {
  it('reads the report as JSON with HTTP Basic, the managers by Employee_ID', async () => {
    const { fake, connect } = await setup(120);
    const c = connect(raasSettings(fake));
    expect(await c.validate()).toEqual({ ok: true, warnings: [] });
    const got = await collect(c.employees());
    expect(got.byId.size).toBe(120);
    expect(c.incremental).toBe(false);
    for (const w of fake.company.list()) {
      const manager = fake.company.primary(w).managerId;
      expect(got.byId.get(w.employeeId)?.managerRemoteId ?? null).toBe(manager ? fake.company.get(manager)!.employeeId : null);
    }
    expect(fake.requests.every((r) => r.query.includes('format=json'))).toBe(true);
  });

  it.each<[string, ReportVariants, WorkdaySettingsInput]>([
    ['reference fields as objects', { references: 'objects' }, {}],
    ['status as labels', { status: 'label' }, {}],
    ['other column names, mapped in the settings', { aliases: { 'Email_-_Work': 'Work_Email', Manager_ID: 'Supervisor_Employee_ID', Location: 'Work_Location' } }, { columns: { workEmail: 'Work_Email', managerId: 'Supervisor_Employee_ID', location: 'Work_Location' } }],
  ])('%s: the same people', async (_case, report, settings) => {
    const { connect } = await setup(150);
    const company = fake!.company;
    const plain = await collect(connect(raasSettings(fake!)).employees());
    await fake!.close();
    fake = await startFakeWorkday({ company, report });
    const variant = await collect(workdayFor(fake, createVirtualClock(), { settings: raasSettings(fake, settings) }).employees());
    for (const [id, e] of plain.byId) {
      expect({ ...essentials(variant.byId.get(id)!), costCenters: undefined, email: variant.byId.get(id)!.workEmail }, id).toEqual({ ...essentials(e), costCenters: undefined, email: e.workEmail });
    }
  });

  it('a one-row report sent as an object (?)', async () => {
    const { connect } = await setup(1, { report: { singleAsObject: true } });
    expect((await collect(connect(raasSettings(fake!)).employees())).employees).toHaveLength(1);
  });

  it('a column the report lacks is a warning, not a failure', async () => {
    const { fake, connect } = await setup(10);
    const result = await connect(raasSettings(fake, { columns: { jobTitle: 'Job_Title' } })).validate();
    expect(result).toEqual({ ok: true, warnings: [expect.stringContaining('no column Job_Title')] });
  });

  it.each<[string, WorkdaySettingsInput | undefined, typeof defaultUser, string]>([
    ['a wrong password (401)', undefined, { ...defaultUser, password: 'nope' }, 'invalid_credentials'],
    ['a user the report is not shared with (403)', undefined, noAccessUser, 'missing_permission'],
    ['an unknown report (404)', { api: 'raas', report: '/ccx/service/customreport2/acme/ISU_Rollcall/Nope' }, defaultUser, 'invalid_credentials'],
  ])('%s → %s', async (_case, settings, user, kind) => {
    const { fake, connect } = await setup(5);
    const result = await connect(settings ?? raasSettings(fake), user).validate();
    expect(result).toMatchObject({ ok: false, kind });
    expect(JSON.stringify(result)).not.toContain(user.password);
  });

  it('a truncated report is an invalid response', async () => {
    const { fake, connect } = await setup(5);
    fake.faults.next(1, faults.serverError(500), 'report');
    await expect(collect(connect(raasSettings(fake)).employees())).rejects.toSatisfy((err: unknown) => isHttpError(err) && err.kind === 'server');
    fake.faults.next(1, { type: 'invalid_json' }, 'report');
    await expect(collect(connect(raasSettings(fake)).employees())).rejects.toSatisfy((err: unknown) => isHttpError(err) && err.kind === 'invalid_response');
  });
});
