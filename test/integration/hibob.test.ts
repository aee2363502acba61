import { afterEach, describe, expect, it } from 'vitest';
import { generateCompany } from '../fakes/hibob/generate.js';
import { collect, createVirtualClock, hibobFor } from '../fakes/hibob/harness.js';
import { scenarioIds as ids } from '../fakes/hibob/scenario.js';
import { defaultServiceUser, startFakeHibob, type FakeHibob, type FakeHibobOptions } from '../fakes/hibob/server.js';

let fake: FakeHibob | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeHibobOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeHibob({ ...options, now: clock.now });
  return { clock, fake };
}

describe('HiBob over HTTP', () => {
  it('reads a 2,000-person company, leavers included, in one search', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 9, size: 2000 }) });
    const run = await collect(hibobFor(fake, clock).employees());
    expect(run.byId.size).toBe(2000);
    expect(run.errors).toEqual([]);
    expect(run.pages.map((p) => p.complete)).toEqual([true, true]);
    expect(fake.counts().byEndpoint).toEqual({ search: 1 });
    expect(fake.lastSearch).toMatchObject({ showInactive: true, humanReadable: 'APPEND', fields: expect.arrayContaining(['root.id', 'work.reportsTo', 'internal.lifecycleStatus']) });
    expect(run.employees.some((e) => e.status === 'inactive')).toBe(true);
    expect(run.employees.filter((e) => e.managerRemoteId === '9999999999999999999')).toHaveLength(1);
  });

  it.each(['nested', 'flat', 'both', 'mixed'] as const)('maps the scenario from %s keys', async (style) => {
    const { clock, fake } = await setup({ render: { style } });
    const run = await collect(hibobFor(fake, clock).employees());
    const get = (id: string) => run.byId.get(id)!;
    expect(run.byId.size).toBe(16);
    expect(get(ids.reportBeforeManager).managerRemoteId).toBe(ids.lateManager);
    expect(get(ids.managerMissing).managerRemoteId).toBe('3999');
    expect(get(ids.ceo)).toMatchObject({ managerRemoteId: null, personalEmail: 'max@home.test', employeeNumber: '1', jobTitle: 'CEO' });
    expect(get(ids.terminatedPast)).toMatchObject({ status: 'inactive', rawStatus: 'Inactive / Terminated', terminationDate: '2025-12-31' });
    expect(get(ids.activeButTerminatedPast).status).toBe('inactive');
    expect(get(ids.leavingFuture)).toMatchObject({ status: 'active', terminationDate: '2026-04-30' });
    expect(get(ids.futureHire)).toMatchObject({ status: 'pending', startDate: '2026-04-01' });
    expect(get(ids.gardenLeave).status).toBe('leave');
    expect(get(ids.parentalLeave).status).toBe('leave');
    expect(get(ids.noEmail).workEmail).toBeNull();
    expect(get(ids.nfdName).displayName).toBe('José Peña');
    expect(get(ids.cjk)).toMatchObject({ displayName: '美咲 山田', workLocation: { remoteId: '1400006', name: 'Tokyo' } });
    expect(get(ids.hr)).toMatchObject({ department: { name: 'Human Resources' }, startDate: '2022-10-10' });
  });

  it('keeps every date in an account whose display format is day-first, ambiguous ones included', async () => {
    const { clock, fake } = await setup({ render: { humanDates: 'dd/mm/yyyy' } });
    const run = await collect(hibobFor(fake, clock).employees());
    expect(run.byId.get(ids.hr)!.startDate).toBe('2022-10-10');
    expect(run.byId.get(ids.terminatedPast)!.terminationDate).toBe('2025-12-31');
    // 01/04/2026 reads two ways: only the machine value says it is the 1st of April.
    expect(run.byId.get(ids.futureHire)).toMatchObject({ status: 'pending', startDate: '2026-04-01' });
    for (const p of fake.company.list()) expect(run.byId.get(p.id), p.id).toMatchObject({ startDate: p.startDate, terminationDate: p.terminationDate });
  });

  it('reads the bank account of everyone employed, one request each, and none of leavers', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 4, size: 120 }) });
    const hibob = hibobFor(fake, clock, { settings: { bankAccounts: true } });
    const run = await collect(hibob.employees());
    expect(run.warnings).toEqual([]);
    const employed = run.employees.filter((e) => e.status !== 'inactive');
    expect(fake.counts().byEndpoint).toEqual({ search: 1, 'bank-accounts': employed.length });
    let withAccount = 0;
    for (const p of fake.company.list()) {
      const e = run.byId.get(p.id)!;
      const first = p.bankAccounts?.[0];
      if (e.status === 'inactive' || !first) expect(e.bankAccount, p.id).toBeNull();
      else {
        withAccount++;
        expect(e.bankAccount).toEqual({ iban: first.iban, bic: first.bicOrSwift });
      }
    }
    expect(withAccount).toBeGreaterThan(50);
  });

  it('without the Financial permission: no bank details and a warning that names it, the run goes on', async () => {
    const { clock, fake } = await setup({ serviceUsers: { [defaultServiceUser.id]: { token: defaultServiceUser.token, bankAccounts: false } } });
    const run = await collect(hibobFor(fake, clock, { settings: { bankAccounts: true } }).employees());
    expect(run.byId.size).toBe(16);
    expect(run.employees.every((e) => e.bankAccount === null)).toBe(true);
    expect(run.warnings).toEqual([expect.stringMatching(/Financial › Bank accounts/)]);
  });

  it('a list item HiBob cannot name costs the name and a warning, never the run', async () => {
    const { clock, fake } = await setup();
    const hr = fake.company.get(ids.hr)!.department!;
    fake.unnamedListItems.add(hr.id);
    const run = await collect(hibobFor(fake, clock).employees());
    expect(run.errors).toEqual([]);
    expect(run.byId.get(ids.hr)!.department).toEqual({ remoteId: hr.id, name: hr.id });
    expect(run.warnings).toEqual([expect.stringContaining(`work.department list item ${hr.id}`)]);
  });

  it('reflects hires, leavers, manager and email changes, and re-hires between runs', async () => {
    const { clock, fake } = await setup();
    const hibob = hibobFor(fake, clock);
    await collect(hibob.employees());
    const hired = fake.company.hire({ firstName: 'Nia', surname: 'Østergård', email: 'nia@acme.test', managerId: ids.ceo, startDate: '2026-03-16' });
    fake.company.terminate(ids.hr, '2026-02-28');
    fake.company.changeManager(ids.reportBeforeManager, ids.ceo);
    fake.company.changeEmail(ids.cjk, 'misaki@acme.test');
    fake.company.rehire(ids.terminatedPast);
    fake.company.remove(ids.dupEmailB);
    const run = await collect(hibob.employees());
    const get = (id: string) => run.byId.get(id);
    expect(get(hired.id)).toMatchObject({ status: 'pending', managerRemoteId: ids.ceo });
    expect(get(ids.hr)!.status).toBe('inactive');
    expect(get(ids.reportBeforeManager)!.managerRemoteId).toBe(ids.ceo);
    expect(get(ids.cjk)!.workEmail).toBe('misaki@acme.test');
    expect(get(ids.terminatedPast)).toMatchObject({ status: 'active', terminationDate: null });
    expect(get(ids.dupEmailB)).toBeUndefined();
  });

  it('treats fields the permission group hides as absent, with a warning', async () => {
    const { clock, fake } = await setup({ serviceUsers: { [defaultServiceUser.id]: { token: defaultServiceUser.token, hidden: ['root.email', 'work.reportsTo'] } } });
    const run = await collect(hibobFor(fake, clock).employees());
    expect(run.employees.every((e) => e.workEmail === null)).toBe(true);
    // The machine value of work.manager is the manager's id (APPEND keeps it; the display name is beside it).
    expect(run.byId.get(ids.reportBeforeManager)!.managerRemoteId).toBe(ids.lateManager);
    expect(run.warnings).toEqual([expect.stringMatching(/root\.email, work\.reportsTo/)]);
  });

  it('never sends bad credentials twice, so the firewall never blocks us', async () => {
    const { clock, fake } = await setup({ blockAfterAuthFailures: 2 });
    const hibob = hibobFor(fake, clock, { credentials: { serviceUserId: defaultServiceUser.id, token: 'wrong' } });
    await expect(collect(hibob.employees())).rejects.toMatchObject({ kind: 'auth', status: 401, retryable: false });
    await expect(collect(hibob.employees())).rejects.toMatchObject({ kind: 'auth' });
    expect(await hibob.validate()).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringMatching(/will not retry/) });
    expect(fake.authFailures).toBe(1);
    expect(fake.blocked).toBe(false);
  });

  it.each([
    ['wrong token', { credentials: { serviceUserId: defaultServiceUser.id, token: 'nope' } }, { ok: false, kind: 'invalid_credentials', retryable: false }],
    ['no permission group', { credentials: { serviceUserId: 'locked', token: 't' } }, { ok: false, kind: 'missing_permission', message: expect.stringMatching(/permission group/) }],
    ['lifecycle hidden', { credentials: { serviceUserId: 'blind', token: 't' } }, { ok: false, kind: 'missing_permission', message: expect.stringMatching(/internal\.status, internal\.lifecycleStatus/) }],
    ['email hidden', { credentials: { serviceUserId: 'partial', token: 't' } }, { ok: true, warnings: [expect.stringMatching(/root\.email/)] }],
    ['all good', {}, { ok: true, warnings: [] }],
  ])('validate: %s', async (_name, extra, expected) => {
    const { clock, fake } = await setup({
      serviceUsers: {
        [defaultServiceUser.id]: { token: defaultServiceUser.token },
        locked: { token: 't', access: 'none' },
        blind: { token: 't', hidden: ['internal.status', 'internal.lifecycleStatus'] },
        partial: { token: 't', hidden: ['root.email'] },
      },
    });
    expect(await hibobFor(fake, clock, extra).validate()).toMatchObject(expected);
    expect(fake.lastSearch?.showInactive ?? false).toBe(false);
  });
});
