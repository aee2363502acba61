import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URN } from '../../scim/schemas/urns.js';
import { createConnection, syncConnection } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { addDays } from '../fakes/shared/random.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, fakeNow, fastBambooHr } from '../support/sync-fixture.js';

/**
 * Team sync end to end on a generated org of 1,200 people, three reports per manager (eight levels
 * deep), with the quirks real accounts have (a manager who does not exist, leavers, shared emails):
 * enable after a preview, then moves, a manager leaving and coming back, a rename, the read-only
 * rule over SCIM and the admin API, and stop-and-edit. Expected teams come from the HR records.
 */
const SIZE = 1200;
const TEAM = URN.teamGroup;
let h: Harness;
let fake: FakeBambooHr;
let connectionId = '';
let adminAuth = '';

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: generateCompany({ seed: 1200, size: SIZE, span: 3 }) });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake), batchSize: 500 } });
  adminAuth = await bearerFor({ role: 'admin', tenant: 'acme' });
});
afterAll(async () => {
  await fake?.close();
  await h?.close();
});

const admin = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
  const req = h.http[method](`/admin/v1/tenants/acme${path}`).set('authorization', adminAuth);
  return body ? req.set('content-type', 'application/json').send(body) : req;
};
const scim = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object) => {
  const req = h.http[method](`/scim/v2${path}`).set('authorization', `Bearer ${h.token}`);
  return body ? req.set('content-type', SCIM).send(body) : req;
};
const sync = async (mode: 'apply' | 'preview' = 'apply') => {
  const { run } = await syncConnection(h.connections, h.tenantId, connectionId, { mode });
  expect(run.state).toBe('succeeded');
  return run;
};

interface Person {
  userId: string;
  displayName: string;
}
/** The in-scope people as the directory has them (user sync is tested elsewhere), by HR id. */
async function inScope(): Promise<Map<string, Person>> {
  const rows = await query<{ id: string; display_name: string; ext: Record<string, any> }>(
    h.db.db,
    `select id, display_name, doc -> $2::text as ext from users where tenant_id = $1`,
    [h.tenantId, HR_URN],
  );
  return new Map(
    rows.filter((r) => r.ext?.management === 'managed' && r.ext.lifecycle !== 'archived').map((r) => [r.ext.remoteId as string, { userId: r.id, displayName: r.display_name }]),
  );
}

interface Expected {
  teams: Map<string, { manager: string; members: Set<string>; parent: string | null }>;
  unassigned: Set<string>;
}
/** product.md "Teams", from the fake's records: supervisorEId is the manager's HR id. */
function expectedTeams(people: Map<string, Person>): Expected {
  const managerOf = new Map(fake.company.list().map((p) => [p.id, p.supervisorEId || null]));
  const teams: Expected['teams'] = new Map();
  const unassigned = new Set<string>();
  const hasReports = new Set([...people.keys()].filter((id) => [...people.keys()].some((r) => managerOf.get(r) === id)));
  for (const [id, person] of people) {
    const m = managerOf.get(id);
    if (m && people.has(m)) {
      const grand = managerOf.get(m);
      const team = teams.get(m) ?? { manager: people.get(m)!.userId, members: new Set<string>(), parent: grand && people.has(grand) ? grand : null };
      team.members.add(person.userId);
      teams.set(m, team);
    } else if (m || !hasReports.has(id)) unassigned.add(person.userId);
  }
  return { teams, unassigned };
}

interface TeamRow {
  id: string;
  display_name: string;
  team_key: string | null;
  connection_id: string | null;
  version: number;
  doc: Record<string, any>;
}
async function teams() {
  const groups = await query<TeamRow>(h.db.db, 'select id, display_name, team_key, connection_id, version, doc from groups where tenant_id = $1', [h.tenantId]);
  const members = await query<{ group_id: string; member_id: string }>(h.db.db, 'select group_id, member_id from group_members where tenant_id = $1', [h.tenantId]);
  const membersOf = new Map<string, Set<string>>();
  for (const m of members) membersOf.set(m.group_id, (membersOf.get(m.group_id) ?? new Set()).add(m.member_id));
  return groups.map((g) => ({ ...g, members: membersOf.get(g.id) ?? new Set<string>() }));
}

