import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { URN } from '../../scim/schemas/urns.js';
import { createConnection, syncConnection, updateConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { enableTeamSync } from '../../src/connections/team-sync.js';
import { query } from '../../src/db/client.js';
import { open } from '../../src/crypto/secret-box.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { faults, type Fault } from '../fakes/shared/faults.js';
import { addDays } from '../fakes/shared/random.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_SECRET_KEY } from '../support/keys.js';
import { providersUnderTest, type ProviderUnderTest, type ScenarioPerson } from '../support/providers-under-test.js';

/**
 * One scenario, every connector: a preview that writes nothing, the first sync in both onboarding modes, a second run after
 * hires, leavers, a manager change, an email change, a re-hire and a filter change, the faults
 * an HR API has at 3 am, and the safety stop. Every expectation comes from the fake's records.
 */
const SIZE = 310;
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const emailOf = (p: ScenarioPerson) => p.email.trim().toLowerCase();

/** Who should have a managed user: employed, with a work email nobody else has (product.md, "People"). */
function oracle(people: ScenarioPerson[]): Map<string, { employed: boolean }> {
  const count = new Map<string, number>();
  for (const p of people) if (emailOf(p)) count.set(emailOf(p), (count.get(emailOf(p)) ?? 0) + 1);
  return new Map(people.filter((p) => emailOf(p) && count.get(emailOf(p)) === 1).map((p) => [p.id, { employed: p.employed }]));
}

interface UserRow {
  id: string;
  user_name: string;
  active: boolean;
  remote_id: string;
  doc: Record<string, any>;
}
const usersOf = async (tenantId: string) =>
  new Map(
    (await query<UserRow>(database.db, 'select id, user_name, active, remote_id, doc from users where tenant_id = $1 and remote_id is not null', [tenantId])).map((u) => [u.remote_id, u]),
  );
/** The directory as users and groups see it: runs and connection statuses write events of their own. */
const directoryState = async (tenantId: string) =>
  (await query(database.db, `select (select count(*) from users where tenant_id = $1) as users, (select count(*) from change_events where tenant_id = $1 and resource_type in ('User', 'Group')) as events, (select max(updated_at) from users where tenant_id = $1) as touched`, [tenantId]))[0];

async function expectNoDuplicates(tenantId: string) {
  const duplicates = await query(
    database.db,
    `select remote_id from users where tenant_id = $1 and remote_id is not null group by remote_id having count(*) > 1
     union all select lower(user_name) from users where tenant_id = $1 group by lower(user_name) having count(*) > 1`,
    [tenantId],
  );
  expect(duplicates).toEqual([]);
}

describe.each(providersUnderTest)('%s: the shared scenario', (name, start) => {
  let provider: ProviderUnderTest;
  let deps: ConnectionDeps;
  let tenantId = '';
  let connectionId = '';
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const sync = async () => (await syncConnection(deps, tenantId, connectionId, { mode: 'apply' })).run;

  beforeAll(async () => {
    provider = await start(SIZE, 61);
    deps = provider.deps(database.db);
    tenantId = (await createTenant(database.db, `scenario-${slug}`)).id;
  });
  afterAll(async () => {
    await provider?.close();
  });

  it('first sync in review mode: exactly the people in scope, as candidates with their managers, in the fewest list requests', async () => {
    connectionId = (await createConnection(deps, tenantId, { ...provider.body, onboarding: 'review' })).id;
    const emptyDirectory = await directoryState(tenantId);
    const preview = await syncConnection(deps, tenantId, connectionId, { mode: 'preview' });
    expect(preview.run.state).toBe('succeeded');
    expect(await directoryState(tenantId)).toEqual(emptyDirectory);
    provider.resetCounts();
    const run = await sync();
    expect(run.state).toBe('succeeded');
    expect(provider.requests(provider.listEndpoint)).toBe(provider.listRequestsFor(provider.people().length));

    const users = await usersOf(tenantId);
    const people = new Map(provider.people().map((p) => [p.id, p]));
    let checked = 0;
    for (const [id, expected] of oracle([...people.values()])) {
      const user = users.get(id);
      if (!expected.employed) {
        expect(user, `${name} person ${id} has left`).toBeUndefined();
        continue;
      }
      checked++;
      const person = people.get(id)!;
      expect(user, `${name} person ${id} has a user`).toBeDefined();
      expect(user!.user_name.toLowerCase()).toBe(emailOf(person));
      expect(user!.doc[HR_URN]).toMatchObject({ lifecycle: 'candidate', management: 'managed' });
      expect(user!.active).toBe(false);
      const manager = person.managerId ? users.get(person.managerId) : undefined;
      expect(user!.doc[URN.enterpriseUser]?.manager?.value, `${name} person ${id}'s manager`).toBe(manager?.id);
      if (person.bankAccount !== undefined) {
        const sealed = user!.doc[HR_URN].bankAccount as string | undefined;
        const stored = sealed ? (JSON.parse(open(TEST_SECRET_KEY, sealed)) as Record<string, unknown>) : null;
        expect(stored, `${name} person ${id}'s bank account`).toEqual(person.bankAccount ? { holder: null, bic: null, ...person.bankAccount } : null);
      }
    }
    expect(checked).toBeGreaterThan(SIZE / 2);
    expect(run.counts).toMatchObject({ create: users.size, applied: users.size, failed: 0 });
    expect(preview.plan!.counts.create).toBe(users.size);
    await expectNoDuplicates(tenantId);
  });

  it('first sync in auto mode: the same people, invited', async () => {
    const autoTenant = (await createTenant(database.db, `scenario-auto-${slug}`)).id;
    const autoConnection = (await createConnection(deps, autoTenant, { ...provider.body, onboarding: 'auto' })).id;
    const { run } = await syncConnection(deps, autoTenant, autoConnection, { mode: 'apply' });
    expect(run.state).toBe('succeeded');
    const users = [...(await usersOf(autoTenant)).values()];
    expect(users.length).toBe((await usersOf(tenantId)).size);
    for (const user of users) expect(user).toMatchObject({ active: true, doc: { [HR_URN]: { lifecycle: 'invited', management: 'managed' } } });
  });

  it('a second run follows hires, leavers past and future, a manager change, an email change, a re-hire and a filter change', async () => {
    const { today } = provider;
    const users = await usersOf(tenantId);
    const people = provider.people();
    const inScope = people.filter((p) => users.has(p.id));
    const [leaverPast, leaverFuture, moved, renamed, newManager] = inScope.slice(20, 25).map((p) => p.id) as [string, string, string, string, string];
    const unique = oracle(people);
    const formerlyGone = people.find((p) => unique.get(p.id)?.employed === false)!.id;

    const hire = provider.hire({ firstName: 'Hana', lastName: 'Hire', email: `hana.hire.${slug}@acme.test`, managerId: newManager });
    provider.terminate(leaverPast, addDays(today, -3));
    provider.terminate(leaverFuture, addDays(today, 30));
    provider.changeManager(moved, newManager);
    provider.changeEmail(renamed, `renamed.${renamed}@acme.test`);
    provider.rehire(formerlyGone, today);
    // The filter change: a location none of the people above works in is no longer this tenant's.
    const changed = new Set([leaverFuture, moved, renamed, newManager, formerlyGone, hire]);
    const changedLocations = new Set(provider.people().filter((p) => changed.has(p.id)).map((p) => p.location));
    const dropped = inScope.map((p) => p.location).find((l) => l !== null && !changedLocations.has(l))!;
    await updateConnection(deps, tenantId, connectionId, { scope: [{ field: 'workLocation', op: 'notIn', values: [dropped] }], safetyThresholdPercent: 100 });

    const run = await sync();
    expect(run.state).toBe('succeeded');
    expect(run.counts.failed).toBe(0);
    const after = await usersOf(tenantId);
    const hr = (id: string) => after.get(id)?.doc[HR_URN];
    const managerOf = (id: string) => after.get(id)?.doc[URN.enterpriseUser]?.manager?.value;

    expect(hr(hire)).toMatchObject({ lifecycle: 'candidate', management: 'managed' });
    expect(managerOf(hire)).toBe(after.get(newManager)!.id);
    expect(after.get(leaverPast)).toMatchObject({ active: false, doc: { [HR_URN]: { lifecycle: 'archived' } } });
    expect(hr(leaverFuture)).toMatchObject({ lifecycle: 'candidate', management: 'managed', terminationDate: addDays(today, 30) });
    expect(managerOf(moved)).toBe(after.get(newManager)!.id);
    expect(after.get(renamed)).toMatchObject({ id: users.get(renamed)!.id, user_name: `renamed.${renamed}@acme.test` });
    expect(hr(formerlyGone)).toMatchObject({ lifecycle: 'candidate', management: 'managed' });

    // Everyone else, by the oracle: a leaver archived, out of the filter released, the rest managed.
    for (const [id, expected] of oracle(provider.people())) {
      const user = after.get(id);
      if (!user) {
        expect(users.has(id) || !expected.employed, `${name} person ${id}`).toBe(!expected.employed);
        continue;
      }
      const person = provider.people().find((p) => p.id === id)!;
      if (!expected.employed) expect(user.doc[HR_URN].lifecycle, `${name} person ${id} left`).toBe('archived');
      else if (person.location === dropped) expect(user.doc[HR_URN].management, `${name} person ${id} is filtered out`).toBe('released');
      else expect(user.doc[HR_URN].management, `${name} person ${id} is managed`).toBe('managed');
    }
    await expectNoDuplicates(tenantId);
  });

  it('termination entered 20 days ahead: active and in their team until the date, archived by the first run after it', async () => {
    // A tenant of its own with team sync on, on a clock the test moves: the connector still
    // reads the fake's "today", only the sync's date steps past the termination.
    let daysLater = 0;
    const base = provider.deps(database.db);
    const baseNow = base.now ?? (() => new Date());
    const clocked: ConnectionDeps = { ...base, now: () => new Date(baseNow().getTime() + daysLater * 86_400_000) };
    const noticeTenant = (await createTenant(database.db, `scenario-notice-${slug}`)).id;
    const noticeConnection = (await createConnection(clocked, noticeTenant, { ...provider.body, onboarding: 'auto' })).id;
    const first = await syncConnection(clocked, noticeTenant, noticeConnection, { mode: 'apply' });
    expect(first.run.state).toBe('succeeded');
    await enableTeamSync(clocked, noticeTenant, noticeConnection, { confirm: true }, 'admin', { kind: 'system', id: 'test' });
    const teamsOf = async (userId: string) =>
      (await query<{ group_id: string }>(database.db, 'select group_id from group_members where tenant_id = $1 and member_id = $2', [noticeTenant, userId])).map((r) => r.group_id).sort();

    const users = await usersOf(noticeTenant);
    const people = provider.people();
    const managers = new Set(people.map((p) => p.managerId));
    const leaver = people.find((p) => users.has(p.id) && p.managerId !== null && users.has(p.managerId) && !managers.has(p.id))!;
    const user = users.get(leaver.id)!;
    const teams = await teamsOf(user.id);
    expect(teams.length).toBeGreaterThan(0);

    const lastDay = addDays(provider.today, 20);
    provider.terminate(leaver.id, lastDay);
    const during = await syncConnection(clocked, noticeTenant, noticeConnection, { mode: 'apply' });
    expect(during.run.state).toBe('succeeded');
    expect(during.plan!.operations.filter((op) => op.kind === 'archive')).toEqual([]);
    expect((await usersOf(noticeTenant)).get(leaver.id)).toMatchObject({
      id: user.id,
      active: true,
      doc: { [HR_URN]: { lifecycle: 'invited', management: 'managed', terminationDate: lastDay } },
    });
    expect(await teamsOf(user.id)).toEqual(teams);

    daysLater = 21;
    const beforeDate = await usersOf(noticeTenant);
    const after = await syncConnection(clocked, noticeTenant, noticeConnection, { mode: 'apply' });
    expect(after.run.state).toBe('succeeded');
    // The leaver goes; so may anyone else whose own last day falls in the 21 days the clock moved.
    const archived = after.plan!.operations.filter((op) => op.kind === 'archive').map((op) => op.remoteId!);
    expect(archived).toContain(leaver.id);
    const lastDayPassed = (remoteId: string) => {
      const ended = beforeDate.get(remoteId)?.doc[HR_URN]?.terminationDate as string | undefined;
      return !!ended && ended < addDays(provider.today, 21);
    };
    expect(archived.filter((id) => !lastDayPassed(id))).toEqual([]);
    expect((await usersOf(noticeTenant)).get(leaver.id)).toMatchObject({ id: user.id, active: false, doc: { [HR_URN]: { lifecycle: 'archived' } } });
    expect(await teamsOf(user.id)).toEqual([]);
  });

  describe('faults', () => {
    let someone = '';
    beforeEach(async () => {
      provider.faults.clear();
      provider.resetCounts();
      // Each case changes one person so that a successful run has something to apply.
      const managed = [...(await usersOf(tenantId)).values()].find((u) => u.doc[HR_URN]?.management === 'managed' && u.doc[HR_URN]?.lifecycle === 'candidate')!;
      someone = managed.remote_id;
      provider.touch(someone);
    });

    it.each<[string, Fault]>([
      ['a 429 with Retry-After', faults.tooManyRequests(1)],
      ['a 503 (throttling)', faults.unavailable()],
      ['a hung request', { type: 'hang' }],
    ])('%s once: retried within the run, which applies the change', async (_case, fault) => {
      const baseline = provider.listRequestsFor(provider.people().length);
      provider.faults.next(1, fault, provider.listEndpoint);
      const run = await sync();
      expect(run.state).toBe('succeeded');
      expect(run.counts.update).toBeGreaterThanOrEqual(1);
      expect(provider.requests(provider.listEndpoint)).toBe(baseline + 1);
    });

    it.each<[string, (p: ProviderUnderTest) => void]>([
      ['a 500 in the middle of the read', (p) => p.faults.at(p.midRun.nth, faults.serverError(500), p.midRun.endpoint)],
      ['invalid JSON', (p) => p.faults.next(10, { type: 'invalid_json' }, p.listEndpoint)],
    ])('%s: a failed run that changes nothing, and the next run applies', async (_case, inject) => {
      const before = await directoryState(tenantId);
      inject(provider);
      const failed = await sync();
      expect(failed.state).toBe('failed');
      expect(failed.error).toBeTruthy();
      expect(await directoryState(tenantId)).toEqual(before);
      provider.faults.clear();
      const again = await sync();
      expect(again.state).toBe('succeeded');
      expect(again.counts.update).toBeGreaterThanOrEqual(1);
    });
  });

  it('an empty company is held by the safety stop, nobody archived', async () => {
    const before = await directoryState(tenantId);
    provider.removeEveryone();
    const run = await sync();
    expect(run.state).toBe('held');
    expect(run.held).toMatchObject({ reason: expect.stringContaining('returned no employees') });
    expect(await directoryState(tenantId)).toEqual(before);
  });
});
