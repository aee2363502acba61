import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URN } from '../../scim/schemas/urns.js';
import { createConnection, syncConnection, updateConnection } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { createTenant } from '../../src/tenants/tenants.js';
import type { BambooPerson } from '../fakes/bamboohr/company.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { addDays } from '../fakes/shared/random.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, syncDeps } from '../support/sync-fixture.js';

/**
 * A generated company of 2,000 people (with the quirks real accounts have: missing and shared
 * emails, managers after reports, past and future terminations) synced twice, each user checked
 * against an oracle computed from the fake's own records, not from what the sync did.
 */
const SIZE = 2000;
let h: Harness;
let fake: FakeBambooHr;

beforeAll(async () => {
  h = await startHarness();
  fake = await startFakeBambooHr({ company: generateCompany({ seed: 2000, size: SIZE }) });
});
afterAll(async () => {
  await fake?.close();
  await h?.close();
});

const deps = () => syncDeps(h.db.db, fake);
const email = (p: BambooPerson) => p.workEmail.trim().toLowerCase();
const employed = (p: BambooPerson, today: string) => p.status === 'Active' && (p.terminationDate === '' || p.terminationDate > today);

interface Expected {
  /** Whether the person should have a managed user after the run. */
  inScope: boolean;
  employed: boolean;
}

/** product.md "People", from the HR records alone; people sharing an email are checked by invariants instead. */
function oracle(people: BambooPerson[], today: string, excludedLocations: string[] = []): Map<string, Expected> {
  const count = new Map<string, number>();
  for (const p of people) if (email(p)) count.set(email(p), (count.get(email(p)) ?? 0) + 1);
  const out = new Map<string, Expected>();
  for (const p of people) {
    if (!email(p) || count.get(email(p))! > 1) continue;
    const isEmployed = employed(p, today);
    out.set(p.id, { employed: isEmployed, inScope: isEmployed && !excludedLocations.includes(p.location) });
  }
  return out;
}

interface UserRow {
  id: string;
  user_name: string;
  active: boolean;
  doc: Record<string, any>;
}
async function usersOf(tenantId: string) {
  const rows = await query<UserRow>(h.db.db, 'select id, user_name, active, doc from users where tenant_id = $1', [tenantId]);
  return new Map(rows.map((u) => [u.doc[HR_URN]?.remoteId as string, u]));
}

async function expectNoDuplicates(tenantId: string) {
  const duplicates = await query(
    h.db.db,
    `select remote_id from users where tenant_id = $1 and remote_id is not null group by remote_id having count(*) > 1
     union all select lower(user_name) from users where tenant_id = $1 group by lower(user_name) having count(*) > 1`,
    [tenantId],
  );
  expect(duplicates).toEqual([]);
}

