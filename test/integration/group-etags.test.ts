import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { testDatabaseUrl } from '../support/database.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

/*
 * The ETag rules of groups (README, "ETags") now that membership changes are recorded beside the
 * group's row rather than by bumping it: a member change changes the group's tag, If-Match and
 * If-None-Match follow it, and concurrent member changes do not wait on the group's row.
 */

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let h: Harness;
const auth = () => ({ authorization: `Bearer ${h.token}`, 'content-type': SCIM });
let n = 0;

async function newUser(): Promise<string> {
  const res = await h.http.post('/scim/v2/Users').set(auth()).send({ schemas: [USER], userName: `etag${++n}@groups.test` });
  expect(res.status).toBe(201);
  return res.body.id;
}
async function newUsers(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await newUser());
  return ids;
}
async function newGroup(members: string[] = []): Promise<{ id: string; etag: string }> {
  const res = await h.http
    .post('/scim/v2/Groups')
    .set(auth())
    .send({ schemas: [GROUP], displayName: `etag group ${++n}`, members: members.map((value) => ({ value })) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.headers.etag).toBe(res.body.meta.version);
  return { id: res.body.id, etag: res.headers.etag! };
}
const patch = (id: string, ops: unknown[], headers: Record<string, string> = {}) =>
  h.http.patch(`/scim/v2/Groups/${id}`).set({ ...auth(), ...headers }).send({ schemas: [PATCH], Operations: ops });
const add = (id: string, members: string[], headers?: Record<string, string>) => patch(id, [{ op: 'add', path: 'members', value: members.map((value) => ({ value })) }], headers);
const remove = (id: string, member: string, headers?: Record<string, string>) => patch(id, [{ op: 'remove', path: `members[value eq "${member}"]` }], headers);
const read = (id: string, headers: Record<string, string> = {}) => h.http.get(`/scim/v2/Groups/${id}?excludedAttributes=members`).set({ ...auth(), ...headers });
const etagOf = async (id: string) => (await read(id)).headers.etag as string;
const versionIn = (etag: string | undefined) => Number(/^W\/"(\d+)"$/.exec(etag ?? '')?.[1]);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('group ETags follow membership', () => {
  it.each<[string, (group: string, members: string[], other: string) => Promise<unknown>, boolean]>([
    ['adding a member moves the tag', (g, _, other) => add(g, [other]), true],
    ['adding a present member leaves it', (g, [first]) => add(g, [first!]), false],
    ['removing a member moves it', (g, [first]) => remove(g, first!), true],
    ['removing a non-member leaves it', (g, _, other) => remove(g, other), false],
    ['replacing the member list moves it', (g, _, other) => patch(g, [{ op: 'replace', path: 'members', value: [{ value: other }] }]), true],
    ['deleting a member user moves it', (g, [first]) => h.http.delete(`/scim/v2/Users/${first}`).set(auth()), true],
    ['deleting a user of no group leaves it', (_, __, other) => h.http.delete(`/scim/v2/Users/${other}`).set(auth()), false],
    ['renaming the group moves it', (g) => patch(g, [{ op: 'replace', path: 'displayName', value: `renamed ${++n}` }]), true],
  ])('%s', async (_, change, moves) => {
    const members = await newUsers(2);
    const other = await newUser();
    const g = await newGroup(members);
    const before = await etagOf(g.id);
    expect(before).toBe(g.etag);
    await change(g.id, members, other);
    const after = await read(g.id, { 'if-none-match': before });
    if (moves) {
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before);
      expect(versionIn(after.headers.etag)).toBeGreaterThan(versionIn(before));
    } else {
      expect(after.status).toBe(304);
      expect(after.headers.etag).toBe(before);
    }
  });

  it('If-None-Match answers 304 with the current tag, 200 with any earlier one', async () => {
    const [a] = await newUsers(1);
    const g = await newGroup();
    const first = await etagOf(g.id);
    expect((await read(g.id, { 'if-none-match': first })).status).toBe(304);
    expect((await add(g.id, [a!])).status).toBe(204);
    const second = await etagOf(g.id);
    expect((await read(g.id, { 'if-none-match': first })).status).toBe(200);
    expect((await read(g.id, { 'if-none-match': second })).status).toBe(304);
  });

  it('a tag never comes back: adding then removing the same member gives a third tag', async () => {
    const [a] = await newUsers(1);
    const g = await newGroup();
    const tags = [await etagOf(g.id)];
    await add(g.id, [a!]);
    tags.push(await etagOf(g.id));
    await remove(g.id, a!);
    tags.push(await etagOf(g.id));
    expect(new Set(tags).size).toBe(3);
    expect((await read(g.id, { 'if-none-match': tags[0]! })).status).toBe(200);
  });

  it('If-Match with the tag from before a member change is refused (412) on PATCH, PUT and DELETE; the current tag works', async () => {
    const [a, b] = await newUsers(2);
    const g = await newGroup([a!]);
    const stale = g.etag;
    expect((await add(g.id, [b!])).status).toBe(204);
    const current = await etagOf(g.id);
    expect((await remove(g.id, a!, { 'if-match': stale })).status).toBe(412);
    const put = await h.http.put(`/scim/v2/Groups/${g.id}`).set({ ...auth(), 'if-match': stale }).send({ schemas: [GROUP], displayName: `put ${++n}` });
    expect(put.status).toBe(412);
    expect((await h.http.delete(`/scim/v2/Groups/${g.id}`).set({ ...auth(), 'if-match': stale })).status).toBe(412);
    // Nothing of the refused writes happened.
    const members = (await h.http.get(`/scim/v2/Groups/${g.id}`).set(auth())).body.members.map((m: { value: string }) => m.value).sort();
    expect(members).toEqual([a!, b!].sort());
    expect(await etagOf(g.id)).toBe(current);
    const ok = await remove(g.id, a!, { 'if-match': current });
    expect(ok.status).toBe(204);
    expect(ok.headers.etag).toBe(await etagOf(g.id));
    expect((await h.http.delete(`/scim/v2/Groups/${g.id}`).set({ ...auth(), 'if-match': ok.headers.etag })).status).toBe(204);
  });

  it('the tag a write answers is the one a read then gives, with and without the member list', async () => {
    const [a, b] = await newUsers(2);
    const g = await newGroup();
    const added = await add(g.id, [a!]);
    expect(added.headers.etag).toBe(await etagOf(g.id));
    const full = await h.http
      .patch(`/scim/v2/Groups/${g.id}`)
      .set(auth())
      .send({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: b }] }, { op: 'replace', path: 'displayName', value: `both ${++n}` }] });
    expect(full.status).toBe(204);
    expect(full.headers.etag).toBe(await etagOf(g.id));
    // Okta's remove-one-add-one: two membership changes, in a locked transaction.
    const swapped = await patch(g.id, [
      { op: 'remove', path: `members[value eq "${a}"]` },
      { op: 'add', path: 'members', value: [{ value: a }] },
    ]);
    expect(swapped.status).toBe(204);
    expect(versionIn(swapped.headers.etag)).toBeGreaterThan(versionIn(full.headers.etag));
    expect(swapped.headers.etag).toBe(await etagOf(g.id));
    const listed = await h.http.get(`/scim/v2/Groups?filter=${encodeURIComponent(`id eq "${g.id}"`)}`).set(auth());
    expect(listed.body.Resources[0].meta.version).toBe(swapped.headers.etag);
  });

  it('DELETE /Users checks If-Match in its one statement: a stale tag is 412 and leaves the user in its group; the current one deletes', async () => {
    const [a] = await newUsers(1);
    const g = await newGroup([a!]);
    const user = await h.http.get(`/scim/v2/Users/${a}`).set(auth());
    const stale = user.headers.etag!;
    const patched = await h.http.patch(`/scim/v2/Users/${a}`).set(auth()).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'moved' }] });
    expect(patched.status).toBe(200);
    const before = await etagOf(g.id);
    expect((await h.http.delete(`/scim/v2/Users/${a}`).set({ ...auth(), 'if-match': stale })).status).toBe(412);
    expect((await h.http.delete(`/scim/v2/Users/${a}`).set({ ...auth(), 'if-match': 'W/"nonsense"' })).status).toBe(412);
    expect((await h.http.get(`/scim/v2/Users/${a}`).set(auth())).status).toBe(200);
    expect(await etagOf(g.id)).toBe(before);
    expect((await h.http.delete(`/scim/v2/Users/${a}`).set({ ...auth(), 'if-match': patched.headers.etag! })).status).toBe(204);
    expect((await h.http.get(`/scim/v2/Users/${a}`).set(auth())).status).toBe(404);
    expect(await etagOf(g.id)).not.toBe(before);
    expect((await h.http.delete(`/scim/v2/Users/${a}`).set(auth())).status).toBe(404);
    expect((await h.http.delete('/scim/v2/Users/0190aaaa-0000-7000-8000-000000000000').set({ ...auth(), 'if-match': 'W/"1"' })).status).toBe(404);
  });

  it("deleting a group moves the tag of the groups it was a member of", async () => {
    const child = await newGroup();
    const parent = await newGroup([child.id]);
    const before = await etagOf(parent.id);
    expect((await h.http.delete(`/scim/v2/Groups/${child.id}`).set(auth())).status).toBe(204);
    const after = await read(parent.id, { 'if-none-match': before });
    expect(after.status).toBe(200);
    expect((await h.http.get(`/scim/v2/Groups/${parent.id}`).set(auth())).body.members).toEqual([]);
  });

  it("a member change moves the group's meta.lastModified", async () => {
    const [a] = await newUsers(1);
    const g = await newGroup();
    const before = (await read(g.id)).body.meta.lastModified as string;
    await new Promise((r) => setTimeout(r, 5));
    await add(g.id, [a!]);
    const after = (await read(g.id)).body.meta.lastModified as string;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    // A client syncing changes by filter sees it.
    const filter = encodeURIComponent(`meta.lastModified gt "${before}" and id eq "${g.id}"`);
    const changed = await h.http.get(`/scim/v2/Groups?filter=${filter}&excludedAttributes=members`).set(auth());
    expect(changed.body.totalResults).toBe(1);
    expect(changed.body.Resources[0].meta.lastModified).toBe(after);
  });

  it("a user's tag moves when it joins or leaves a group", async () => {
    const [a] = await newUsers(1);
    const g = await newGroup();
    const user = () => h.http.get(`/scim/v2/Users/${a}`).set(auth());
    const alone = (await user()).headers.etag;
    await add(g.id, [a!]);
    const joined = (await user()).headers.etag;
    expect(joined).not.toBe(alone);
    await remove(g.id, a!);
    expect((await user()).headers.etag).toBe(alone);
    // If-Match on a user compares its own version only: groups are read-only on it.
    const res = await h.http.patch(`/scim/v2/Users/${a}`).set({ ...auth(), 'if-match': joined }).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'x' }] });
    expect(res.status).toBe(200);
  });

  it('many changes keep few rows per group, and the tag counts every change', async () => {
    const members = await newUsers(20);
    const g = await newGroup();
    const start = versionIn(await etagOf(g.id));
    for (const m of members) expect((await add(g.id, [m])).status).toBe(204);
    for (const m of members) expect((await remove(g.id, m)).status).toBe(204);
    expect(versionIn(await etagOf(g.id))).toBe(start + 40);
    const [stored] = await rows<{ n: number }>(h.db.db, sql`select count(*)::int as n from group_member_changes where group_id = ${g.id}`);
    // Folded every sixteenth change (by sequence), so well under one row per change.
    expect(stored!.n).toBeLessThan(40);
  });
});

