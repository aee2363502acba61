import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

/**
 * The exact change events and versions the SCIM write paths record: type, source, payload and
 * order. The write statements are hand-written for speed; this pins what they must keep doing.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let h: Harness;
let source: { kind: string; id: string };
const auth = { authorization: '', 'content-type': SCIM };
let seen = 0;

interface Event {
  type: string;
  resource_type: string;
  resource_id: string | null;
  source: unknown;
  payload: Record<string, unknown>;
}
/** Events recorded since the previous call, in feed order. */
async function newEvents(): Promise<Event[]> {
  const found = await rows<Event & { seq: number }>(
    h.db.db,
    sql`select seq::int as seq, type, resource_type, resource_id, source, payload from change_events where tenant_id = ${h.tenantId} and seq > ${seen} order by seq`,
  );
  if (found.length) seen = found.at(-1)!.seq;
  return found.map(({ seq: _, ...e }) => e);
}

beforeAll(async () => {
  h = await startHarness();
  auth.authorization = `Bearer ${h.token}`;
  const [token] = await rows<{ id: string }>(h.db.db, sql`select id from scim_tokens where tenant_id = ${h.tenantId}`);
  source = { kind: 'token', id: token!.id };
  await newEvents();
});
afterAll(() => h.close());

const newUser = async (userName: string) => {
  const res = await h.http.post('/scim/v2/Users').set(auth).send({ schemas: [USER], userName, title: 'Engineer' });
  expect(res.status).toBe(201);
  return res.body as { id: string };
};

describe('users', () => {
  it('create, PATCH, a PATCH that changes nothing, PUT', async () => {
    const { id } = await newUser('events@example.test');
    const doc = { schemas: [USER], userName: 'events@example.test', title: 'Engineer' };
    expect(await newEvents()).toEqual([
      { type: 'user.created', resource_type: 'User', resource_id: id, source, payload: { resource: { id, ...doc }, version: 1, changed: ['title', 'userName'] } },
    ]);
    const replaceTitle = (value: string) =>
      h.http.patch(`/scim/v2/Users/${id}`).set(auth).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value }] });
    expect((await replaceTitle('Lead')).headers.etag).toBe('W/"2"');
    expect(await newEvents()).toEqual([
      { type: 'user.updated', resource_type: 'User', resource_id: id, source, payload: { resource: { id, ...doc, title: 'Lead' }, version: 2, changed: ['title'] } },
    ]);
    expect((await replaceTitle('Lead')).headers.etag).toBe('W/"2"');
    expect(await newEvents()).toEqual([]);
    const put = await h.http.put(`/scim/v2/Users/${id}`).set(auth).send({ schemas: [USER], userName: 'events@example.test', displayName: 'Ev' });
    expect(put.body.meta.version).toBe('W/"3"');
    expect(await newEvents()).toEqual([
      {
        type: 'user.updated',
        resource_type: 'User',
        resource_id: id,
        source,
        payload: { resource: { id, schemas: [USER], userName: 'events@example.test', displayName: 'Ev' }, version: 3, changed: ['displayName', 'title'] },
      },
    ]);
  });

  it('concurrent PATCHes of one user each land once, in version order', async () => {
    const { id } = await newUser('contended@example.test');
    await newEvents();
    const titles = Array.from({ length: 12 }, (_, i) => `Title ${i}`);
    const results = await Promise.all(
      titles.map((value) => h.http.patch(`/scim/v2/Users/${id}`).set(auth).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value }] })),
    );
    expect(results.map((r) => r.status)).toEqual(titles.map(() => 200));
    expect(new Set(results.map((r) => r.body.meta.version)).size).toBe(titles.length);
    const events = await newEvents();
    expect(events.map((e) => e.payload.version)).toEqual(titles.map((_, i) => i + 2));
    expect(events.map((e) => (e.payload.resource as { title: string }).title).sort()).toEqual([...titles].sort());
    const final = await h.http.get(`/scim/v2/Users/${id}`).set(auth);
    expect(final.body.meta.version).toBe(`W/"${titles.length + 1}"`);
  });
});

