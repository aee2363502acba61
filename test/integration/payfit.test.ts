import { afterEach, describe, expect, it } from 'vitest';
import { normalisedEmployeeSchema } from '../../connectors/contract.js';
import { allScopes, defaultApp, defaultKey } from '../fakes/payfit/auth.js';
import { generateCompany } from '../fakes/payfit/generate.js';
import { collect, createVirtualClock, payfitFor } from '../fakes/payfit/harness.js';
import { scenarioIds as ids } from '../fakes/payfit/scenario.js';
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

const without = (...scopes: string[]) => new Set(allScopes.filter((s) => !scopes.includes(s)));

describe('PayFit read over HTTP', () => {
  it('reads every collaborator of the scenario company, leavers and admin-only accounts included, with statuses from contracts and dates', async () => {
    const { clock, fake } = await setup();
    const run = await collect(payfitFor(fake, clock).employees());
    expect(run.employees).toHaveLength(fake.company.size());
    for (const e of run.employees) normalisedEmployeeSchema.parse(e);
    expect(run.pages.every((p) => p.complete)).toBe(true);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    const get = (id: string) => run.byId.get(id)!;
    expect(get(ids.ceo)).toMatchObject({ status: 'active', rawStatus: 'active', startDate: '2019-01-07', jobTitle: 'CEO', managerRemoteId: null, employeeNumber: '0001' });
    expect(get(ids.reportBeforeManager)).toMatchObject({ managerRemoteId: ids.lateManager, workEmail: 'zoe.olafsdottir@acme.test', team: { name: 'Engineering' }, department: { name: 'Engineering' } });
    expect(get(ids.terminatedPast)).toMatchObject({ status: 'inactive', terminationDate: '2025-12-31', rawStatus: 'archived' });
    expect(get(ids.contractEndedNoTermination)).toMatchObject({ status: 'inactive', terminationDate: '2026-02-27' });
    expect(get(ids.terminationPastContractOpen)).toMatchObject({ status: 'inactive', terminationDate: '2026-02-20', rawStatus: 'active' });
    expect(get(ids.leavingIn20Days)).toMatchObject({ status: 'active', terminationDate: '2026-03-22' });
    expect(get(ids.futureHire)).toMatchObject({ status: 'pending', startDate: '2026-04-01', jobTitle: 'Designer', rawStatus: 'pending' });
    expect(get(ids.rehired)).toMatchObject({ status: 'active', startDate: '2024-01-01', terminationDate: null, jobTitle: 'Analyst' });
    expect(get(ids.contractInCreation)).toMatchObject({ status: 'active', jobTitle: 'Accountant', terminationDate: null });
    expect(get(ids.adminOnly)).toMatchObject({ status: 'inactive', rawStatus: 'no contract', startDate: null });
    expect(get(ids.managerMissing).managerRemoteId).toMatch(/^5e0+3e7$/);
    expect(get(ids.noWorkEmail)).toMatchObject({ workEmail: null, personalEmail: '29@home.test' });
    expect(get(ids.nfdName)).toMatchObject({ firstName: 'José', lastName: 'Peña', displayName: 'José Peña' });
    expect(get(ids.cjk)).toMatchObject({ displayName: '美咲 山田', workLocation: { remoteId: expect.any(String), name: 'Tokyo' } });
    expect(get(ids.ceo).bankAccount).toEqual({ iban: 'FR7630006000011234567890189', bic: 'AGRIFRPPXXX' });
    // Introspection for the company, then one contracts page and one collaborators page, 50 at a time.
    expect(fake.counts().byEndpoint).toEqual({ introspect: 1, contracts: 1, collaborators: 1 });
    expect(fake.pageSizes).toEqual(['50', '50']);
  });

  it.each<[string, Partial<NonNullable<FakePayfitOptions['render']>>]>([
    ['upper-case statuses and email types, jobName, absent last token', { contractStatuses: 'upper', emailTypes: 'upper', jobTitleField: 'jobName', lastPage: 'absent' }],
    ['no contract statuses at all, perso/pro email types', { contractStatuses: 'absent', emailTypes: 'short' }],
  ])('reads every documented variant the same way: %s', async (_name, render) => {
    const { clock, fake } = await setup({ render });
    const run = await collect(payfitFor(fake, clock).employees());
    const baseline = await (async () => {
      const other = await startFakePayfit({ now: clock.now });
      try {
        return await collect(payfitFor(other, clock).employees());
      } finally {
        await other.close();
      }
    })();
    const pick = (e: (typeof run.employees)[number]) => ({ ...e, raw: undefined, rawStatus: undefined });
    expect(run.employees.map(pick)).toEqual(baseline.employees.map(pick));
  });

  it('pages 50 at a time through a larger company until the page without a token', async () => {
    const company = generateCompany({ seed: 7, size: 523 });
    const { clock, fake } = await setup({ company });
    const run = await collect(payfitFor(fake, clock).employees());
    expect(run.byId.size).toBe(523);
    expect(fake.counts().byEndpoint.collaborators).toBe(11);
    expect(new Set(fake.pageSizes)).toEqual(new Set(['50']));
    // Managers come after some of their reports, and still every manager id is kept.
    const managers = new Set(company.list().map((p) => p.managerId).filter(Boolean));
    for (const e of run.employees) if (e.managerRemoteId) expect(managers.has(e.managerRemoteId)).toBe(true);
    const employed = company.list().filter((p) => company.employed(p)).map((p) => p.id).sort();
    expect(run.employees.filter((e) => e.status !== 'inactive').map((e) => e.remoteId).sort()).toEqual(employed);
  });
});