/** Every team is the expected one: reviewer, members, parent, name; Unassigned holds exactly the rest. */
async function expectTeamsMatchHr() {
  const people = await inScope();
  const expected = expectedTeams(people);
  const found = await teams();
  const byKey = new Map(found.map((t) => [t.team_key, t]));
  expect(found.filter((t) => t.connection_id === connectionId)).toHaveLength(expected.teams.size + (expected.unassigned.size ? 1 : 0));
  for (const [managerRemote, team] of expected.teams) {
    const row = byKey.get(`manager:${managerRemote}`);
    expect(row, `team of ${managerRemote}`).toBeDefined();
    const ext = row!.doc[TEAM];
    expect(ext).toMatchObject({ kind: 'team', management: 'managed', manager: { value: team.manager }, connection: { value: connectionId } });
    expect([...row!.members].sort()).toEqual([...team.members].sort());
    expect(ext.parent?.value ?? null).toBe(team.parent ? byKey.get(`manager:${team.parent}`)!.id : null);
    const manager = people.get(managerRemote)!.displayName;
    expect(row!.display_name.startsWith(`${manager}'s team`)).toBe(true);
  }
  const unassigned = byKey.get('unassigned');
  expect([...(unassigned?.members ?? [])].sort()).toEqual([...expected.unassigned].sort());
  return { people, expected, byKey };
}

const maxSeq = async () => Number((await query<{ n: string | null }>(h.db.db, 'select max(seq) as n from change_events', []))[0]!.n ?? 0);
const groupCount = async () => Number((await query<{ n: string }>(h.db.db, 'select count(*) as n from groups where tenant_id = $1', [h.tenantId]))[0]!.n);

