import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URN } from '../../scim/schemas/urns.js';
import { acceptInvitation, disconnectConnection, inviteCandidate, listCandidates } from '../../src/connections/people.js';
import { approveRun, createConnection, findConnection, rejectRun, syncConnection, updateConnection } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { scenarioCompany, scenarioIds as ids } from '../fakes/bamboohr/scenario.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { bambooConnectionBody, syncDeps } from '../support/sync-fixture.js';

/**
 * The sync engine on its own (no HTTP in front): connect, preview, apply, the people states of
 * product.md, the safety stop, and disconnect — against the fake BambooHR over loopback.
 */
let database: TestDatabase;
let fake: FakeBambooHr;
let tenantId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeBambooHr({ company: scenarioCompany() });
  tenantId = (await createTenant(database.db, 'sync-engine')).id;
});
afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

const deps = () => syncDeps(database.db, fake);
const admin = { kind: 'admin' as const, id: 'test-admin' };

interface UserRow {
  id: string;
  user_name: string;
  active: boolean;
  doc: Record<string, any>;
}
const usersByRemote = async () => {
  const found = await query<UserRow>(database.db, 'select id, user_name, active, doc from users where tenant_id = $1', [tenantId]);
  return new Map(found.filter((u) => u.doc[HR_URN]?.remoteId).map((u) => [u.doc[HR_URN].remoteId as string, u]));
};
const count = async (sql: string, params: unknown[] = [tenantId]) => Number((await query<{ n: number | string }>(database.db, sql, params))[0]!.n);

