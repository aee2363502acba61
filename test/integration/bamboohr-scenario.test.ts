import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, readAll } from '../fakes/bamboohr/connect.js';
import { scenarioCompany, scenarioIds as ids } from '../fakes/bamboohr/scenario.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';

describe('BambooHR connector on the hand-written account', () => {
  let fake: FakeBambooHr;
  beforeAll(async () => {
    fake = await startFakeBambooHr({ company: scenarioCompany() });
  });
  afterAll(() => fake.close());

  it.each([
    [ids.ceo, 'active', null],
    [ids.hr, 'active', ids.ceo],
    [ids.reportBeforeManager, 'active', ids.lateManager],
    [ids.terminatedPast, 'inactive', ids.ceo],
    [ids.activeButTerminatedPast, 'inactive', ids.ceo],
    [ids.leavingFuture, 'active', ids.ceo],
    [ids.futureHire, 'pending', ids.ceo],
    [ids.onLeave, 'leave', ids.ceo],
    [ids.managerMissing, 'active', '404'],
  ])('person %s is %s, managed by %s', async (id, status, manager) => {
    const run = await readAll(connectTo(fake));
    expect(run.byId.get(id)).toMatchObject({ status, managerRemoteId: manager });
  });

  it('keeps people with missing and duplicate work emails, and normalises names', async () => {
    const { byId, errors } = await readAll(connectTo(fake));
    expect(errors).toEqual([]);
    expect(byId.get(ids.noEmail)!.workEmail).toBeNull();
    expect([byId.get(ids.dupEmailA)!.workEmail, byId.get(ids.dupEmailB)!.workEmail]).toEqual(['sam.lee@acme.test', 'Sam.Lee@acme.test']);
    expect(byId.get(ids.nfdName)).toMatchObject({ firstName: 'José', lastName: 'Peña', displayName: 'José Peña' });
    expect(byId.get(ids.cjk)!.displayName).toBe('美咲 山田');
    expect(byId.get(ids.preferred)).toMatchObject({ preferredName: 'Peggy', displayName: 'Peggy Quist' });
    expect(byId.get(ids.reportBeforeManager)!.rawStatus).toBe('Active / Full-Time');
  });
});

describe('changes between runs', () => {
  let fake: FakeBambooHr;
  beforeAll(async () => {
    fake = await startFakeBambooHr({ company: scenarioCompany() });
  });
  afterAll(() => fake.close());

  it('sees hires, terminations, manager and email changes and re-hires, and lists them as changed', async () => {
    const connector = connectTo(fake);
    const before = await readAll(connector);
    const since = new Date(Date.now() - 1000).toISOString();
    const { company } = fake;

    const hired = company.hire({ firstName: 'Nia', lastName: 'Okafor', workEmail: 'nia.okafor@acme.test', supervisorEId: ids.lateManager });
    company.terminate(ids.hr, '2026-02-01');
    company.terminate(ids.onLeave, '2026-06-30');
    company.changeManager(ids.reportBeforeManager, ids.ceo);
    company.changeEmail(ids.noEmail, 'fay.jensen@acme.test');
    company.rehire(ids.terminatedPast, '2026-04-15');
    company.remove(ids.managerMissing);

    const after = await readAll(connector);
    expect(after.byId.size).toBe(before.byId.size);
    expect(after.byId.get(hired.id)).toMatchObject({ status: 'active', managerRemoteId: ids.lateManager, workEmail: 'nia.okafor@acme.test' });
    expect(after.byId.get(ids.hr)).toMatchObject({ status: 'inactive', terminationDate: '2026-02-01' });
    // The history row HR entered says Terminated (no longer on leave); employed until the date.
    expect(after.byId.get(ids.onLeave)).toMatchObject({ status: 'active', rawStatus: 'Active / Terminated', terminationDate: '2026-06-30' });
    expect(after.byId.get(ids.reportBeforeManager)!.managerRemoteId).toBe(ids.ceo);
    expect(after.byId.get(ids.noEmail)!.workEmail).toBe('fay.jensen@acme.test');
    expect(after.byId.get(ids.terminatedPast)).toMatchObject({ status: 'pending', startDate: '2026-04-15', terminationDate: null });
    expect(after.byId.has(ids.managerMissing)).toBe(false);

    const changed = await connector.changedSince(since);
    const actions = Object.fromEntries(changed.changes.map((c) => [c.remoteId, c.action]));
    expect(actions).toEqual({
      [hired.id]: 'inserted',
      [ids.hr]: 'updated',
      [ids.onLeave]: 'updated',
      [ids.reportBeforeManager]: 'updated',
      [ids.noEmail]: 'updated',
      [ids.terminatedPast]: 'updated',
      [ids.managerMissing]: 'deleted',
    });
    expect(changed.latest).not.toBeNull();
  });

  it('reads an empty change list (BambooHR sends [] rather than {})', async () => {
    const changed = await connectTo(fake).changedSince(new Date(Date.now() + 60_000).toISOString());
    expect(changed.changes).toEqual([]);
  });
});