describe('team sync from the HR manager hierarchy, 1,200 people, eight levels', () => {
  let handMade = '';

  it('syncs the users first; the tenant has teams made by hand', async () => {
    // Two managers with one name: their teams' names must still differ.
    const [a, b] = ['2', '3'].map((id) => fake.company.get(id)!);
    fake.company.update(b!.id, { firstName: a!.firstName, lastName: a!.lastName, preferredName: a!.preferredName });
    connectionId = (await createConnection(h.connections, h.tenantId, bambooConnectionBody(fake, { onboarding: 'auto' }))).id;
    await sync();
    const created = await scim('post', '/Groups', { schemas: [URN.group], displayName: 'Made by hand' });
    expect(created.status).toBe(201);
    handMade = created.body.id;
    expect((await scim('post', '/Groups', { schemas: [URN.group], displayName: 'Another' })).status).toBe(201);
  });

  it('previews enabling without writing anything: the teams with members, and the teams it removes', async () => {
    const [seq, groups] = [await maxSeq(), await groupCount()];
    const res = await admin('post', `/connections/${connectionId}/team-sync/preview`, {});
    expect(res.status).toBe(200);
    const people = await inScope();
    const expected = expectedTeams(people);
    expect(res.body.counts).toMatchObject({ teamsCreated: expected.teams.size + 1, teamsRemoved: 2, unassigned: expected.unassigned.size });
    expect(res.body.removed.map((r: { displayName: string }) => r.displayName).sort()).toEqual(['Another', 'Made by hand']);
    const ceo = res.body.teams.find((t: { key: string }) => t.key === 'manager:1');
    expect(ceo).toMatchObject({ kind: 'team', parent: null, manager: { id: people.get('1')!.userId } });
    expect(ceo.members.map((m: { id: string }) => m.id).sort()).toEqual([...expected.teams.get('1')!.members].sort());
    expect([await maxSeq(), await groupCount()]).toEqual([seq, groups]);
    expect((await admin('get', `/connections/${connectionId}/team-sync`)).body).toMatchObject({ enabled: false, strategy: 'manager', nameTemplate: "{manager}'s team" });
  });

  it('enables only when confirmed, replacing the tenant’s teams through the change feed', async () => {
    expect((await admin('post', `/connections/${connectionId}/team-sync/enable`, {})).status).toBe(400);
    const seq = await maxSeq();
    const res = await admin('post', `/connections/${connectionId}/team-sync/enable`, { confirm: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enabled: true, enabledBy: 'admin:admin-acme' });
    const { expected, byKey } = await expectTeamsMatchHr();
    expect(byKey.has(null)).toBe(false);
    // Deep enough to matter, and the quirks put people in Unassigned.
    let depth = 0;
    for (let at = byKey.get('manager:1200') ?? [...byKey.values()].at(-1); at?.doc[TEAM].parent; depth++) at = [...byKey.values()].find((t) => t.id === at!.doc[TEAM].parent.value);
    expect(depth).toBeGreaterThanOrEqual(5);
    expect(expected.unassigned.size).toBeGreaterThan(0);
    const events = await query<{ type: string; n: string }>(h.db.db, 'select type, count(*) as n from change_events where seq > $1 group by type', [seq]);
    const byType = Object.fromEntries(events.map((e) => [e.type, Number(e.n)]));
    const memberships = [...expected.teams.values()].reduce((n, t) => n + t.members.size, 0) + expected.unassigned.size;
    expect(byType).toMatchObject({ 'group.deleted': 2, 'group.created': expected.teams.size + 1, 'group.member_added': memberships });
    // The two managers with one name.
    const [two, three] = [byKey.get('manager:2')!, byKey.get('manager:3')!];
    expect(two.display_name.toLowerCase()).not.toBe(three.display_name.toLowerCase());
    expect(three.display_name).toMatch(/ \(\d+\)$/);
  });

  it('shows teams over SCIM with the team extension, filterable, advertised in discovery', async () => {
    const { byKey } = await expectTeamsMatchHr();
    const ceoTeam = byKey.get('manager:2')!;
    const got = await scim('get', `/Groups/${ceoTeam.id}`);
    expect(got.status).toBe(200);
    expect(got.body.schemas).toContain(TEAM);
    expect(got.body[TEAM]).toMatchObject({ kind: 'team', manager: { $ref: expect.stringMatching(/\/Users\/[0-9a-f-]+$/) }, parent: { value: byKey.get('manager:1')!.id, $ref: expect.stringMatching(/\/Groups\//) } });
    const filter = encodeURIComponent(`${TEAM}:kind eq "unassigned"`);
    const listed = await scim('get', `/Groups?filter=${filter}&excludedAttributes=members`);
    expect(listed.body.totalResults).toBe(1);
    expect(listed.body.Resources[0].displayName).toBe('Unassigned');
    const adminListed = await admin('get', `/groups?filter=${filter}`);
    expect(adminListed.body.items).toMatchObject([{ displayName: 'Unassigned', team: { kind: 'unassigned', management: 'managed', connectionId, managerId: null } }]);
    const byManager = await scim('get', `/Groups?filter=${encodeURIComponent(`${TEAM}:manager.value eq "${ceoTeam.doc[TEAM].manager.value}"`)}&excludedAttributes=members`);
    expect(byManager.body.Resources.map((r: { id: string }) => r.id)).toEqual([ceoTeam.id]);
    const schemas = await scim('get', `/Schemas/${TEAM}`);
    expect(schemas.status).toBe(200);
    const types = await scim('get', '/ResourceTypes/Group');
    expect(types.body.schemaExtensions).toEqual([{ schema: TEAM, required: false }]);
  });

  it('keeps managed teams read-only over SCIM and the admin API: 400 mutability naming the connection', async () => {
    const { byKey, people } = await expectTeamsMatchHr();
    const team = byKey.get('manager:1')!;
    const someone = people.get('5')!.userId;
    const attempts = [
      scim('patch', `/Groups/${team.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: someone }] }] }),
      scim('patch', `/Groups/${team.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] }),
      scim('put', `/Groups/${team.id}`, { schemas: [URN.group], displayName: team.display_name }),
      scim('delete', `/Groups/${team.id}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ scimType: 'mutability', detail: expect.stringContaining(connectionId) });
    }
    for (const res of [await admin('patch', `/groups/${team.id}`, { removeMembers: [[...team.members][0]] }), await admin('delete', `/groups/${team.id}`)]) {
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('mutability');
      expect(JSON.stringify(res.body)).toContain(connectionId);
    }
    const after = (await teams()).find((t) => t.id === team.id)!;
    expect([after.version, after.display_name, after.members.size]).toEqual([team.version, team.display_name, team.members.size]);
  });

  it('a preview run shows the team changes of a move and writes none', async () => {
    const mover = fake.company.list().find((p) => p.supervisorEId === '10' && p.status === 'Active' && p.workEmail)!;
    fake.company.changeManager(mover.id, '11');
    const [seq, before] = [await maxSeq(), await teams()];
    const run = await sync('preview');
    expect(run.counts).toMatchObject({ update: 1, teamMembersAdded: 1, teamMembersRemoved: 1, teamsCreated: 0, teamsRemoved: 0 });
    const shown = await admin('get', `/runs/${run.id}?operations=true`);
    expect(shown.body.teams).toMatchObject({ counts: { teamMembersAdded: 1 }, created: [], renamed: [], removed: [] });
    expect(await maxSeq()).toBe(seq);
    expect((await teams()).map((t) => [t.id, t.version])).toEqual(before.map((t) => [t.id, t.version]));
  });

  it('moves a person to their new manager’s team on the next run', async () => {
    const run = await sync();
    expect(run.counts).toMatchObject({ teamMembersAdded: 1, teamMembersRemoved: 1 });
    await expectTeamsMatchHr();
  });

  let leaver = '';
  let leaverTeam = '';
  it('dissolves the team of a manager who leaves; the reports go to Unassigned (their manager is out of scope)', async () => {
    const people = await inScope();
    leaver = fake.company.list().find((p) => Number(p.id) > 40 && people.has(p.id) && fake.company.list().filter((r) => r.supervisorEId === p.id && people.has(r.id)).length >= 2)!.id;
    leaverTeam = (await teams()).find((t) => t.team_key === `manager:${leaver}`)!.id;
    fake.company.terminate(leaver, addDays(fake.company.today, -1));
    const run = await sync();
    expect(run.counts).toMatchObject({ archive: 1, teamsRemoved: 1 });
    const { byKey, expected } = await expectTeamsMatchHr();
    expect(byKey.has(`manager:${leaver}`)).toBe(false);
    const reports = fake.company.list().filter((r) => r.supervisorEId === leaver && people.has(r.id)).map((r) => people.get(r.id)!.userId);
    for (const r of reports) expect(expected.unassigned.has(r)).toBe(true);
  });

  it('places the reports with their new manager when HR reassigns them', async () => {
    const reports = fake.company.list().filter((r) => r.supervisorEId === leaver);
    for (const r of reports) fake.company.changeManager(r.id, '1');
    await sync();
    const { byKey } = await expectTeamsMatchHr();
    const ceoMembers = byKey.get('manager:1')!.members;
    const people = await inScope();
    for (const r of reports) if (people.has(r.id)) expect(ceoMembers.has(people.get(r.id)!.userId)).toBe(true);
  });

  it('a re-hired manager with reports gets a team again', async () => {
    fake.company.rehire(leaver);
    const report = fake.company.list().find((r) => r.supervisorEId === '1' && r.status === 'Active' && r.workEmail && r.id !== leaver)!;
    fake.company.changeManager(report.id, leaver);
    await sync();
    const { byKey } = await expectTeamsMatchHr();
    expect(byKey.get(`manager:${leaver}`)!.id).not.toBe(leaverTeam);
  });

  it('renames a team when its manager’s name changes in HR, keeping its id', async () => {
    const before = (await teams()).find((t) => t.team_key === 'manager:4')!;
    fake.company.update('4', { preferredName: '', firstName: 'Zebulon', lastName: 'Quartermain' });
    const run = await sync();
    expect(run.counts).toMatchObject({ teamsUpdated: expect.any(Number) });
    const after = (await teams()).find((t) => t.team_key === 'manager:4')!;
    expect([after.id, after.display_name]).toEqual([before.id, "Zebulon Quartermain's team"]);
    // Teams whose parent is that team show the new name too.
    const children = (await teams()).filter((t) => t.doc[TEAM]?.parent?.value === after.id);
    expect(children.length).toBeGreaterThan(0);
    for (const c of children) expect(c.doc[TEAM].parent.display).toBe("Zebulon Quartermain's team");
    await expectTeamsMatchHr();
  });

  it('a client cannot make a group a team: the team extension it sends is ignored', async () => {
    const forged = await scim('post', '/Groups', {
      schemas: [URN.group, TEAM],
      displayName: 'Forged',
      [TEAM]: { kind: 'team', management: 'managed', connection: { value: connectionId, display: 'bamboohr' } },
    });
    expect(forged.status).toBe(201);
    expect(forged.body[TEAM]).toBeUndefined();
    expect((await scim('delete', `/Groups/${forged.body.id}`)).status).toBe(204);
  });

  it('stops: the teams stay, released and editable; runs no longer touch them', async () => {
    const res = await admin('post', `/connections/${connectionId}/team-sync/disable`);
    expect(res.status).toBe(200);
    const found = await teams();
    expect(res.body).toMatchObject({ enabled: false, released: found.length });
    expect(found.every((t) => t.connection_id === null && t.team_key === null && t.doc[TEAM].management === 'released')).toBe(true);
    const team = found.find((t) => t.display_name === "Zebulon Quartermain's team")!;
    const renamed = await scim('patch', `/Groups/${team.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'displayName', value: 'Platform' }] });
    expect(renamed.status).toBe(204);
    const shown = await scim('get', `/Groups/${team.id}?excludedAttributes=members`);
    expect(shown.body).toMatchObject({ displayName: 'Platform', [TEAM]: { kind: 'team', management: 'released' } });
    const put = await scim('put', `/Groups/${team.id}`, { schemas: [URN.group], displayName: 'Platform team' });
    expect(put.status).toBe(200);
    expect(put.body[TEAM]).toMatchObject({ management: 'released' });
    expect((await admin('delete', `/groups/${found.find((t) => t.team_key === null && t.display_name === 'Unassigned')!.id}`)).status).toBe(204);
    fake.company.update('4', { firstName: 'Yorick' });
    const run = await sync();
    expect(run.counts.teams).toBeUndefined();
    expect((await teams()).find((t) => t.id === team.id)!.display_name).toBe('Platform team');
    expect(handMade).not.toBe('');
  });
});
