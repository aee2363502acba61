import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URN } from '../../scim/schemas/urns.js';
import { createConnection, syncConnection } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, fakeNow, fastBambooHr } from '../support/sync-fixture.js';

/**
 * Team sync by department, in the harness's second tenant: settings refused and saved, enabling,
 * a template change, and disconnect releasing the teams. The first tenant's groups stay untouched.
 */
const TEAM = URN.teamGroup;
let h: Harness;
let fake: FakeBambooHr;
let handMadeElsewhere = '';

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: generateCompany({ seed: 600, size: 600, span: 4 }) });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake), batchSize: 500 } });
  const res = await h.http
    .post('/scim/v2/Groups')
    .set('authorization', `Bearer ${h.token}`)
    .set('content-type', SCIM)
    .send({ schemas: [URN.group], displayName: 'Made by hand in acme' });
  handMadeElsewhere = res.body.id;
});
afterAll(async () => {
  await fake?.close();
  await h?.close();
});

describe('team sync by department, in another tenant: settings, a template change, disconnect', () => {
  let globexAuth = '';
  let globexConnection = '';
  const globex = (method: 'get' | 'post' | 'patch', path: string, body?: object) => {
    const req = h.http[method](`/admin/v1/tenants/globex${path}`).set('authorization', globexAuth);
    return body ? req.set('content-type', 'application/json').send(body) : req;
  };
  const globexTeams = async () =>
    query<{ id: string; display_name: string; team_key: string | null; connection_id: string | null; doc: Record<string, any>; members: string[] }>(
      h.db.db,
      `select g.id, g.display_name, g.team_key, g.connection_id, g.doc, coalesce(array(select gm.member_id::text from group_members gm where gm.group_id = g.id order by 1), '{}') as members
        from groups g where g.tenant_id = $1`,
      [h.other.tenantId],
    );

  it('refuses unknown settings, then saves a strategy without turning team sync on', async () => {
    globexAuth = await bearerFor({ role: 'admin', tenant: 'globex' });
    globexConnection = (await createConnection(h.connections, h.other.tenantId, bambooConnectionBody(fake, { onboarding: 'auto' }))).id;
    await syncConnection(h.connections, h.other.tenantId, globexConnection, { mode: 'apply' });
    for (const bad of [{ strategy: 'location' }, { nameTemplate: '{boss}' }, { enabled: true }]) {
      expect((await globex('patch', `/connections/${globexConnection}/team-sync`, bad)).status).toBe(400);
    }
    const saved = await globex('patch', `/connections/${globexConnection}/team-sync`, { strategy: 'department' });
    expect(saved.body).toMatchObject({ enabled: false, strategy: 'department', nameTemplate: '{department}' });
    expect(await globexTeams()).toEqual([]);
  });

  it('enables: a team per department, reviewed by its highest member', async () => {
    expect((await globex('post', `/connections/${globexConnection}/team-sync/enable`, { confirm: true })).status).toBe(200);
    const users = await query<{ id: string; department: string | null }>(
      h.db.db,
      `select id, doc -> $2::text ->> 'department' as department from users where tenant_id = $1 and doc -> $3::text ->> 'lifecycle' <> 'archived'`,
      [h.other.tenantId, URN.enterpriseUser, HR_URN],
    );
    const expected = new Map<string, string[]>();
    for (const u of users) if (u.department) expected.set(u.department, [...(expected.get(u.department) ?? []), u.id]);
    const found = await globexTeams();
    expect(found.map((t) => t.display_name).sort()).toEqual([...expected.keys()].sort());
    for (const t of found) {
      expect(t.doc[TEAM]).toMatchObject({ kind: 'department', key: `department:${t.display_name.toLowerCase()}` });
      expect(t.members.sort()).toEqual(expected.get(t.display_name)!.sort());
      expect(t.members).toContain(t.doc[TEAM].manager.value);
    }
    // Another tenant's groups are no team's business.
    expect(await query(h.db.db, 'select id from groups where tenant_id = $1', [h.tenantId])).toEqual([{ id: handMadeElsewhere }]);
  });

  it('a second connection of the tenant cannot turn team sync on while the first has it', async () => {
    const second = (await createConnection(h.connections, h.other.tenantId, bambooConnectionBody(fake))).id;
    const res = await globex('post', `/connections/${second}/team-sync/enable`, { confirm: true });
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.body)).toContain(globexConnection);
  });

  it('a new name template renames every team on the next run', async () => {
    await globex('patch', `/connections/${globexConnection}/team-sync`, { nameTemplate: 'Dept. {department}' });
    const before = await globexTeams();
    const { run } = await syncConnection(h.connections, h.other.tenantId, globexConnection, { mode: 'apply' });
    expect(run.counts).toMatchObject({ teamsUpdated: before.length, teamsCreated: 0, teamsRemoved: 0 });
    const after = await globexTeams();
    expect(after.map((t) => [t.id, t.display_name]).sort()).toEqual(before.map((t) => [t.id, `Dept. ${t.display_name}`]).sort());
  });

  it('disconnecting releases the teams: they stay, editable', async () => {
    const res = await globex('post', `/connections/${globexConnection}/disconnect`, { mode: 'keep' });
    expect(res.status).toBe(200);
    const found = await globexTeams();
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((t) => t.connection_id === null && t.doc[TEAM].management === 'released')).toBe(true);
    const edited = await h.http
      .patch(`/admin/v1/tenants/globex/groups/${found[0]!.id}`)
      .set('authorization', globexAuth)
      .set('content-type', 'application/json')
      .send({ displayName: 'Renamed by hand' });
    expect(edited.status).toBe(200);
    expect((await globex('get', `/connections/${globexConnection}/team-sync`)).body).toMatchObject({ enabled: false });
  });
});
