import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { bearerFor, USER_SCHEMA } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, fastBambooHr, fakeNow } from '../support/sync-fixture.js';

/**
 * People and candidates at scale, over HTTP: a few thousand candidates from a (fake, loopback)
 * BambooHR, walked by cursor with invitations landing meanwhile; bulk invitations by ids and by
 * filter, with another tenant's ids and people who are no longer candidates mixed in; and a run's
 * operations and skipped records, a page at a time.
 */
const SIZE = 2_400;
let h: Harness;
let fake: FakeBambooHr;
let globexFake: FakeBambooHr;
let admin: string;
let auditor: string;
let globexAdmin: string;
const acme = '/admin/v1/tenants/acme';
const globex = '/admin/v1/tenants/globex';
const state = { connectionId: '', runId: '', globexConnectionId: '' };

const as = (bearer: string) => ({
  get: (path: string, query: Record<string, string> = {}) => h.http.get(path).query(query).set('authorization', bearer),
  post: (path: string, body?: object) => h.http.post(path).set('authorization', bearer).send(body ?? {}),
});

const candidateIds = async (tenantId: string) =>
  (await rows<{ id: string }>(h.db.db, sql`select id from users where tenant_id = ${tenantId} and lifecycle = 'candidate' order by id`)).map((r) => r.id);

const inviteEvents = async (ids: string[]) =>
  rows<{ resource_id: string; n: number }>(
    h.db.db,
    sql`select resource_id, count(*)::int as n from change_events where type = 'user.invited' and resource_id = any(${`{${ids.join(',')}}`}::uuid[]) group by resource_id`,
  );

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: generateCompany({ seed: 2024, size: SIZE }) });
  globexFake = await startFakeBambooHr({ company: scenarioCompany({ domain: 'globex' }) });
  h = await startHarness({
    // Each connection reaches its own fake through its base URL.
    sync: { connectors: fastBambooHr(fake), now: fakeNow(fake) },
  });
  admin = await bearerFor({ role: 'admin', tenant: 'acme' }, 'alice');
  auditor = await bearerFor({ role: 'auditor', tenant: 'acme' }, 'ada');
  globexAdmin = await bearerFor({ role: 'admin', tenant: 'globex' }, 'gus');
  const connected = await as(admin).post(`${acme}/connections`, bambooConnectionBody(fake, { onboarding: 'review', safetyThresholdPercent: 100 }));
  expect(connected.status).toBe(201);
  state.connectionId = connected.body.id;
  const synced = await as(admin).post(`${acme}/connections/${state.connectionId}/sync?wait=true`);
  expect(synced.body.state).toBe('succeeded');
  state.runId = synced.body.id;
  const other = await as(globexAdmin).post(`${globex}/connections`, bambooConnectionBody(globexFake, { onboarding: 'review' }));
  state.globexConnectionId = other.body.id;
  expect((await as(globexAdmin).post(`${globex}/connections/${state.globexConnectionId}/sync?wait=true`)).body.state).toBe('succeeded');
}, 240_000);
afterAll(async () => {
  await h?.close();
  await fake?.close();
  await globexFake?.close();
});

async function walk(query: Record<string, string>, between?: (page: number) => Promise<unknown>) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const [res] = await Promise.all([as(auditor).get(`${acme}/people`, { ...query, ...(cursor ? { cursor } : {}) }), between?.(page)]);
    expect(res.status).toBe(200);
    seen.push(...res.body.items.map((u: { id: string }) => u.id));
    cursor = res.body.next ?? undefined;
    if (!cursor) return seen;
  }
  throw new Error('the walk did not end');
}

