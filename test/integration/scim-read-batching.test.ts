import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../scim/errors.js';
import { parseFilter } from '../../scim/filter/parse.js';
import { userResourceType } from '../../scim/schemas/resource-types.js';
import type { ListQuery } from '../../scim/store-port.js';
import type { DirectoryContext } from '../../src/directory/context.js';
import { createBatchedGroupReads } from '../../src/directory/groups/batched-reads.js';
import { loadMembers } from '../../src/directory/groups/members.js';
import { findGroup } from '../../src/directory/groups/rows.js';
import { createBatchedUserReads } from '../../src/directory/users/batched-reads.js';
import { listUsers } from '../../src/directory/users/list-users.js';
import { readUser } from '../../src/directory/users/rows.js';
import { updateUser } from '../../src/directory/users/update-user.js';
import { createReadBatcher, type ReadBatcher } from '../../src/directory/read-batcher.js';
import { createTenantSettingsCache } from '../../src/directory/tenant-settings.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

/*
 * Concurrent reads of one tenant share a statement (src/directory/users/batched-reads.ts). Loads
 * made in one turn of the event loop are one batch by construction, so these tests start them
 * together and check that each still gets exactly what it would have got alone: the unbatched
 * statements are the oracle.
 */

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/**
 * Results as the unbatched statements give them. The batched ones read each document as text as
 * well (StoredResource.docText), which must parse to the document beside it.
 */
function asParsed<T>(value: T): T {
  if (Array.isArray(value)) return value.map(asParsed) as T;
  if (!value || typeof value !== 'object' || value instanceof Date || value instanceof Error) return value;
  const { docText, ...rest } = value as Record<string, unknown>;
  if (docText !== undefined) expect(JSON.parse(docText as string)).toEqual(rest.doc);
  return Object.fromEntries(Object.entries(rest).map(([key, v]) => [key, key === 'doc' ? v : asParsed(v)])) as T;
}

let h: Harness;
const ids: Record<string, string> = {};
let otherId = '';
let groupId = '';

