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
    expect(fake.lastSearch).toMatchObject({ showInactive: true, humanReadable: 'REPLACE', fields: expect.arrayContaining(['root.id', 'work.reportsTo', 'internal.lifecycleStatus']) });
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

  it('reads day-first human-readable dates', async () => {
    const { clock, fake } = await setup({ render: { humanDates: 'dd/mm/yyyy' } });
    const run = await collect(hibobFor(fake, clock).employees());
    expect(run.byId.get(ids.hr)!.startDate).toBe('2022-10-10');
    expect(run.byId.get(ids.terminatedPast)!.terminationDate).toBe('2025-12-31');
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
    // Human-readable, work.manager is "Łukasz Zieliński": a name, never taken for an id.
    expect(run.byId.get(ids.reportBeforeManager)!.managerRemoteId).toBeNull();
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