describe('groups', () => {
  it('create with and without members, add (present and unknown ids too), rename and remove, no-op', async () => {
    const [a, b, c] = [(await newUser('ga@example.test')).id, (await newUser('gb@example.test')).id, (await newUser('gc@example.test')).id];
    await newEvents();
    const empty = (await h.http.post('/scim/v2/Groups').set(auth).send({ schemas: [GROUP], displayName: 'Empty' })).body as { id: string };
    expect(await newEvents()).toEqual([
      { type: 'group.created', resource_type: 'Group', resource_id: empty.id, source, payload: { resource: { id: empty.id, schemas: [GROUP], displayName: 'Empty' }, version: 1 } },
    ]);

    const res = await h.http.post('/scim/v2/Groups').set(auth).send({ schemas: [GROUP], displayName: 'Team', members: [{ value: b }, { value: a, display: 'Ay' }] });
    const g = res.body as { id: string; members: unknown[] };
    expect(g.members.map((m) => (m as { value: string }).value)).toEqual([a, b].sort());
    const added = (id: string) => ({ type: 'group.member_added', resource_type: 'Group', resource_id: g.id, source, payload: { groupId: g.id, memberId: id } });
    const removed = (id: string) => ({ type: 'group.member_removed', resource_type: 'Group', resource_id: g.id, source, payload: { groupId: g.id, memberId: id } });
    expect(await newEvents()).toEqual([
      { type: 'group.created', resource_type: 'Group', resource_id: g.id, source, payload: { resource: { id: g.id, schemas: [GROUP], displayName: 'Team' }, version: 1 } },
      ...[a, b].sort().map(added),
    ]);

    const patch = (ops: unknown[]) => h.http.patch(`/scim/v2/Groups/${g.id}`).set(auth).send({ schemas: [PATCH], Operations: ops });
    const unknown = '0190aaaa-0000-7000-8000-000000000000';
    expect((await patch([{ op: 'add', path: 'members', value: [{ value: c }, { value: unknown }, { value: a }] }])).headers.etag).toBe('W/"2"');
    expect(await newEvents()).toEqual([added(c)]);

    expect((await patch([{ op: 'add', path: 'members', value: [{ value: a }] }])).headers.etag).toBe('W/"2"');
    expect(await newEvents()).toEqual([]);

    const renamed = await patch([
      { op: 'replace', path: 'displayName', value: 'Team 2' },
      { op: 'remove', path: `members[value eq "${a}"]` },
    ]);
    expect(renamed.headers.etag).toBe('W/"3"');
    expect(await newEvents()).toEqual([
      { type: 'group.updated', resource_type: 'Group', resource_id: g.id, source, payload: { resource: { id: g.id, schemas: [GROUP], displayName: 'Team 2' }, version: 3, changed: ['displayName'] } },
      removed(a),
    ]);

    expect((await patch([{ op: 'replace', path: 'members', value: [{ value: a, display: 'Ay again' }, { value: c }] }])).headers.etag).toBe('W/"4"');
    expect(await newEvents()).toEqual([removed(b), added(a)]);
    const read = await h.http.get(`/scim/v2/Groups/${g.id}`).set(auth);
    expect(read.body.members).toEqual(
      [
        { value: a, display: 'Ay again', type: 'User', $ref: `https://rollcall.test/scim/v2/Users/${a}` },
        { value: c, display: 'gc@example.test', type: 'User', $ref: `https://rollcall.test/scim/v2/Users/${c}` },
      ].sort((x, y) => (x.value < y.value ? -1 : 1)),
    );
  });

  it('concurrent membership PATCHes of one group each land once, and each moves the version', async () => {
    const members = await Promise.all(Array.from({ length: 10 }, (_, i) => newUser(`busy${i}@example.test`)));
    const g = (await h.http.post('/scim/v2/Groups').set(auth).send({ schemas: [GROUP], displayName: 'Busy' })).body as { id: string };
    await newEvents();
    const results = await Promise.all(
      members.map((m) => h.http.patch(`/scim/v2/Groups/${g.id}`).set(auth).send({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: m.id }] }] })),
    );
    expect(results.map((r) => r.status)).toEqual(members.map(() => 204));
    // They do not queue on the group, so two may answer the same tag (each counts what had
    // committed when it ran, plus itself); none answers one the group had before them.
    const versions = results.map((r) => Number(/^W\/"(\d+)"$/.exec(r.headers.etag ?? '')?.[1]));
    for (const v of versions) expect(v).toBeGreaterThanOrEqual(2);
    for (const v of versions) expect(v).toBeLessThanOrEqual(members.length + 1);
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(members.map(() => 'group.member_added'));
    expect(events.map((e) => e.payload.memberId).sort()).toEqual(members.map((m) => m.id).sort());
    const read = await h.http.get(`/scim/v2/Groups/${g.id}`).set(auth);
    expect(read.body.meta.version).toBe(`W/"${members.length + 1}"`);
    expect(read.body.members).toHaveLength(members.length);
  });
});