describe('PayFit scopes', () => {
  it('a key without the optional scopes reads people, minus those fields, and says which scope is missing', async () => {
    const scopes = without('collaborators:management:read', 'collaborators:bank-info:read', 'contracts:read');
    const { clock, fake } = await setup({ keys: { [defaultKey]: { scopes } } });
    const connector = payfitFor(fake, clock);
    const check = await connector.validate();
    expect(check).toMatchObject({ ok: true });
    expect(check.ok && check.warnings.join(' ')).toMatch(/collaborators:management:read.*collaborators:bank-info:read.*contracts:read/);
    const run = await collect(connector.employees());
    expect(run.byId.get(ids.reportBeforeManager)).toMatchObject({ managerRemoteId: null, team: null, bankAccount: null, jobTitle: null, status: 'active' });
    expect(run.warnings.join(' ')).toMatch(/job titles.*contracts:read/);
    expect(run.warnings.join(' ')).toMatch(/managers and teams.*collaborators:management:read/);
    expect(fake.counts().byStatus['403']).toBe(1);
  });

  it.each<[string, string[], RegExp]>([
    ['collaborators:read', ['collaborators:read'], /collaborators:read/],
    ['both contract scopes', ['collaborators:contracts:read', 'contracts:read'], /leavers cannot be told/],
  ])('a key without %s is refused with missing_permission', async (_name, missing, message) => {
    const { clock, fake } = await setup({ keys: { [defaultKey]: { scopes: without(...missing) } } });
    const check = await payfitFor(fake, clock).validate();
    expect(check).toMatchObject({ ok: false, kind: 'missing_permission', retryable: false, message: expect.stringMatching(message) });
  });

  it('introspection that gives scopes as an array is read too', async () => {
    const { clock, fake } = await setup({ scopeFormat: 'array', keys: { [defaultKey]: { scopes: without('collaborators:bank-info:read') } } });
    const check = await payfitFor(fake, clock).validate();
    expect(check).toEqual({ ok: true, warnings: [expect.stringContaining('collaborators:bank-info:read')] });
  });
});