describe('concurrent member changes do not queue on the group', () => {
  it('16 concurrent deletes of members each count once in the tag', async () => {
    const members = await newUsers(16);
    const g = await newGroup(members);
    const before = versionIn(await etagOf(g.id));
    const deleted = await Promise.all(members.map((m) => h.http.delete(`/scim/v2/Users/${m}`).set(auth())));
    expect(deleted.map((r) => r.status)).toEqual(members.map(() => 204));
    expect(versionIn(await etagOf(g.id))).toBe(before + 16);
  });

  // PGlite is one connection in this process: no second session can hold a lock while requests run.
  it.skipIf(!testDatabaseUrl)('on PostgreSQL, deletes and member PATCHes complete while another transaction holds the group row', async () => {
    const members = await newUsers(16);
    const joiners = await newUsers(16);
    const g = await newGroup(members);
    const before = versionIn(await etagOf(g.id));
    const other = postgres(h.db.url!, { max: 1, onnotice: () => {} });
    try {
      await other.begin(async (tx) => {
        // The lock any UPDATE of the group's row takes (as bumping its version did for every member change).
        await tx`select id from groups where id = ${g.id} for no key update`;
        const burst = Promise.all([
          ...members.map((m) => h.http.delete(`/scim/v2/Users/${m}`).set(auth())),
          ...joiners.map((j) => add(g.id, [j])),
        ]);
        const waited = new Promise<'waited'>((ok) => setTimeout(() => ok('waited'), 15_000));
        const outcome = await Promise.race([burst, waited]);
        expect(outcome, 'the requests queued behind the lock on the group row').not.toBe('waited');
        const statuses = (outcome as { status: number }[]).map((r) => r.status);
        expect(statuses).toEqual([...members.map(() => 204), ...joiners.map(() => 204)]);
        // No backend of this database is waiting for a lock now that the burst is done.
        const waiting = await tx`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
        expect(waiting[0]!.n).toBe(0);
      });
    } finally {
      await other.end({ timeout: 5 });
    }
    expect(versionIn(await etagOf(g.id))).toBe(before + 32);
    const now = (await h.http.get(`/scim/v2/Groups/${g.id}`).set(auth())).body.members.map((m: { value: string }) => m.value).sort();
    expect(now).toEqual([...joiners].sort());
  });
});
