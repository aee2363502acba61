import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { uuidv7 } from '../../src/db/ids.js';
import { users } from '../../src/db/schema.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let h: Harness;
const auth = (token = h.token) => ({ authorization: `Bearer ${token}`, 'content-type': SCIM });
let n = 0;

async function newUser(token = h.token): Promise<string> {
  const res = await h.http.post('/scim/v2/Users').set(auth(token)).send({ schemas: [USER], userName: `g${++n}@groups.test` });
  expect(res.status).toBe(201);
  return res.body.id;
}
async function newGroup(displayName: string, members: string[] = []) {
  const res = await h.http.post('/scim/v2/Groups').set(auth()).send({ schemas: [GROUP], displayName, members: members.map((value) => ({ value })) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; meta: { version: string }; members: { value: string }[] };
}
const patch = (id: string, ops: unknown[], token = h.token) =>
  h.http.patch(`/scim/v2/Groups/${id}`).set(auth(token)).send({ schemas: [PATCH], Operations: ops });
const read = (id: string, query = '') => h.http.get(`/scim/v2/Groups/${id}${query}`).set(auth());
const memberIds = async (id: string) => ((await read(id)).body.members as { value: string }[]).map((m) => m.value).sort();

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('group PATCH of members, in every client form', () => {
  let u: string[] = [];
  beforeAll(async () => {
    u = [];
    for (let i = 0; i < 5; i++) u.push(await newUser());
  });
  const ref = (i: number) => ({ value: u[i] });

  it.each<[string, number[], () => unknown[], number[]]>([
    ['add many', [0], () => [{ op: 'add', path: 'members', value: [ref(1), ref(2), ref(3)] }], [0, 1, 2, 3]],
    ['add a present member: no-op', [0, 1], () => [{ op: 'add', path: 'members', value: [ref(0)] }], [0, 1]],
    ['remove members[value eq "id"]', [0, 1, 2], () => [{ op: 'remove', path: `members[value eq "${u[1]}"]` }], [0, 2]],
    ['remove with an or of ids', [0, 1, 2], () => [{ op: 'remove', path: `members[value eq "${u[0]}" or value eq "${u[2]}"]` }], [1]],
    [
      'legacy Remove path members with a value array removes exactly those',
      [0, 1, 2, 3],
      () => [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: u[1] }, { $ref: null, value: u[3] }] }],
      [0, 2],
    ],
    ['legacy Add with $ref: null', [], () => [{ op: 'Add', path: 'members', value: [{ $ref: null, value: u[4] }] }], [4]],
    ['replace members with the full list', [0, 1], () => [{ op: 'replace', path: 'members', value: [ref(2), ref(3)] }], [2, 3]],
    ['replace members with [] empties', [0, 1], () => [{ op: 'replace', path: 'members', value: [] }], []],
    ['bare remove of members empties', [0, 1, 2], () => [{ op: 'remove', path: 'members' }], []],
    ['path-less add of members', [0], () => [{ op: 'add', value: { members: [ref(4)] } }], [0, 4]],
    [
      'Okta: remove one and add one in one PATCH',
      [0, 1],
      () => [
        { op: 'remove', path: `members[value eq "${u[0]}"]` },
        { op: 'add', path: 'members', value: [{ value: u[2], display: 'g3' }] },
      ],
      [1, 2],
    ],
  ])('%s', async (_, initial, ops, expected) => {
    const g = await newGroup(`forms ${++n}`, initial.map((i) => u[i]!));
    const res = await patch(g.id, ops());
    // Group PATCH answers 204 by default: a big group's member list is never sent back unasked.
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBeTruthy();
    expect(await memberIds(g.id)).toEqual(expected.map((i) => u[i]!).sort());
  });

  it('adding a present member leaves the version alone; a change moves it', async () => {
    const g = await newGroup(`version ${++n}`, [u[0]!]);
    await patch(g.id, [{ op: 'add', path: 'members', value: [ref(0)] }]);
    expect((await read(g.id)).body.meta.version).toBe(g.meta.version);
    await patch(g.id, [{ op: 'add', path: 'members', value: [ref(1)] }]);
    expect((await read(g.id)).body.meta.version).not.toBe(g.meta.version);
  });

  it('Okta rename: path-less replace with the same id and a new displayName', async () => {
    const g = await newGroup(`rename ${++n}`, [u[0]!]);
    const res = await patch(g.id, [{ op: 'replace', value: { id: g.id, displayName: `renamed ${n}` } }]);
    expect(res.status).toBe(204);
    const after = await read(g.id);
    expect(after.body.displayName).toBe(`renamed ${n}`);
    expect(after.body.members.map((m: { value: string }) => m.value)).toEqual([u[0]]);
  });

  it('path-less replace with a different id → 400 mutability', async () => {
    const g = await newGroup(`other id ${++n}`);
    const res = await patch(g.id, [{ op: 'replace', value: { id: u[0], displayName: 'stolen' } }]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'mutability' });
  });

  it.each<[string, (self: string) => unknown[], number]>([
    ['a read-only attribute after a rename and an add', () => [{ op: 'replace', path: 'displayName', value: 'half' }, { op: 'add', path: 'members', value: [ref(1)] }, { op: 'replace', path: 'meta.created', value: 'x' }], 400],
    ['the group as its own member after a rename and an add', (self) => [{ op: 'replace', path: 'displayName', value: 'half' }, { op: 'add', path: 'members', value: [ref(1)] }, { op: 'add', path: 'members', value: [{ value: self }] }], 400],
    ['a member sub-attribute after a remove', () => [{ op: 'remove', path: `members[value eq "${u[0]}"]` }, { op: 'replace', path: 'members.display', value: 'x' }], 400],
  ])('atomic: %s changes neither name nor membership nor version', async (_, ops, status) => {
    const g = await newGroup(`atomic ${++n}`, [u[0]!]);
    const res = await patch(g.id, ops(g.id));
    expect(res.status).toBe(status);
    const after = await read(g.id);
    expect(after.body.displayName).toBe(`atomic ${n}`);
    expect(after.body.members.map((m: { value: string }) => m.value)).toEqual([u[0]]);
    expect(after.body.meta.version).toBe(g.meta.version);
  });

  it('PATCH answers 200 with the resource when asked (Prefer: return=representation)', async () => {
    const g = await newGroup(`prefer ${++n}`);
    const res = await patch(g.id, [{ op: 'add', path: 'members', value: [ref(0)] }]).set('prefer', 'return=representation');
    expect(res.status).toBe(200);
    expect(res.body.members).toEqual([{ value: u[0], display: expect.any(String), type: 'User', $ref: `https://rollcall.test/scim/v2/Users/${u[0]}` }]);
  });
});