describe('a BambooHR connection, from connect to disconnect', () => {
  let connectionId = '';

  it('refuses credentials the HR system refuses, and stores nothing', async () => {
    const body = bambooConnectionBody(fake, { credentials: { companyDomain: 'acme', apiKey: 'wrong-key' } });
    await expect(createConnection(deps(), tenantId, body)).rejects.toMatchObject({ code: 'invalid_value', extra: { reason: 'invalid_credentials' } });
    expect(await count('select count(*) as n from connections where tenant_id = $1')).toBe(0);
  });

  it('connects with good credentials: awaiting configuration, credentials sealed', async () => {
    const view = await createConnection(deps(), tenantId, bambooConnectionBody(fake));
    connectionId = view.id;
    expect(view).toMatchObject({ status: 'awaiting_configuration', onboarding: 'review', scheduleMinutes: 180, safetyThresholdPercent: 20 });
    expect(JSON.stringify(view)).not.toContain('test-key');
    const [row] = await query<{ credentials: string }>(database.db, 'select credentials from connections where id = $1', [connectionId]);
    expect(row!.credentials).toMatch(/^v1\./);
    expect(row!.credentials).not.toContain('test-key');
  });

  it('passes on what the HR system accepted with reservations: a field the key cannot see', async () => {
    fake.keys.set('limited-key', { hiddenFields: ['workEmail'] });
    const view = await createConnection(deps(), tenantId, bambooConnectionBody(fake, { credentials: { companyDomain: 'acme', apiKey: 'limited-key' } }));
    expect(view.warnings?.join(' ')).toContain('workEmail');
    await disconnectConnection(database.db, tenantId, view.id, 'keep', admin);
  });

  it('previews without writing a user', async () => {
    const { plan, run } = await syncConnection(deps(), tenantId, connectionId, { mode: 'preview' });
    expect(run).toMatchObject({ mode: 'preview', state: 'succeeded' });
    // In scope: employed, with a work email, one of the two Sam Lees (same email) reported.
    expect(plan!.counts).toMatchObject({ create: 12, archive: 0, release: 0 });
    expect(plan!.conflicts.map((c) => c.remoteId).sort()).toEqual([ids.dupEmailB, ids.noEmail].sort());
    expect(await count('select count(*) as n from users where tenant_id = $1')).toBe(0);
    expect((await findConnection(database.db, tenantId, connectionId)).status).toBe('awaiting_configuration');
  });

  it('applies in review mode: candidates with HR fields, managers linked, then connected', async () => {
    const { run } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(run.state).toBe('succeeded');
    expect(run.counts).toMatchObject({ create: 12, applied: 12, failed: 0 });
    const users = await usersByRemote();
    expect(users.size).toBe(12);
    const zoe = users.get(ids.reportBeforeManager)!;
    expect(zoe.active).toBe(false);
    expect(zoe.doc[HR_URN]).toMatchObject({ lifecycle: 'candidate', management: 'managed', connection: { value: connectionId, display: 'bamboohr' }, remoteId: ids.reportBeforeManager });
    expect(zoe.doc[URN.enterpriseUser].manager.value).toBe(users.get(ids.lateManager)!.id);
    expect(users.has(ids.terminatedPast)).toBe(false);
    expect(users.has(ids.leavingFuture)).toBe(true);
    const connection = await findConnection(database.db, tenantId, connectionId);
    expect(connection).toMatchObject({ status: 'connected', leaseOwner: null });
    expect(connection.nextRunAt!.getTime()).toBeGreaterThan(Date.now() + 170 * 60_000);
    expect(await count(`select count(*) as n from change_events where tenant_id = $1 and type = 'user.created'`)).toBe(12);
  });

  it('a second run with no HR change does nothing: its end is the only event', async () => {
    const before = await count('select max(seq) as n from change_events where tenant_id = $1');
    const { run } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(run.counts).toMatchObject({ create: 0, update: 0, archive: 0, link: 0, unchanged: 12 });
    const since = await query<{ type: string; resource_id: string }>(database.db, 'select type, resource_id from change_events where tenant_id = $1 and seq > $2 order by seq', [tenantId, before]);
    expect(since).toEqual([{ type: 'sync.completed', resource_id: run.id }]);
  });

  it('candidates are invited, then accept', async () => {
    const candidates = await listCandidates(database.db, tenantId, connectionId);
    expect(candidates).toHaveLength(12);
    const ceo = candidates.find((c) => c.remoteId === ids.ceo)!;
    expect((await inviteCandidate(database.db, tenantId, ceo.id, admin)).lifecycle).toBe('invited');
    await expect(inviteCandidate(database.db, tenantId, ceo.id, admin)).rejects.toMatchObject({ code: 'conflict' });
    expect((await acceptInvitation(database.db, tenantId, ceo.id, admin)).lifecycle).toBe('active');
    expect((await usersByRemote()).get(ids.ceo)!.active).toBe(true);
  });

  it('follows hires, leavers, a manager change, an email change and a re-hire', async () => {
    const hire = fake.company.hire({ firstName: 'Nina', lastName: 'New', workEmail: 'nina.new@acme.test', supervisorEId: ids.ceo });
    fake.company.terminate(ids.hr, '2026-02-01');
    fake.company.terminate(ids.onLeave, '2026-06-30');
    fake.company.changeManager(ids.preferred, ids.lateManager);
    fake.company.changeEmail(ids.cjk, 'misaki.y@acme.test');
    fake.company.rehire(ids.terminatedPast, '2026-03-01');
    const { run } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(run.counts).toMatchObject({ create: 2, archive: 1, update: 3, failed: 0 });
    const users = await usersByRemote();
    expect(users.get(hire.id)!.doc[HR_URN].lifecycle).toBe('candidate');
    expect(users.get(ids.hr)!).toMatchObject({ active: false, doc: { [HR_URN]: { lifecycle: 'archived', terminationDate: '2026-02-01' } } });
    expect(users.get(ids.onLeave)!.doc[HR_URN].lifecycle).toBe('candidate');
    expect(users.get(ids.preferred)!.doc[URN.enterpriseUser].manager.value).toBe(users.get(ids.lateManager)!.id);
    expect(users.get(ids.cjk)!.user_name).toBe('misaki.y@acme.test');
    expect(users.get(ids.terminatedPast)!.doc[HR_URN].lifecycle).toBe('candidate');
    expect(await count(`select count(*) as n from change_events where tenant_id = $1 and type = 'user.archived'`)).toBe(1);
  });

  it('releases people a narrower filter leaves out, keeping their access', async () => {
    await updateConnection(deps(), tenantId, connectionId, { scope: [{ field: 'workLocation', op: 'notIn', values: ['Tokyo'] }] });
    const { run } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(run.counts).toMatchObject({ release: 1 });
    const misaki = (await usersByRemote()).get(ids.cjk)!;
    expect(misaki.doc[HR_URN].management).toBe('released');
  });

  it('holds a run that would archive everyone, until an admin decides', async () => {
    for (const p of fake.company.list()) fake.company.remove(p.id);
    const held = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(held.run.state).toBe('held');
    expect(held.run.held).toMatchObject({ reason: expect.stringContaining('returned no employees') });
    expect(await findConnection(database.db, tenantId, connectionId)).toMatchObject({ status: 'error', statusReason: 'needs_approval' });
    expect(await count(`select count(*) as n from users where tenant_id = $1 and active`)).toBeGreaterThan(0);

    const rejected = await rejectRun(deps(), tenantId, held.run.id, 'admin@acme');
    expect(rejected).toMatchObject({ state: 'rejected', decidedBy: 'admin@acme' });
    expect((await findConnection(database.db, tenantId, connectionId)).status).toBe('connected');

    const again = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(again.run.state).toBe('held');
    // An approval while another replica holds the connection is refused and leaves the run held.
    await query(database.db, `update connections set lease_owner = 'elsewhere', lease_until = now() + interval '1 minute' where id = $1`, [connectionId]);
    await expect(approveRun(deps(), tenantId, again.run.id, 'admin@acme')).rejects.toMatchObject({ code: 'conflict' });
    expect((await query<{ state: string }>(database.db, 'select state from sync_runs where id = $1', [again.run.id]))[0]!.state).toBe('held');
    await query(database.db, 'update connections set lease_owner = null, lease_until = null where id = $1', [connectionId]);
    const approved = await approveRun(deps(), tenantId, again.run.id, 'admin@acme');
    expect(approved.run).toMatchObject({ state: 'succeeded', trigger: 'approval' });
    expect(approved.run.counts.archive).toBeGreaterThan(5);
    await expect(approveRun(deps(), tenantId, again.run.id, 'admin@acme')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('disconnects in clean mode: candidates and invitations go, accepted users stay unmanaged', async () => {
    const before = await usersByRemote();
    const summary = await disconnectConnection(database.db, tenantId, connectionId, 'clean', admin);
    expect(summary.mode).toBe('clean');
    const after = await query<UserRow>(database.db, 'select id, user_name, active, doc from users where tenant_id = $1', [tenantId]);
    expect(after.every((u) => u.doc[HR_URN].management === 'manual')).toBe(true);
    expect(after.some((u) => ['candidate', 'invited'].includes(u.doc[HR_URN].lifecycle))).toBe(false);
    expect(summary.kept + summary.removed).toBe(before.size);
    const connection = await findConnection(database.db, tenantId, connectionId);
    expect(connection).toMatchObject({ status: 'disconnected', credentials: '' });
    await expect(syncConnection(deps(), tenantId, connectionId, { mode: 'apply' })).rejects.toMatchObject({ code: 'conflict' });
  });
});