describe.each(['review', 'auto'] as const)('first sync of %s onboarding, 2,000 employees', (onboarding) => {
  let tenantId = '';
  let connectionId = '';

  it('creates exactly the people in scope, as candidates or invitations, with their managers', async () => {
    tenantId = onboarding === 'review' ? h.tenantId : (await createTenant(h.db.db, `auto-${SIZE}`)).id;
    connectionId = (await createConnection(deps(), tenantId, bambooConnectionBody(fake, { onboarding }))).id;
    const { run } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(run.state).toBe('succeeded');
    const users = await usersOf(tenantId);
    const people = new Map(fake.company.list().map((p) => [p.id, p]));
    let checked = 0;
    for (const [id, expected] of oracle([...people.values()], fake.company.today)) {
      const user = users.get(id);
      if (!expected.inScope) {
        expect(user, `person ${id} is out of scope`).toBeUndefined();
        continue;
      }
      checked++;
      const p = people.get(id)!;
      expect(user, `person ${id} has a user`).toBeDefined();
      expect(user!.user_name.toLowerCase()).toBe(email(p));
      expect(user!.doc[HR_URN]).toMatchObject({ lifecycle: onboarding === 'auto' ? 'invited' : 'candidate', management: 'managed' });
      expect(user!.active).toBe(onboarding === 'auto');
      const manager = p.supervisorEId ? users.get(p.supervisorEId) : undefined;
      expect(user!.doc[URN.enterpriseUser]?.manager?.value).toBe(manager?.id);
    }
    expect(checked).toBeGreaterThan(1500);
    await expectNoDuplicates(tenantId);
  });

  if (onboarding === 'auto') return;

  it('a second run follows hires, leavers, a manager change, an email change, a re-hire and a filter change', async () => {
    const today = fake.company.today;
    const list = fake.company.list();
    const users = await usersOf(tenantId);
    const managed = list.filter((p) => users.has(p.id));
    const [leaverPast, leaverFuture, moved, renamed, newManager] = managed.slice(100, 105);
    const formerlyGone = list.find((p) => !employed(p, today) && email(p) && !users.has(p.id) && !list.some((q) => q !== p && email(q) === email(p)))!;
    const hire = fake.company.hire({ firstName: 'Hana', lastName: 'Hire', workEmail: 'hana.hire@acme.test', supervisorEId: newManager!.id, location: 'Remote' });
    fake.company.terminate(leaverPast!.id, addDays(today, -3));
    fake.company.terminate(leaverFuture!.id, addDays(today, 30));
    fake.company.changeManager(moved!.id, newManager!.id);
    fake.company.changeEmail(renamed!.id, `renamed.${renamed!.id}@acme.test`);
    fake.company.rehire(formerlyGone.id, today);
    // The filter change: one location is no longer this tenant's.
    const dropped = managed.find((p) => employed(p, today) && p.location && ![leaverPast, leaverFuture, moved, renamed, newManager].includes(p))!.location;
    await updateConnection(deps(), tenantId, connectionId, { scope: [{ field: 'workLocation', op: 'notIn', values: [dropped] }], safetyThresholdPercent: 100 });

    const { run } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(run.state).toBe('succeeded');
    expect(run.counts.failed).toBe(0);
    const after = await usersOf(tenantId);
    const lifecycle = (id: string) => after.get(id)?.doc[HR_URN];

    expect(lifecycle(hire.id)).toMatchObject({ lifecycle: 'candidate', management: 'managed' });
    expect(after.get(hire.id)!.doc[URN.enterpriseUser].manager.value).toBe(after.get(newManager!.id)!.id);
    expect(after.get(leaverPast!.id)).toMatchObject({ active: false, doc: { [HR_URN]: { lifecycle: 'archived' } } });
    expect(lifecycle(leaverFuture!.id)).toMatchObject({ lifecycle: 'candidate', terminationDate: addDays(today, 30) });
    expect(after.get(moved!.id)!.doc[URN.enterpriseUser].manager.value).toBe(after.get(newManager!.id)!.id);
    expect(after.get(renamed!.id)!.user_name).toBe(`renamed.${renamed!.id}@acme.test`);
    expect(after.get(renamed!.id)!.id).toBe(users.get(renamed!.id)!.id);
    expect(lifecycle(formerlyGone.id)).toMatchObject({ lifecycle: 'candidate', management: 'managed' });

    // Everyone else, by the oracle: out of the filter → released (still active flag as before), in scope → managed.
    for (const [id, expected] of oracle(fake.company.list(), today)) {
      const user = after.get(id);
      const person = fake.company.get(id)!;
      if (!users.has(id) && !expected.inScope) expect(user).toBeUndefined();
      if (!user) continue;
      if (!expected.employed) expect(user.doc[HR_URN].lifecycle, `person ${id} left`).toBe('archived');
      else if (person.location === dropped) expect(user.doc[HR_URN].management, `person ${id} is filtered out`).toBe('released');
      else expect(user.doc[HR_URN].management, `person ${id} is managed`).toBe('managed');
    }
    await expectNoDuplicates(tenantId);
  });

  it('over SCIM, a write that changes an HR field of a managed user keeps the HR values (ignored by default); one that keeps them passes', async () => {
    const users = await usersOf(tenantId);
    const managedUser = [...users.values()].find((u) => u.doc[HR_URN]?.management === 'managed' && u.doc[HR_URN]?.lifecycle === 'candidate')!;
    const got = await h.http.get(`/scim/v2/Users/${managedUser.id}`).set('Authorization', `Bearer ${h.token}`);
    expect(got.status).toBe(200);
    const { meta: _meta, id: _id, groups: _groups, ...body } = got.body;

    const changed = await h.http
      .put(`/scim/v2/Users/${managedUser.id}`)
      .set('Authorization', `Bearer ${h.token}`)
      .set('Content-Type', SCIM)
      .send({ ...body, title: 'Self-promoted', name: { ...body.name, givenName: 'Someone' } });
    expect(changed.status).toBe(200);
    expect(changed.body.title).toBe(got.body.title);
    expect(changed.body.name.givenName).toBe(got.body.name.givenName);

    const same = await h.http
      .put(`/scim/v2/Users/${managedUser.id}`)
      .set('Authorization', `Bearer ${h.token}`)
      .set('Content-Type', SCIM)
      .send({ ...body, phoneNumbers: [{ value: '+49 30 1234567', type: 'work' }] });
    expect(same.status).toBe(200);
    expect(same.body.title).toBe(got.body.title);
    expect(same.body[HR_URN]).toMatchObject({ management: 'managed' });
  });
});
