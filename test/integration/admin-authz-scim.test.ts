import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScimToken } from '../../src/auth/scim-tokens.js';
import { rows } from '../../src/db/client.js';
import { GROUP_SCHEMA, USER_SCHEMA } from '../support/admin-fixtures.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

let h: Harness;
const tokens = { 'scim:write': '', 'scim:read': '' };
const asAcme = (scope: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[scope]}` });
const asGlobex = () => ({ authorization: `Bearer ${h.other.token}` });

beforeAll(async () => {
  h = await startHarness();
  tokens['scim:write'] = h.token;
  tokens['scim:read'] = (await createScimToken(h.db.db, h.tenantId, { name: 'reader', scopes: ['scim:read'] })).secret;
});
afterAll(() => h.close());

interface Target {
  user: string;
  group: string;
}

/** A user and a group, fresh per case so deletes and replaces never depend on an earlier case. */
async function seed(auth: Record<string, string>, tag: string): Promise<Target> {
  const user = await h.http.post('/scim/v2/Users').set(auth).set('content-type', SCIM).send({ schemas: [USER_SCHEMA], userName: `${tag}-${randomUUID()}@x.test` });
  const group = await h.http.post('/scim/v2/Groups').set(auth).set('content-type', SCIM).send({ schemas: [GROUP_SCHEMA], displayName: `${tag} ${randomUUID()}` });
  expect([user.status, group.status]).toEqual([201, 201]);
  return { user: user.body.id, group: group.body.id };
}

interface ScimCase {
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: (t: Target) => string;
  body?: (t: Target) => object;
  write: boolean;
  /** Whether the request names a resource, so "another tenant's id" applies. */
  byId: boolean;
  ok: number[];
  /** Where the path lives; the SCIM base unless said otherwise. */
  base?: string;
}

const resourceCases = (type: 'Users' | 'Groups'): ScimCase[] => {
  const id = (t: Target) => (type === 'Users' ? t.user : t.group);
  const doc = () => (type === 'Users' ? { schemas: [USER_SCHEMA], userName: `r-${randomUUID()}@x.test` } : { schemas: [GROUP_SCHEMA], displayName: `r ${randomUUID()}` });
  const attr = type === 'Users' ? 'displayName' : 'externalId';
  return [
    { name: `GET /${type}`, method: 'get', path: () => `/${type}`, write: false, byId: false, ok: [200] },
    { name: `POST /${type}`, method: 'post', path: () => `/${type}`, body: doc, write: true, byId: false, ok: [201] },
    { name: `POST /${type}/.search`, method: 'post', path: () => `/${type}/.search`, body: () => ({ schemas: [SEARCH], count: 1000 }), write: false, byId: false, ok: [200] },
    { name: `GET /${type}/{id}`, method: 'get', path: (t) => `/${type}/${id(t)}`, write: false, byId: true, ok: [200] },
    { name: `PUT /${type}/{id}`, method: 'put', path: (t) => `/${type}/${id(t)}`, body: doc, write: true, byId: true, ok: [200] },
    {
      name: `PATCH /${type}/{id}`,
      method: 'patch',
      path: (t) => `/${type}/${id(t)}`,
      body: () => ({ schemas: [PATCH], Operations: [{ op: 'replace', path: attr, value: 'patched' }] }),
      write: true,
      byId: true,
      ok: [200, 204],
    },
    { name: `DELETE /${type}/{id}`, method: 'delete', path: (t) => `/${type}/${id(t)}`, write: true, byId: true, ok: [204] },
  ];
};

const CASES: ScimCase[] = [
  ...resourceCases('Users'),
  ...resourceCases('Groups'),
  {
    name: 'POST /Bulk',
    method: 'post',
    path: () => '/Bulk',
    body: (t) => ({ schemas: [BULK], Operations: [{ method: 'DELETE', path: `/Users/${t.user}` }] }),
    write: true,
    byId: true,
    ok: [200],
  },
  ...['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/User', '/Schemas', `/Schemas/${USER_SCHEMA}`].map(
    (p): ScimCase => ({ name: `GET ${p}`, method: 'get', path: () => p, write: false, byId: false, ok: [200] }),
  ),
  // The change feed, read with the same tokens: each token's own tenant only (globex ids never leak).
  { name: 'GET /events', method: 'get', base: '', path: () => '/events?limit=1000', write: false, byId: false, ok: [200] },
];

const MATRIX = CASES.flatMap((c) =>
  (['scim:write', 'scim:read'] as const).flatMap((scope) =>
    (c.byId ? (['own', 'other'] as const) : (['own'] as const)).map((whose) => {
      const outcome = c.write && scope === 'scim:read' ? '403' : whose === 'other' ? '404' : 'ok';
      return { name: `${c.name} with ${scope} on ${whose} resource → ${outcome}`, c, scope, whose, outcome };
    }),
  ),
);

async function globexIds(): Promise<string[]> {
  const found = await rows<{ id: string }>(
    h.db.db,
    sql`select id::text as id from users where tenant_id = ${h.other.tenantId}
        union all select id::text from groups where tenant_id = ${h.other.tenantId}`,
  );
  return found.map((r) => r.id);
}

describe('SCIM endpoints × token scope × own/other tenant', () => {
  it.each(MATRIX)('$name', async ({ c, scope, whose, outcome }) => {
    const own = await seed(asAcme('scim:write'), 'acme');
    const foreign = await seed(asGlobex(), 'globex');
    const target = whose === 'own' ? own : foreign;
    let req = h.http[c.method](`${c.base ?? '/scim/v2'}${c.path(target)}`).set(asAcme(scope));
    if (c.body) req = req.set('content-type', SCIM).send(c.body(target));
    const res = await req;

    if (outcome === '403') {
      expect(res.status, res.text).toBe(403);
      expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403' });
    } else if (outcome === '404' && c.name === 'POST /Bulk') {
      // Bulk answers 200 overall; the operation on another tenant's user fails on its own.
      expect(res.status, res.text).toBe(200);
      expect(res.body.Operations[0].status).toBe('404');
    } else if (outcome === '404') {
      expect(res.status, res.text).toBe(404);
      expect(res.body).toMatchObject({ status: '404' });
    } else {
      expect(c.ok, res.text).toContain(res.status);
      if (c.name === 'POST /Bulk') expect(res.body.Operations[0].status).toBe('204');
    }

    // Whatever the outcome, globex's resources are untouched: still there, still at version 1.
    for (const path of [`/Users/${foreign.user}`, `/Groups/${foreign.group}`]) {
      const after = await h.http.get(`/scim/v2${path}`).set(asGlobex());
      expect(after.status, path).toBe(200);
      expect(after.headers.etag).toBe('W/"1"');
    }
    // A refused write leaves the caller's own resource untouched too.
    if (outcome === '403') {
      expect((await h.http.get(`/scim/v2/Users/${own.user}`).set(asAcme('scim:write'))).headers.etag).toBe('W/"1"');
    }
    // An id the caller sent may be echoed in a 404's detail; any other globex id in the answer is a leak.
    const sent = `${c.path(target)} ${JSON.stringify(c.body?.(target) ?? {})}`;
    for (const id of await globexIds()) if (!sent.includes(id)) expect(res.text ?? '', `leaks ${id}`).not.toContain(id);
  });

  it('lists and searches of each tenant return only its own resources, both ways', async () => {
    await seed(asAcme('scim:write'), 'acme');
    await seed(asGlobex(), 'globex');
    const idsOf = async (tenantId: string) =>
      (await rows<{ id: string }>(h.db.db, sql`select id::text as id from users where tenant_id = ${tenantId} union all select id::text from groups where tenant_id = ${tenantId}`)).map(
        (r) => r.id,
      );
    for (const [auth, mine, theirs] of [
      [asAcme('scim:read'), h.tenantId, h.other.tenantId],
      [asGlobex(), h.other.tenantId, h.tenantId],
    ] as const) {
      const seen: string[] = [];
      for (const type of ['Users', 'Groups']) {
        const list = await h.http.get(`/scim/v2/${type}`).query({ count: 1000 }).set(auth);
        const search = await h.http.post(`/scim/v2/${type}/.search`).set(auth).set('content-type', SCIM).send({ schemas: [SEARCH], count: 1000 });
        expect([list.status, search.status]).toEqual([200, 200]);
        expect(search.body.Resources.map((r: { id: string }) => r.id).sort()).toEqual(list.body.Resources.map((r: { id: string }) => r.id).sort());
        seen.push(...list.body.Resources.map((r: { id: string }) => r.id));
      }
      expect(seen.sort()).toEqual((await idsOf(mine)).sort());
      for (const id of await idsOf(theirs)) expect(seen).not.toContain(id);
    }
  });
});