const ctxOf = (tenantId: string): DirectoryContext => ({ db: h.db.db, tenantId, source: { kind: 'token', id: 'test' } });
const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function create(token: string, userName: string, externalId?: string): Promise<string> {
  const res = await h.http
    .post('/scim/v2/Users')
    .set(as(token))
    .set('content-type', SCIM)
    .send({ schemas: [USER], userName, ...(externalId ? { externalId } : {}) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const lookup = (filter: string, extra: Partial<ListQuery> = {}): ListQuery => ({
  filter: unwrap(parseFilter(userResourceType, filter)),
  descending: false,
  startIndex: 1,
  count: 100,
  withRelations: true,
  ...extra,
});

beforeAll(async () => {
  h = await startHarness();
  // Names with characters JSON and SQL both escape, and an externalId two users share.
  for (const [key, userName, externalId] of [
    ['ann', 'Ann@Acme.test', 'ext-ann'],
    ['bob', 'bob@acme.test', 'ext-shared'],
    ['cat', 'cat@acme.test', 'ext-shared'],
    ['quote', `o"brien\\ \u00e9\u{1F600}@acme.test`, `ext-"quoted"\\`],
  ] as const) {
    ids[key] = await create(h.token, userName, externalId);
  }
  otherId = await create(h.other.token, 'ann@acme.test', 'ext-ann');
  const group = await h.http.post('/scim/v2/Groups').set(as(h.token)).set('content-type', SCIM).send({ schemas: [GROUP], displayName: 'Readers', members: [{ value: ids.ann }] });
  expect(group.status).toBe(201);
  groupId = group.body.id as string;
});
afterAll(() => h.close());

describe('GET by id, batched', () => {
  it('answers each id of a batch with its own user or its own not-found, within the tenant only', async () => {
    const reads = createBatchedUserReads();
    const acme = ctxOf(h.tenantId);
    const wanted = [ids.ann!, ids.bob!, ids.ann!.toUpperCase(), otherId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', ids.quote!];
    for (const withGroups of [true, false]) {
      const batched = await Promise.allSettled(wanted.map((id) => reads.get(acme, id, withGroups)));
      const alone = await Promise.allSettled(wanted.map((id) => readUser(acme.db, acme.tenantId, id, withGroups)));
      expect(asParsed(batched)).toEqual(asParsed(alone));
      // The other tenant's user, the unknown id and the malformed one are not found; the rest are found.
      expect(batched.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      expect((batched[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    }
    const [ann] = await Promise.all([reads.get(acme, ids.ann!, true), reads.get(acme, ids.bob!, true)]);
    expect(ann.groups).toEqual([{ value: groupId, display: 'Readers' }]);
  });

  it('serves two tenants in the same turn, each from its own rows', async () => {
    const reads = createBatchedUserReads();
    const [mine, theirs, crossed] = await Promise.allSettled([
      reads.get(ctxOf(h.tenantId), ids.ann!, false),
      reads.get(ctxOf(h.other.tenantId), otherId, false),
      reads.get(ctxOf(h.other.tenantId), ids.ann!, false),
    ]);
    expect(mine).toMatchObject({ status: 'fulfilled', value: { id: ids.ann, doc: { userName: 'Ann@Acme.test' } } });
    expect(theirs).toMatchObject({ status: 'fulfilled', value: { id: otherId, doc: { userName: 'ann@acme.test' } } });
    expect(crossed).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
  });
});

describe('userName and externalId lookups, batched', () => {
  const cases: [string, Partial<ListQuery>][] = [
    ['userName eq "ann@acme.test"', {}],
    ['USERNAME eq "ANN@ACME.TEST"', { withRelations: false }],
    ['userName eq "nobody@acme.test"', {}],
    [`userName eq "o\\"brien\\\\ \u00e9\u{1F600}@acme.test"`, {}],
    ['externalId eq "ext-shared"', {}],
    ['externalId eq "ext-shared"', { count: 1 }],
    ['externalId eq "EXT-SHARED"', {}],
    [`externalId eq "ext-\\"quoted\\"\\\\"`, {}],
    ['externalId eq "ext-ann"', {}],
  ];

  it('gives every lookup of a batch the page and total it gets alone', async () => {
    const reads = createBatchedUserReads();
    for (const tenantId of [h.tenantId, h.other.tenantId]) {
      const ctx = ctxOf(tenantId);
      const queries = cases.map(([filter, extra]) => lookup(filter, extra));
      const batched = await Promise.all(queries.map((q) => reads.lookup(ctx, q)));
      const alone = await Promise.all(queries.map((q) => listUsers(ctx, q)));
      expect(asParsed(batched)).toEqual(asParsed(alone));
    }
    const shared = await reads.lookup(ctxOf(h.tenantId), lookup('externalId eq "ext-shared"', { count: 1 }));
    expect(shared).toMatchObject({ total: 2, resources: [{ id: [ids.bob, ids.cat].sort()[0] }] });
  });

  it.each<[string, Partial<ListQuery>]>([
    ['userName eq "ann@acme.test"', { startIndex: 2 }],
    ['userName eq "ann@acme.test"', { count: 0 }],
    ['userName eq "ann@acme.test"', { descending: true }],
    ['userName ne "ann@acme.test"', {}],
    ['userName eq "ann@acme.test" and active eq true', {}],
    ['emails.value eq "ann@acme.test"', {}],
    ['displayName eq "Ann"', {}],
  ])('leaves %s %j to the general query', (filter, extra) => {
    expect(createBatchedUserReads().lookup(ctxOf(h.tenantId), lookup(filter, extra))).toBeUndefined();
  });
});

describe('over HTTP, many requests at once', () => {
  it('answers each request with its own user, ETag and total', async () => {
    const tokenOf = (tenant: 'acme' | 'globex') => (tenant === 'acme' ? h.token : h.other.token);
    const requests = Array.from({ length: 24 }, (_, i) => {
      const tenant = i % 3 === 0 ? 'globex' : 'acme';
      const key = (['ann', 'bob', 'cat', 'quote'] as const)[i % 4]!;
      return { tenant, key, byId: i % 2 === 0 } as const;
    });
    const replies = await Promise.all(
      requests.map(({ tenant, key, byId }) =>
        byId
          ? h.http.get(`/scim/v2/Users/${ids[key]}`).set(as(tokenOf(tenant)))
          : h.http.get('/scim/v2/Users').query({ filter: `externalId eq "ext-${key === 'ann' ? 'ann' : 'shared'}"` }).set(as(tokenOf(tenant))),
      ),
    );
    replies.forEach((res, i) => {
      const { tenant, key, byId } = requests[i]!;
      if (byId) {
        if (tenant === 'globex') return expect(res.status).toBe(404);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(ids[key]);
        expect(res.headers.etag).toBe(res.body.meta.version);
        expect(res.body.groups ?? []).toEqual(key === 'ann' ? [expect.objectContaining({ value: groupId, display: 'Readers' })] : []);
        return;
      }
      expect(res.status).toBe(200);
      const expected = tenant === 'globex' ? (key === 'ann' ? [otherId] : []) : key === 'ann' ? [ids.ann] : [ids.bob, ids.cat].sort();
      expect(res.body.totalResults).toBe(expected.length);
      expect(res.body.Resources.map((r: { id: string }) => r.id)).toEqual(expected);
    });
  });
});

describe('GET of a group by id, batched', () => {
  /** The oracle: the query builder's group row and its own member read, one group at a time. */
  async function alone(tenantId: string, id: string, withMembers: boolean) {
    const row = await findGroup(h.db.db, tenantId, id);
    const members = withMembers ? (await loadMembers(h.db.db, tenantId, [row.id])).get(row.id) : undefined;
    return { id: row.id, doc: row.doc, version: row.version, created: row.createdAt, lastModified: row.updatedAt, ...(members ? { members } : {}) };
  }

  it('answers each id of a batch with its own group and members or its own not-found, within the tenant only', async () => {
    const post = (token: string, body: object) => h.http.post('/scim/v2/Groups').set(as(token)).set('content-type', SCIM).send({ schemas: [GROUP], ...body });
    const writers = await post(h.token, { displayName: 'Writers "and" \\ editors', members: [{ value: ids.bob }, { value: ids.quote }, { value: ids.cat }] });
    const theirs = await post(h.other.token, { displayName: 'Readers', members: [{ value: otherId }] });
    expect([writers.status, theirs.status]).toEqual([201, 201]);
    const reads = createBatchedGroupReads();
    const acme = ctxOf(h.tenantId);
    const wanted = [groupId, writers.body.id, writers.body.id.toUpperCase(), theirs.body.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', groupId];
    for (const withMembers of [true, false]) {
      const batched = await Promise.allSettled(wanted.map((id) => reads.get(acme, id, withMembers)));
      const oracle = await Promise.allSettled(wanted.map((id) => alone(h.tenantId, id, withMembers)));
      expect(batched).toEqual(oracle);
      expect(batched.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      expect((batched[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
      if (withMembers) {
        const members = (batched[1] as PromiseFulfilledResult<{ members: { value: string }[] }>).value.members.map((m) => m.value);
        expect(members).toEqual([ids.bob, ids.quote, ids.cat].sort());
      } else expect(batched.every((r) => r.status === 'rejected' || !('members' in r.value))).toBe(true);
    }
  });

  it('over HTTP, a group whose id the path spells in upper case, with its members', async () => {
    const res = await h.http.get(`/scim/v2/Groups/${groupId.toUpperCase()}`).set(as(h.token));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(groupId);
    expect(res.body.members).toEqual([expect.objectContaining({ value: ids.ann })]);
    const patched = await h.http
      .patch(`/scim/v2/Groups/${groupId.toUpperCase()}`)
      .set(as(h.token))
      .set({ 'content-type': SCIM, prefer: 'return=representation' })
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Readers' }] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.members).toEqual([expect.objectContaining({ value: ids.ann })]);
  });

  it('over HTTP, many at once: each its own group and ETag, never the other tenant\'s', async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        h.http
          .get(`/scim/v2/Groups/${groupId}`)
          .query(i % 2 === 0 ? { excludedAttributes: 'members' } : {})
          .set(as(i % 3 === 0 ? h.other.token : h.token)),
      ),
    );
    replies.forEach((res, i) => {
      if (i % 3 === 0) return expect(res.status).toBe(404);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(res.body.meta.version);
      if (i % 2 === 0) expect(res.body.members).toBeUndefined();
      else expect(res.body.members).toEqual([expect.objectContaining({ value: ids.ann })]);
    });
  });
});

describe('request ids on SCIM answers', () => {
  it.each<[string, () => ReturnType<Harness['http']['get']>, number]>([
    ['GET by id', () => h.http.get(`/scim/v2/Users/${ids.ann}`).set(as(h.token)), 200],
    ['a lookup', () => h.http.get('/scim/v2/Users').query({ filter: 'userName eq "ann@acme.test"' }).set(as(h.token)), 200],
    ['a not-found', () => h.http.get('/scim/v2/Users/00000000-0000-4000-8000-000000000000').set(as(h.token)), 404],
    ['a refused token', () => h.http.get('/scim/v2/Users').set(as('rc_scim_nope')), 401],
    ['an endpoint spelled in lower case', () => h.http.get(`/scim/v2/users/${ids.ann}`).set(as(h.token)), 200],
  ])('%s carries the client’s request id, or a new one', async (_, request, status) => {
    const echoed = await request().set('x-request-id', 'okta-req-42');
    expect(echoed.status).toBe(status);
    expect(echoed.headers['x-request-id']).toBe('okta-req-42');
    const fresh = await request();
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('writes that must read their row, batched', () => {
  it('share one statement per turn, and each answers exactly as with its own read', async () => {
    // A batcher that counts the statements it sends.
    const inner = createReadBatcher();
    let statements = 0;
    const counting: ReadBatcher = {
      load: (group, item, run) =>
        inner.load(group, item, (items) => {
          statements++;
          return run(items);
        }),
    };
    const reads = createBatchedUserReads(counting);
    // No copy of these users in this context: every write reads its row. Changing nothing, each answers with it.
    // The tenant's settings come from a warm cache, as on the server: a write that read them from the
    // store first would reach its row read whenever its own settings query came back.
    const settings = createTenantSettingsCache(h.db.db);
    await settings.get(h.tenantId);
    const acme: DirectoryContext = { ...ctxOf(h.tenantId), settings };
    const unchanged = (doc: Parameters<Parameters<typeof updateUser>[3]>[0]) => doc;
    const wanted = [ids.ann!, ids.bob!, ids.cat!, otherId, '00000000-0000-4000-8000-000000000000'];
    const batched = await Promise.allSettled(wanted.map((id) => updateUser(acme, id, {}, unchanged, {}, { read: reads.get })));
    const alone = await Promise.allSettled(wanted.map((id) => updateUser(acme, id, {}, unchanged)));
    expect(asParsed(batched)).toEqual(asParsed(alone));
    expect(batched.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(statements).toBe(1);
  });

  it('keep If-Match: a stale version fails each write on its own', async () => {
    const reads = createBatchedUserReads();
    const acme = ctxOf(h.tenantId);
    const current = await readUser(acme.db, acme.tenantId, ids.bob!, true);
    const [stale, fresh] = await Promise.allSettled([
      updateUser(acme, ids.ann!, { ifMatch: 'W/"999999"' }, (doc) => doc, {}, { read: reads.get }),
      updateUser(acme, ids.bob!, { ifMatch: current.version === undefined ? undefined : `W/"${current.version}"` }, (doc) => doc, {}, { read: reads.get }),
    ]);
    expect(stale).toMatchObject({ status: 'rejected', reason: { code: 'precondition_failed' } });
    expect(fresh).toMatchObject({ status: 'fulfilled', value: { id: ids.bob } });
  });
});