describe('candidates by cursor', () => {
  it('walks every candidate once, in order, whatever the page size', async () => {
    const expected = await candidateIds(h.tenantId);
    expect(expected.length).toBeGreaterThan(2000);
    for (const limit of ['500', '137']) {
      const seen = await walk({ lifecycle: 'candidate', limit });
      expect(seen).toEqual(expected);
    }
    const first = await as(auditor).get(`${acme}/people`, { lifecycle: 'candidate', limit: '100' });
    expect(first.body).toMatchObject({ total: expected.length, totalExact: true, previous: null });
    expect(first.body.items[0]).toMatchObject({ lifecycle: 'candidate', source: 'hr', management: 'managed', connectionId: state.connectionId });
    // The last page, then backwards: the same people, from the end.
    const last = await as(auditor).get(`${acme}/people`, { lifecycle: 'candidate', limit: '100', cursor: first.body.last });
    expect(last.body.items.map((u: { id: string }) => u.id)).toEqual(expected.slice(-100));
    expect(last.body).toMatchObject({ next: null, last: null });
    const before = await as(auditor).get(`${acme}/people`, { lifecycle: 'candidate', limit: '100', cursor: last.body.previous });
    expect(before.body.items.map((u: { id: string }) => u.id)).toEqual(expected.slice(-200, -100));
    // Only this tenant's people, and only through its own connections.
    expect((await as(auditor).get(`${acme}/people`, { connection: state.globexConnectionId })).status).toBe(404);
  });

  it('stays whole while people are invited during the walk: no one twice, no candidate missed', async () => {
    const before = await candidateIds(h.tenantId);
    const invitedMeanwhile = new Set<string>();
    // Invitations race each page request, some behind the walk's position and some ahead of it.
    const seen = await walk({ lifecycle: 'candidate', limit: '200' }, async (page) => {
      const ids = [before[page * 200 + 10]!, before[before.length - 1 - page * 15]!].filter(Boolean);
      const res = await as(admin).post(`${acme}/candidates/invite`, { ids });
      expect(res.status).toBe(200);
      for (const id of ids) invitedMeanwhile.add(id);
    });
    expect(new Set(seen).size).toBe(seen.length);
    const after = await candidateIds(h.tenantId);
    // Everyone who stayed a candidate throughout was seen; everyone seen was a candidate when the walk began.
    for (const id of after) expect(seen).toContain(id);
    for (const id of seen) expect(before).toContain(id);
    expect(after.length).toBe(before.length - invitedMeanwhile.size);
  });

  it('refuses a cursor it did not hand out', async () => {
    const res = await as(auditor).get(`${acme}/people`, { cursor: 'bm90IGEgY3Vyc29y' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('bulk invitations', () => {
  it('invites by ids; skips, with the reason, people no longer candidates, unknown ids and another tenant’s', async () => {
    const [a, b, c, alreadyInvited] = (await candidateIds(h.tenantId)).slice(0, 4);
    expect((await as(admin).post(`${acme}/users/${alreadyInvited}/invite`)).status).toBe(200);
    const [globexCandidate] = await candidateIds(h.other.tenantId);
    const stranger = randomUUID();
    const res = await as(admin).post(`${acme}/candidates/invite`, { ids: [a, b, c, a, alreadyInvited, globexCandidate, stranger, 'not-an-id'] });
    expect(res.status).toBe(200);
    expect(res.body.invited).toBe(3);
    expect(res.body.skipped).toEqual(
      expect.arrayContaining([
        { id: alreadyInvited, reason: 'not_candidate', detail: expect.stringContaining('invited') },
        { id: globexCandidate, reason: 'not_found', detail: expect.any(String) },
        { id: stranger, reason: 'not_found', detail: expect.any(String) },
        { id: 'not-an-id', reason: 'not_found', detail: expect.any(String) },
      ]),
    );
    expect(res.body.skipped).toHaveLength(4);
    // The other tenant's candidate is untouched.
    expect(await candidateIds(h.other.tenantId)).toContain(globexCandidate);
    // One user.invited event per invited person, none for the rest.
    const events = await inviteEvents([a!, b!, c!, globexCandidate!]);
    expect(events.sort((x, y) => x.resource_id.localeCompare(y.resource_id))).toEqual([a, b, c].sort().map((id) => ({ resource_id: id, n: 1 })));
    const lifecycles = await as(auditor).get(`${acme}/people`, { lifecycle: 'invited', limit: '500' });
    for (const id of [a, b, c]) expect(lifecycles.body.items.map((u: { id: string }) => u.id)).toContain(id);
    // One audit entry for the request, with the counts.
    const audit = await as(auditor).get(`${acme}/audit`, { action: 'user.invite' });
    expect(audit.body.items[0]).toMatchObject({ actor: 'admin:alice', action: 'user.invite', detail: { invited: 3, skipped: 4, requested: 8 } });
  });

  it('invites by filter: a department, then every candidate of the connection, 500 a transaction', async () => {
    const departments = await rows<{ department: string; n: number }>(
      h.db.db,
      sql`select doc -> 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' ->> 'department' as department, count(*)::int as n
        from users where tenant_id = ${h.tenantId} and lifecycle = 'candidate' group by 1 having count(*) > 5 order by 2 desc limit 1`,
    );
    const { department, n } = departments[0]!;
    const listed = await as(auditor).get(`${acme}/people`, { lifecycle: 'candidate', department, limit: '500' });
    // Matched on the document, so not counted: the page says what it has.
    expect(listed.body).toMatchObject({ total: null, totalExact: false, next: null });
    expect(listed.body.items).toHaveLength(n);
    const byDepartment = await as(admin).post(`${acme}/candidates/invite`, { filter: { connection: state.connectionId, department } });
    expect(byDepartment.body).toEqual({ invited: n, skipped: [] });
    expect((await inviteEvents(listed.body.items.map((u: { id: string }) => u.id))).every((e) => e.n === 1)).toBe(true);
    expect((await as(auditor).get(`${acme}/people`, { lifecycle: 'candidate', department })).body.items).toEqual([]);

    const remaining = await candidateIds(h.tenantId);
    expect(remaining.length).toBeGreaterThan(1000);
    const all = await as(admin).post(`${acme}/candidates/invite`, { filter: { connection: state.connectionId } });
    expect(all.body).toEqual({ invited: remaining.length, skipped: [] });
    expect(await candidateIds(h.tenantId)).toEqual([]);
    const events = await inviteEvents(remaining);
    expect(events).toHaveLength(remaining.length);
    expect(events.every((e) => e.n === 1)).toBe(true);
    // Globex's candidates were never in reach.
    expect((await candidateIds(h.other.tenantId)).length).toBeGreaterThan(0);
    const audit = await as(auditor).get(`${acme}/audit`, { action: 'user.invite', limit: '1' });
    expect(audit.body.items[0].detail).toMatchObject({ invited: remaining.length, skipped: 0, filter: { connection: state.connectionId } });
  });

  it('refuses a body with both or neither, another tenant’s connection, and auditors', async () => {
    for (const body of [{}, { ids: [randomUUID()], filter: {} }, { ids: [] }, { filter: { team: 'x' } }]) {
      const res = await as(admin).post(`${acme}/candidates/invite`, body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await as(admin).post(`${acme}/candidates/invite`, { filter: { connection: state.globexConnectionId } })).status).toBe(404);
    expect((await as(auditor).post(`${acme}/candidates/invite`, { filter: {} })).status).toBe(403);
    expect((await as(admin).post(`${globex}/candidates/invite`, { filter: {} })).status).toBe(403);
  });
});

describe("a run's operations and skipped records", () => {
  it('pages every operation of a kind once, and says who was skipped and why', async () => {
    const run = (await as(auditor).get(`${acme}/runs/${state.runId}`)).body;
    expect(run.counts.create).toBeGreaterThan(2000);
    expect(run.counts.skipped).toBeGreaterThan(0);
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const res = await as(auditor).get(`${acme}/runs/${state.runId}/operations`, { kind: 'create', limit: '500', ...(cursor ? { cursor } : {}) });
      for (const op of res.body.items) {
        expect(op).toMatchObject({ kind: 'create', lifecycle: 'candidate', reason: expect.any(String) });
        seen.add(op.remoteId);
      }
      cursor = res.body.next ?? undefined;
    } while (cursor);
    expect(seen.size).toBe(run.counts.create);

    const skipped = await as(auditor).get(`${acme}/runs/${state.runId}/operations`, { kind: 'skipped', limit: '500' });
    expect(skipped.body.items).toHaveLength(run.counts.skipped);
    expect(skipped.body.items.map((s: { reason: string }) => s.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/^no longer employed/), expect.stringMatching(/no work email/)]));
    // The compatible form still carries every operation; another tenant's run is not found.
    expect((await as(auditor).get(`${acme}/runs/${state.runId}`, { operations: 'true' })).body.operations).toHaveLength(run.counts.create);
    expect((await as(globexAdmin).get(`${globex}/runs/${state.runId}/operations`)).status).toBe(404);
    expect((await as(auditor).get(`${acme}/runs/${state.runId}/operations`, { kind: 'nonsense' })).status).toBe(400);
  });
});

describe('the People list filters on typed columns', () => {
  it('shows a deactivated SCIM user as archived, from the identity provider', async () => {
    const created = await h.http
      .post('/scim/v2/Users')
      .set('authorization', `Bearer ${h.token}`)
      .set('content-type', 'application/scim+json')
      .send({ schemas: [USER_SCHEMA], userName: 'leaver@acme.test', active: true });
    expect(created.status).toBe(201);
    const patched = await h.http
      .patch(`/scim/v2/Users/${created.body.id}`)
      .set('authorization', `Bearer ${h.token}`)
      .set('content-type', 'application/scim+json')
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(patched.status).toBe(200);
    const archived = await as(auditor).get(`${acme}/people`, { lifecycle: 'archived', source: 'scim' });
    expect(archived.body.items).toEqual([expect.objectContaining({ id: created.body.id, lifecycle: 'archived', source: 'scim', management: 'manual', active: false })]);
    const found = await as(auditor).get(`${acme}/people`, { search: 'LEAVER' });
    expect(found.body.items.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    expect((await as(auditor).get(`${acme}/people`, { search: '%' })).body.items).toEqual([]);
  });
});