describe('group resources', () => {
  it('displayName is unique per tenant case-insensitively: POST, PUT and PATCH → 409 uniqueness', async () => {
    await newGroup('Engineering');
    const dup = await h.http.post('/scim/v2/Groups').set(auth()).send({ schemas: [GROUP], displayName: 'ENGINEERING' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const other = await newGroup('Sales');
    expect((await patch(other.id, [{ op: 'replace', path: 'displayName', value: 'engineering' }])).body.scimType).toBe('uniqueness');
    const put = await h.http.put(`/scim/v2/Groups/${other.id}`).set(auth()).send({ schemas: [GROUP], displayName: 'EngineerING' });
    expect(put.status).toBe(409);
    expect((await h.http.post('/scim/v2/Groups').set(auth(h.other.token)).send({ schemas: [GROUP], displayName: 'Engineering' })).status).toBe(201);
  });

  it("the user's read-only groups attribute follows membership", async () => {
    const id = await newUser();
    const a = await newGroup(`A ${++n}`, [id]);
    const b = await newGroup(`B ${n}`, [id]);
    const groupsOf = async () => ((await h.http.get(`/scim/v2/Users/${id}`).set(auth())).body.groups as { value: string }[]).map((g) => g.value).sort();
    expect(await groupsOf()).toEqual([a.id, b.id].sort());
    const user = (await h.http.get(`/scim/v2/Users/${id}`).set(auth())).body;
    expect(user.groups.find((g: { value: string }) => g.value === a.id)).toMatchObject({ display: `A ${n}`, type: 'direct' });
    await patch(a.id, [{ op: 'remove', path: `members[value eq "${id}"]` }]);
    expect(await groupsOf()).toEqual([b.id]);
  });

  it("each user on a page of the list shows its groups, ordered by name, as GET by id does", async () => {
    const [both, one] = [await newUser(), await newUser()];
    const none = await newUser();
    const z = await newGroup(`Z page ${++n}`, [both]);
    const a = await newGroup(`A page ${n}`, [both, one]);
    // The other tenant's group of the same name, with its own member, shows on no page of this tenant.
    const theirs = await newUser(h.other.token);
    expect((await h.http.post('/scim/v2/Groups').set(auth(h.other.token)).send({ schemas: [GROUP], displayName: `A page ${n}`, members: [{ value: theirs }] })).status).toBe(201);
    for (const order of ['ascending', 'descending']) {
      const listed = new Map<string, unknown>();
      for (let start = 1; ; start += 4) {
        const page = await h.http.get(`/scim/v2/Users?startIndex=${start}&count=4&sortOrder=${order}`).set(auth());
        expect(page.status).toBe(200);
        for (const user of page.body.Resources as { id: string; groups: unknown }[]) listed.set(user.id, user.groups);
        if (start + 4 > page.body.totalResults) break;
      }
      expect(listed.has(theirs)).toBe(false);
      for (const id of [both, one, none]) expect(listed.get(id), `${order}: ${id}`).toEqual((await h.http.get(`/scim/v2/Users/${id}`).set(auth())).body.groups);
      expect((listed.get(both) as { value: string }[]).map((g) => g.value)).toEqual([a.id, z.id]);
      expect(listed.get(none)).toEqual([]);
    }
  });

  it('deleting a user removes its memberships and records group.member_removed', async () => {
    const [keep, gone] = [await newUser(), await newUser()];
    const g = await newGroup(`deluser ${++n}`, [keep, gone]);
    expect((await h.http.delete(`/scim/v2/Users/${gone}`).set(auth())).status).toBe(204);
    expect(await memberIds(g.id)).toEqual([keep]);
    const events = await rows<{ member: string }>(
      h.db.db,
      sql`select payload->>'memberId' as member from change_events where type = 'group.member_removed' and resource_id = ${g.id}`,
    );
    expect(events.map((e) => e.member)).toEqual([gone]);
  });

  // RFC 7644 §3.14: a changed member list is a changed group, whatever changed it.
  it("deleting a member moves the group's version, so a cached ETag no longer matches", async () => {
    const gone = await newUser();
    const g = await newGroup(`etag ${++n}`, [gone]);
    await h.http.delete(`/scim/v2/Users/${gone}`).set(auth());
    const res = await read(g.id).set('if-none-match', g.meta.version);
    expect(res.status).toBe(200);
    expect(res.headers.etag).not.toBe(g.meta.version);
  });

  it('deleting a group leaves its users, and their groups attribute drops it', async () => {
    const id = await newUser();
    const g = await newGroup(`delgroup ${++n}`, [id]);
    expect((await h.http.delete(`/scim/v2/Groups/${g.id}`).set(auth())).status).toBe(204);
    expect((await read(g.id)).status).toBe(404);
    expect((await h.http.delete(`/scim/v2/Groups/${g.id}`).set(auth())).status).toBe(404);
    const user = await h.http.get(`/scim/v2/Users/${id}`).set(auth());
    expect(user.status).toBe(200);
    expect(user.body.groups).toEqual([]);
  });

  it('excludedAttributes=members returns no members, on GET by id and on a list', async () => {
    const member = await newUser();
    const g = await newGroup(`excluded ${++n}`, [member]);
    const one = await read(g.id, '?excludedAttributes=members');
    expect(one.status).toBe(200);
    expect(one.body.members).toBeUndefined();
    expect(one.body.displayName).toBe(`excluded ${n}`);
    const list = await h.http.get('/scim/v2/Groups').query({ excludedAttributes: 'members', filter: `displayName eq "EXCLUDED ${n}"` }).set(auth());
    expect(list.body.totalResults).toBe(1);
    expect(list.body.Resources[0].members).toBeUndefined();
  });

  it('a group of 5,000: PATCH adds 100, excludedAttributes=members reads none, a plain GET returns all 5,100', async () => {
    const ids = Array.from({ length: 5100 }, () => uuidv7());
    for (let i = 0; i < ids.length; i += 1000) {
      await h.db.db.insert(users).values(ids.slice(i, i + 1000).map((id, j) => ({ id, tenantId: h.tenantId, userName: `big${i + j}@big.test`, doc: { schemas: [USER], userName: `big${i + j}@big.test` } })));
    }
    const g = await newGroup('big', ids.slice(0, 5000));
    const res = await patch(g.id, [{ op: 'add', path: 'members', value: ids.slice(5000).map((value) => ({ value })) }]);
    expect(res.status).toBe(204);
    const slim = await read(g.id, '?excludedAttributes=members');
    expect(slim.body.members).toBeUndefined();
    expect(slim.text.length).toBeLessThan(2000);
    const full = await read(g.id);
    expect(full.body.members).toHaveLength(5100);
    expect(new Set(full.body.members.map((m: { value: string }) => m.value))).toEqual(new Set(ids));
  });

  it("tenants are walls: the other tenant cannot read, patch or delete the group, and its users' ids are ignored as members", async () => {
    const mine = await newUser();
    const theirs = await newUser(h.other.token);
    const g = await newGroup(`wall ${++n}`, [mine, theirs]);
    expect(await memberIds(g.id)).toEqual([mine]);
    expect((await patch(g.id, [{ op: 'add', path: 'members', value: [{ value: theirs }] }])).status).toBe(204);
    expect(await memberIds(g.id)).toEqual([mine]);
    const other = auth(h.other.token);
    expect((await h.http.get(`/scim/v2/Groups/${g.id}`).set(other)).status).toBe(404);
    expect((await patch(g.id, [{ op: 'remove', path: 'members' }], h.other.token)).status).toBe(404);
    expect((await h.http.put(`/scim/v2/Groups/${g.id}`).set(other).send({ schemas: [GROUP], displayName: 'x', members: [] })).status).toBe(404);
    expect((await h.http.delete(`/scim/v2/Groups/${g.id}`).set(other)).status).toBe(404);
    const list = await h.http.get('/scim/v2/Groups').query({ filter: `displayName eq "wall ${n}"` }).set(other);
    expect(list.body.totalResults).toBe(0);
    expect(await memberIds(g.id)).toEqual([mine]);
  });
});
