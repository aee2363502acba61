import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

/**
 * Concurrent writes of one tenant are committed together (group commit). Whatever batches they
 * land in, each request keeps its own outcome: a taken userName fails only its request, every
 * write that succeeds has exactly one event at its version, and nothing crosses to another tenant.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let h: Harness;
const auth = { authorization: '', 'content-type': SCIM };
const otherAuth = { authorization: '', 'content-type': SCIM };

beforeAll(async () => {
  h = await startHarness();
  auth.authorization = `Bearer ${h.token}`;
  otherAuth.authorization = `Bearer ${h.other.token}`;
});
afterAll(() => h.close());

const createdEvents = (tenantId: string, ids: string[]) =>
  rows<{ id: string; version: number; user_name: string }>(
    h.db.db,
    sql`select resource_id as id, (payload->>'version')::int as version, payload->'resource'->>'userName' as user_name
        from change_events where tenant_id = ${tenantId} and type = 'user.created' and resource_id = any(${`{${ids.join(',')}}`}::uuid[])`,
  );

describe('concurrent creates', () => {
  it('a taken userName fails only its own request; the others are created with one event each', async () => {
    const taken = (await h.http.post('/scim/v2/Users').set(auth).send({ schemas: [USER], userName: 'batch-taken@example.test' })).body.id as string;
    const names = Array.from({ length: 24 }, (_, i) => (i % 6 === 0 ? 'Batch-Taken@example.test' : i % 6 === 1 ? 'batch-twice@example.test' : `batch-${i}@example.test`));
    const replies = await Promise.all(names.map((userName) => h.http.post('/scim/v2/Users').set(auth).send({ schemas: [USER], userName, title: userName })));
    const byName = new Map<string, number[]>();
    replies.forEach((r, i) => byName.set(names[i]!, [...(byName.get(names[i]!) ?? []), r.status]));
    expect(byName.get('Batch-Taken@example.test')).toEqual([409, 409, 409, 409]);
    expect(byName.get('batch-twice@example.test')!.sort()).toEqual([201, 409, 409, 409]);
    for (const [name, statuses] of byName) if (!/taken|twice/i.test(name)) expect(statuses).toEqual([201]);
    for (const r of replies.filter((r) => r.status === 409)) expect(r.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const ids = replies.filter((r) => r.status === 201).map((r) => r.body.id as string);
    expect(ids).toHaveLength(17);
    for (const r of replies.filter((r) => r.status === 201)) {
      expect(r.body.meta.version).toBe('W/"1"');
      expect(r.body.title).toBe(r.body.userName);
      const stored = await h.http.get(`/scim/v2/Users/${r.body.id}`).set(auth);
      expect(stored.body).toMatchObject({ userName: r.body.userName, title: r.body.userName });
    }
    const events = await createdEvents(h.tenantId, [...ids, taken]);
    expect(events.map((e) => e.id).sort()).toEqual([...ids, taken].sort());
    expect(events.every((e) => e.version === 1)).toBe(true);
  });

  it('two tenants creating the same names at once each get all of theirs', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `shared-${i}@example.test`);
    const replies = await Promise.all(
      names.flatMap((userName) => [auth, otherAuth].map((headers) => h.http.post('/scim/v2/Users').set(headers).send({ schemas: [USER], userName }))),
    );
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 201));
    const mine = await h.http.get('/scim/v2/Users').query({ filter: 'userName sw "shared-"' }).set(auth);
    const theirs = await h.http.get('/scim/v2/Users').query({ filter: 'userName sw "shared-"' }).set(otherAuth);
    expect(mine.body.totalResults).toBe(10);
    expect(theirs.body.totalResults).toBe(10);
    const mineIds = new Set(mine.body.Resources.map((r: { id: string }) => r.id));
    expect(theirs.body.Resources.some((r: { id: string }) => mineIds.has(r.id))).toBe(false);
  });
});

describe('concurrent updates', () => {
  it('PATCHes of many users and of one user at once: each lands once, at its own version, with its event', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await h.http.post('/scim/v2/Users').set(auth).send({ schemas: [USER], userName: `upd-${i}@example.test` })).body.id);
    // Each user three times, all at once: the three writes of a user can share a batch.
    const writes = ids.flatMap((id) => [1, 2, 3].map((k) => ({ id, title: `${id}-${k}` })));
    const replies = await Promise.all(
      writes.map(({ id, title }) =>
        h.http.patch(`/scim/v2/Users/${id}`).set(auth).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: title }] }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(writes.map(() => 200));
    for (const id of ids) {
      const mine = replies.filter((r) => r.body.id === id);
      expect(mine.map((r) => r.body.meta.version).sort()).toEqual(['W/"2"', 'W/"3"', 'W/"4"']);
      const events = await rows<{ version: number; title: string }>(
        h.db.db,
        sql`select (payload->>'version')::int as version, payload->'resource'->>'title' as title from change_events
            where tenant_id = ${h.tenantId} and resource_id = ${id} and type = 'user.updated' order by seq`,
      );
      expect(events.map((e) => e.version)).toEqual([2, 3, 4]);
      // Each answer shows its own write, and the events say the same.
      for (const r of mine) expect(events.find((e) => e.version === Number(r.body.meta.version.slice(3, -1)))!.title).toBe(r.body.title);
      const stored = await h.http.get(`/scim/v2/Users/${id}`).set(auth);
      expect(stored.body.meta.version).toBe('W/"4"');
      expect(stored.body.title).toBe(events.at(-1)!.title);
    }
  });

  it('a rename to a taken userName fails alone; the writes beside it land', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await h.http.post('/scim/v2/Users').set(auth).send({ schemas: [USER], userName: `ren-${i}@example.test` })).body.id);
    const replies = await Promise.all(
      ids.map((id, i) =>
        h.http
          .patch(`/scim/v2/Users/${id}`)
          .set(auth)
          .send({ schemas: [PATCH], Operations: [{ op: 'replace', path: i === 0 ? 'userName' : 'title', value: i === 0 ? 'REN-1@example.test' : `t${i}` }] }),
      ),
    );
    expect(replies[0]!.status).toBe(409);
    expect(replies[0]!.body.scimType).toBe('uniqueness');
    expect(replies.slice(1).map((r) => [r.status, r.body.title, r.body.meta.version])).toEqual(ids.slice(1).map((_, i) => [200, `t${i + 1}`, 'W/"2"']));
    const first = await h.http.get(`/scim/v2/Users/${ids[0]}`).set(auth);
    expect(first.body).toMatchObject({ userName: 'ren-0@example.test', meta: { version: 'W/"1"' } });
  });
});

describe('concurrent deletes', () => {
  it('members of one group deleted at once: each its own answer, its memberships and events, the group tag moved', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await h.http.post('/scim/v2/Users').set(auth).send({ schemas: [USER], userName: `del-${i}@example.test` })).body.id);
    const group = await h.http
      .post('/scim/v2/Groups')
      .set(auth)
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Deleted together', members: ids.map((value) => ({ value })) });
    expect(group.status).toBe(201);
    const tagBefore = (await h.http.get(`/scim/v2/Groups/${group.body.id}`).set(auth)).headers.etag;
    // The first user twice, the second with a stale If-Match, the rest plainly; all at once.
    const requests = [
      { id: ids[0]!, headers: {} },
      { id: ids[0]!, headers: {} },
      { id: ids[1]!, headers: { 'if-match': 'W/"7"' } },
      ...ids.slice(2).map((id) => ({ id, headers: { 'if-match': 'W/"1"' } })),
    ];
    const replies = await Promise.all(requests.map(({ id, headers }) => h.http.delete(`/scim/v2/Users/${id}`).set(auth).set(headers)));
    expect(replies.slice(0, 2).map((r) => r.status).sort()).toEqual([204, 404]);
    expect(replies[2]!.status).toBe(412);
    expect(replies.slice(3).map((r) => r.status)).toEqual(ids.slice(2).map(() => 204));
    const gone = [ids[0]!, ...ids.slice(2)];
    for (const id of gone) expect((await h.http.get(`/scim/v2/Users/${id}`).set(auth)).status).toBe(404);
    expect((await h.http.get(`/scim/v2/Users/${ids[1]}`).set(auth)).status).toBe(200);
    const after = await h.http.get(`/scim/v2/Groups/${group.body.id}`).set(auth);
    expect(after.body.members.map((m: { value: string }) => m.value)).toEqual([ids[1]]);
    // The group's tag counts each member deleted once, as the deletes one by one would.
    const versionOf = (tag: string | undefined) => Number(/\d+/.exec(tag ?? '')![0]);
    expect(versionOf(after.headers.etag)).toBe(versionOf(tagBefore) + gone.length);
    const events = await rows<{ type: string; resource_id: string; member: string | null; version: number | null }>(
      h.db.db,
      sql`select type, resource_id, payload->>'memberId' as member, (payload->>'version')::int as version from change_events
          where tenant_id = ${h.tenantId} and type in ('user.deleted', 'group.member_removed') order by seq`,
    );
    const deletedEvents = events.filter((e) => e.type === 'user.deleted');
    expect(deletedEvents.map((e) => e.resource_id).sort()).toEqual([...gone].sort());
    expect(deletedEvents.every((e) => e.version === 1)).toBe(true);
    const removed = events.filter((e) => e.type === 'group.member_removed');
    expect(removed.map((e) => e.member).sort()).toEqual([...gone].sort());
    expect(removed.every((e) => e.resource_id === group.body.id)).toBe(true);
    // Each user's membership event comes before its deletion, as when deleted alone.
    for (const id of gone) {
      expect(events.findIndex((e) => e.type === 'group.member_removed' && e.member === id)).toBeLessThan(
        events.findIndex((e) => e.type === 'user.deleted' && e.resource_id === id),
      );
    }
  });
});