describe('PayFit keys and tokens', () => {
  it('validate finds the company by introspection and proves the list with one collaborator', async () => {
    const { clock, fake } = await setup();
    expect(await payfitFor(fake, clock).validate()).toEqual({ ok: true, warnings: [] });
    expect(fake.counts().byEndpoint).toEqual({ introspect: 1, collaborators: 1 });
    expect(fake.pageSizes).toEqual(['1']);
  });

  it.each(['message', 'oauth', 'text'] as const)('an unknown key is invalid_credentials, whatever the error body (%s)', async (errorBodies) => {
    const { clock, fake } = await setup({ errorBodies });
    const connector = payfitFor(fake, clock, { credentials: { apiKey: 'not-a-key' } });
    const check = await connector.validate();
    expect(check).toMatchObject({ ok: false, kind: 'invalid_credentials', retryable: false });
    expect(JSON.stringify(check)).not.toContain('not-a-key');
    await expect(collect(connector.employees())).rejects.toMatchObject({ kind: 'auth' });
    // With the company given, the list call itself is refused (401).
    const direct = payfitFor(fake, clock, { credentials: { apiKey: 'not-a-key', companyId: fake.company.id } });
    await expect(collect(direct.employees())).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('with the company ID given, a host without introspection still validates by the list alone', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(1, { type: 'status', status: 404, body: '{"message":"Not Found"}' }, 'introspect');
    const connector = payfitFor(fake, clock, { credentials: { apiKey: defaultKey, companyId: fake.company.id } });
    expect(await connector.validate()).toEqual({ ok: true, warnings: [] });
    expect((await collect(connector.employees())).byId.size).toBe(fake.company.size());
    expect(fake.counts().byEndpoint.introspect).toBe(1);
  });

  it('a key for another company is refused by introspection', async () => {
    const { clock, fake } = await setup();
    const check = await payfitFor(fake, clock, { credentials: { apiKey: defaultKey, companyId: 'aaaabbbbccccddddeeeeffff' } }).validate();
    expect(check).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringContaining('one company each') });
  });

  it('partner OAuth: a token from the code flow works, never expires, and dies when a newer one is issued or the app is uninstalled', async () => {
    const { clock, fake } = await setup();
    const exchange = async () => {
      const code = fake.auth.authorize(fake.company.id);
      const res = await fetch(`${fake.url}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: defaultApp.id, client_secret: defaultApp.secret, code, redirect_uri: defaultApp.redirectUri, grant_type: 'authorization_code' }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { access_token: string; token_type: string };
      expect(body.token_type).toBe('bearer');
      expect(Object.keys(body).sort()).toEqual(['access_token', 'token_type']);
      return body.access_token;
    };
    const first = await exchange();
    const connector = payfitFor(fake, clock, { credentials: { apiKey: first } });
    expect(await connector.validate()).toMatchObject({ ok: true });
    clock.advance(400 * 86_400_000);
    expect((await collect(connector.employees())).byId.size).toBe(fake.company.size());

    const second = await exchange();
    expect(await connector.validate()).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringContaining('newer token') });
    const current = payfitFor(fake, clock, { credentials: { apiKey: second } });
    expect(await current.validate()).toMatchObject({ ok: true });
    fake.auth.uninstall(fake.company.id);
    expect(await current.validate()).toMatchObject({ ok: false, kind: 'invalid_credentials' });
  });

  it('a code used twice or with another redirect URI is refused by /token', async () => {
    const { fake } = await setup();
    const code = fake.auth.authorize(fake.company.id);
    const post = (extra: Record<string, string>) =>
      fetch(`${fake.url}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_id: defaultApp.id, client_secret: defaultApp.secret, code, redirect_uri: defaultApp.redirectUri, grant_type: 'authorization_code', ...extra }),
      });
    expect((await post({ redirect_uri: 'https://elsewhere.example/cb' })).status).toBe(400);
    expect((await post({})).status).toBe(200);
    expect(await (await post({})).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await post({ client_secret: 'wrong' })).status).toBe(401);
  });
});
