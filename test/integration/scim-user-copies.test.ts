import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { createScimStore } from '../../src/directory/scim-store.js';
import { unwrap } from '../../scim/errors.js';
import { parsePatch } from '../../scim/patch/parse-patch.js';
import { userResourceType } from '../../scim/schemas/resource-types.js';
import type { ScimCaller, ScimStore } from '../../scim/store-port.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

/**
 * A server writes a user it wrote last from its own copy of it, guarded by the row's version. These
 * tests change the user behind that copy's back — through a second replica's store on the same
 * database — and check that every write through the first still lands on the row as it is: the
 * other replica's change kept, `If-Match` judged against the real version, a deletion a 404, one
 * change event per write.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let h: Harness;
let replica: ScimStore;
let caller: ScimCaller;
const auth = { authorization: '', 'content-type': SCIM };

beforeAll(async () => {
  h = await startHarness();
  auth.authorization = `Bearer ${h.token}`;
  const [token] = await rows<{ id: string }>(h.db.db, sql`select id from scim_tokens where tenant_id = ${h.tenantId}`);
  replica = createScimStore(h.db.db);
  caller = { tenantId: h.tenantId, tokenId: token!.id, requestId: 'other-replica' };
});
afterAll(() => h.close());

const create = async (userName: string, extra: Record<string, unknown> = {}) => {
  const res = await h.http.post('/scim/v2/Users').set(auth).send({ schemas: [USER], userName, ...extra });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const patch = (id: string, operations: unknown[], headers: Record<string, string> = {}) =>
  h.http.patch(`/scim/v2/Users/${id}`).set(auth).set(headers).send({ schemas: [PATCH], Operations: operations });
/** The same PATCH as a client sends it, through the other replica's store. */
const elsewhere = (id: string, operations: unknown[]) =>
  replica.users.patch(caller, id, unwrap(parsePatch(userResourceType, { schemas: [PATCH], Operations: operations })), {});
const eventsOf = (id: string) =>
  rows<{ version: number; title: string | null }>(
    h.db.db,
    sql`select (payload->>'version')::int as version, payload->'resource'->>'title' as title from change_events
        where tenant_id = ${h.tenantId} and resource_id = ${id} order by seq`,
  );

describe('a user changed by another replica since this one wrote it', () => {
  it('keeps the other change: the write lands on the stored document, at the next version', async () => {
    const id = await create('copy-kept@example.test', { title: 'Engineer' });
    await elsewhere(id, [{ op: 'replace', path: 'displayName', value: 'Set elsewhere' }]);
    const res = await patch(id, [{ op: 'replace', path: 'title', value: 'Lead' }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Lead', displayName: 'Set elsewhere', meta: { version: 'W/"3"' } });
    const stored = await h.http.get(`/scim/v2/Users/${id}`).set(auth);
    expect(stored.body).toMatchObject({ title: 'Lead', displayName: 'Set elsewhere', meta: { version: 'W/"3"' } });
    expect(await eventsOf(id)).toEqual([
      { version: 1, title: 'Engineer' },
      { version: 2, title: 'Engineer' },
      { version: 3, title: 'Lead' },
    ]);
  });

  it.each([
    { case: 'PATCH', send: (id: string, headers: Record<string, string>) => patch(id, [{ op: 'replace', path: 'title', value: 'Lead' }], headers) },
    {
      case: 'PUT',
      send: (id: string, headers: Record<string, string>) =>
        h.http.put(`/scim/v2/Users/${id}`).set(auth).set(headers).send({ schemas: [USER], userName: `${id}@example.test`, title: 'Lead' }),
    },
  ])('$case judges If-Match by the stored version, not the copy', async ({ send }) => {
    const id = await create('placeholder@example.test');
    await h.http.put(`/scim/v2/Users/${id}`).set(auth).send({ schemas: [USER], userName: `${id}@example.test` });
    await elsewhere(id, [{ op: 'replace', path: 'displayName', value: 'Moved on' }]);
    // This replica last wrote version 2; the row is at 3.
    expect((await send(id, { 'if-match': 'W/"2"' })).status).toBe(412);
    const res = await send(id, { 'if-match': 'W/"3"' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Lead', meta: { version: 'W/"4"' } });
  });

  it('answers 404 for a user deleted elsewhere, and writes nothing', async () => {
    const id = await create('copy-deleted@example.test');
    await replica.users.delete(caller, id, {});
    expect((await patch(id, [{ op: 'replace', path: 'title', value: 'Ghost' }])).status).toBe(404);
    expect((await h.http.get(`/scim/v2/Users/${id}`).set(auth)).status).toBe(404);
  });

  it('applies a patch whose target exists only in the stored document', async () => {
    const id = await create('copy-target@example.test');
    await elsewhere(id, [{ op: 'add', path: 'emails', value: [{ value: 'work@example.test', type: 'work' }] }]);
    const res = await patch(id, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.test' }]);
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([{ value: 'new@example.test', type: 'work' }]);
  });

  it('answers 409 only for a userName taken now, not one the copy remembers as taken', async () => {
    const first = await create('copy-name-a@example.test');
    const second = await create('copy-name-b@example.test');
    // Elsewhere, the first user gives up its name; this replica's copy of the second is still current.
    await elsewhere(first, [{ op: 'replace', path: 'userName', value: 'copy-name-c@example.test' }]);
    const res = await patch(second, [{ op: 'replace', path: 'userName', value: 'copy-name-a@example.test' }]);
    expect(res.status).toBe(200);
    expect((await patch(first, [{ op: 'replace', path: 'userName', value: 'copy-name-a@example.test' }])).status).toBe(409);
  });
});

describe('writes through this replica alone', () => {
  it('PATCH after PATCH after create each move the version by one, with one event each', async () => {
    const id = await create('copy-chain@example.test', { title: 'T0' });
    for (let i = 1; i <= 5; i++) {
      const res = await patch(id, [{ op: 'replace', path: 'title', value: `T${i}` }], { 'if-match': `W/"${i}"` });
      expect(res.status).toBe(200);
      expect(res.body.meta.version).toBe(`W/"${i + 1}"`);
    }
    expect(await eventsOf(id)).toEqual(Array.from({ length: 6 }, (_, i) => ({ version: i + 1, title: `T${i}` })));
  });
});
