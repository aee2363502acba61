import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScimToken } from '../../src/auth/scim-tokens.js';
import { rows } from '../../src/db/client.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let h: Harness;
const auth = () => ({ authorization: `Bearer ${h.token}` });
const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER], userName, ...extra });

async function create(userName: string, extra: Record<string, unknown> = {}) {
  const res = await h.http.post('/scim/v2/Users').set(auth()).set('content-type', SCIM).send(newUser(userName, extra));
  expect(res.status).toBe(201);
  return res.body as { id: string; meta: { version: string } };
}

beforeAll(async () => {
  h = await startHarness({ bodyLimit: 64 * 1024, maxResults: 50 });
});
afterAll(() => h.close());

describe('authentication', () => {
  it.each([
    ['no header', undefined],
    ['wrong scheme', 'Basic abc'],
    ['unknown token', 'Bearer rc_scim_nope'],
  ])('%s → 401 with the SCIM error body', async (_, header) => {
    const req = h.http.get('/scim/v2/Users');
    const res = await (header ? req.set('authorization', header) : req);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
  });

  it('refuses revoked and expired tokens, and writes with a read-only token', async () => {
    const expired = await createScimToken(h.db.db, h.tenantId, { name: 'old', expiresAt: new Date(Date.now() - 1000) });
    expect((await h.http.get('/scim/v2/Users').set('authorization', `Bearer ${expired.secret}`)).status).toBe(401);
    const reader = await createScimToken(h.db.db, h.tenantId, { name: 'app', scopes: ['scim:read'] });
    const read = await h.http.get('/scim/v2/Users').set('authorization', `Bearer ${reader.secret}`);
    expect(read.status).toBe(200);
    const write = await h.http.post('/scim/v2/Users').set('authorization', `Bearer ${reader.secret}`).send(newUser('ro@x.test'));
    expect(write.status).toBe(403);
    expect(write.body.status).toBe('403');
  });
});

describe('tenants are walls', () => {
  it('another tenant cannot see, change or delete a user, and may reuse its userName', async () => {
    const { id } = await create('wall@acme.test');
    const other = { authorization: `Bearer ${h.other.token}` };
    expect((await h.http.get(`/scim/v2/Users/${id}`).set(other)).status).toBe(404);
    expect((await h.http.delete(`/scim/v2/Users/${id}`).set(other)).status).toBe(404);
    const patch = { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] };
    expect((await h.http.patch(`/scim/v2/Users/${id}`).set(other).send(patch)).status).toBe(404);
    const list = await h.http.get('/scim/v2/Users').query({ filter: 'userName eq "wall@acme.test"' }).set(other);
    expect(list.body.totalResults).toBe(0);
    const same = await h.http.post('/scim/v2/Users').set(other).send(newUser('wall@acme.test'));
    expect(same.status).toBe(201);
    expect((await h.http.get(`/scim/v2/Users/${id}`).set(auth())).body.active).not.toBe(false);
  });
});

describe('create and read', () => {
  it('answers 201 with Location, ETag, meta and no password', async () => {
    const res = await h.http
      .post('/scim/v2/Users')
      .set(auth())
      .set('content-type', 'application/json')
      .send(newUser('ann@acme.test', { password: 'placeholder-Pw1!', externalId: 'okta-1', [ENTERPRISE]: { employeeNumber: '7' } }));
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
    expect(res.headers.location).toBe(`https://rollcall.test/scim/v2/Users/${res.body.id}`);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.body.password).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('placeholder-Pw1!');
    expect(res.body.meta).toMatchObject({ resourceType: 'User', version: 'W/"1"', location: res.headers.location });
    expect(res.body.schemas).toEqual([USER, ENTERPRISE]);
    expect(res.body.groups).toEqual([]);
  });

  it('409 uniqueness on a userName that differs only in case', async () => {
    await create('dup@acme.test');
    const res = await h.http.post('/scim/v2/Users').set(auth()).send(newUser('DUP@acme.TEST'));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('answers each write with the user a later GET shows', async () => {
    // The answer shows the document the server wrote, not the row read back: they must not differ.
    const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
    const sent = newUser('echo@acme.test', {
      name: { givenName: 'Zoë', familyName: 'Ødegård' },
      emails: [{ value: 'echo@acme.test', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'R&D ✓', manager: { value: 'someone' } },
      [CUSTOM]: { score: 1.5, big: 1e21, flag: false },
    });
    const sameAsGet = async (res: { status: number; body: { id: string } }, status: number) => {
      expect(res.status).toBe(status);
      const got = await h.http.get(`/scim/v2/Users/${res.body.id}`).set(auth());
      expect(res.body).toEqual(got.body);
      return res.body.id;
    };
    const id = await sameAsGet(await h.http.post('/scim/v2/Users').set(auth()).set('content-type', SCIM).send({ ...sent, schemas: [USER, ENTERPRISE, CUSTOM] }), 201);
    const patch = { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }, { op: 'add', path: `${ENTERPRISE}:costCenter`, value: 'CC-1' }] };
    await sameAsGet(await h.http.patch(`/scim/v2/Users/${id}`).set(auth()).set('content-type', SCIM).send(patch), 200);
    await sameAsGet(await h.http.put(`/scim/v2/Users/${id}`).set(auth()).set('content-type', SCIM).send({ ...sent, schemas: [USER, ENTERPRISE, CUSTOM], title: 'Head' }), 200);
    const got = await h.http.get(`/scim/v2/Users/${id}`).set(auth());
    expect(got.body).toMatchObject({ title: 'Head', name: { givenName: 'Zoë' }, [CUSTOM]: { score: 1.5, big: 1e21, flag: false } });
    expect(got.body.meta.version).toBe('W/"3"');
  });

  it.each([
    ['malformed JSON', '{"schemas": [', 400, 'invalidSyntax'],
    ['a JSON array', '[]', 400, 'invalidSyntax'],
    ['no userName', JSON.stringify({ schemas: [USER] }), 400, 'invalidValue'],
    ['a wrong type', JSON.stringify({ schemas: [USER], userName: 'x@y', active: 'perhaps' }), 400, 'invalidValue'],
  ])('%s → %i %s', async (_, body, status, scimType) => {
    const res = await h.http.post('/scim/v2/Users').set(auth()).set('content-type', SCIM).send(body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ status: String(status), scimType });
  });

  it('413 for a body over the limit, and nothing is stored', async () => {
    const res = await h.http
      .post('/scim/v2/Users')
      .set(auth())
      .set('content-type', SCIM)
      .send(newUser('big@acme.test', { title: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.status).toBe('413');
    const list = await h.http.get('/scim/v2/Users').query({ filter: 'userName eq "big@acme.test"' }).set(auth());
    expect(list.body.totalResults).toBe(0);
  });

  it.each(['not-a-uuid', '00000000-0000-0000-0000-000000000000', "1' or '1'='1"])('unknown id %s → 404, never a 500', async (id) => {
    for (const res of [
      await h.http.get(`/scim/v2/Users/${encodeURIComponent(id)}`).set(auth()),
      await h.http.put(`/scim/v2/Users/${encodeURIComponent(id)}`).set(auth()).send(newUser('x@y.z')),
      await h.http.delete(`/scim/v2/Users/${encodeURIComponent(id)}`).set(auth()),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status: '404', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    }
  });
});

describe('versions and preconditions', () => {
  it('If-None-Match → 304, If-Match mismatch → 412 and nothing changes', async () => {
    const { id } = await create('etag@acme.test');
    const got = await h.http.get(`/scim/v2/Users/${id}`).set(auth());
    expect((await h.http.get(`/scim/v2/Users/${id}`).set(auth()).set('if-none-match', got.headers.etag!)).status).toBe(304);
    const stale = await h.http
      .put(`/scim/v2/Users/${id}`)
      .set(auth())
      .set('if-match', 'W/"999"')
      .send(newUser('etag@acme.test', { title: 'changed' }));
    expect(stale.status).toBe(412);
    const ok = await h.http.put(`/scim/v2/Users/${id}`).set(auth()).set('if-match', got.headers.etag!).send(newUser('etag@acme.test', { title: 'changed' }));
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('W/"2"');
  });

  it("joining or leaving a group changes the user's ETag (its groups are in the representation); If-Match still names the version", async () => {
    const { id } = await create('member-etag@acme.test');
    const before = await h.http.get(`/scim/v2/Users/${id}`).set(auth());
    expect(before.headers.etag).toBe('W/"1"');
    const group = await h.http.post('/scim/v2/Groups').set(auth()).set('content-type', SCIM)
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'ETag crew', members: [{ value: id }] });
    expect(group.status).toBe(201);

    const joined = await h.http.get(`/scim/v2/Users/${id}`).set(auth()).set('if-none-match', before.headers.etag!);
    expect(joined.status).toBe(200);
    expect(joined.body.groups).toEqual([expect.objectContaining({ value: group.body.id })]);
    expect(joined.headers.etag).toMatch(/^W\/"1\.[\w-]+"$/);
    expect(joined.body.meta.version).toBe(joined.headers.etag);
    expect((await h.http.get(`/scim/v2/Users/${id}`).set(auth()).set('if-none-match', joined.headers.etag!)).status).toBe(304);
    // Without its groups the representation is the one the version alone names.
    expect((await h.http.get(`/scim/v2/Users/${id}?excludedAttributes=groups`).set(auth())).headers.etag).toBe('W/"1"');

    const patched = await h.http.patch(`/scim/v2/Users/${id}`).set(auth()).set('content-type', SCIM).set('if-match', joined.headers.etag!)
      .send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'Member' }] });
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toMatch(/^W\/"2\./);

    await h.http.delete(`/scim/v2/Groups/${group.body.id}`).set(auth()).expect(204);
    const left = await h.http.get(`/scim/v2/Users/${id}`).set(auth()).set('if-none-match', patched.headers.etag!);
    expect(left.status).toBe(200);
    expect(left.headers.etag).toBe('W/"2"');
  });

  it('PATCH is atomic: one bad operation changes nothing and keeps the version', async () => {
    const { id } = await create('atomic@acme.test', { title: 'before' });
    const res = await h.http
      .patch(`/scim/v2/Users/${id}`)
      .set(auth())
      .set('content-type', SCIM)
      .send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'after' }, { op: 'replace', path: 'nonsense.attr', value: 1 }] });
    expect(res.status).toBe(400);
    const after = await h.http.get(`/scim/v2/Users/${id}`).set(auth());
    expect(after.body.title).toBe('before');
    expect(after.headers.etag).toBe('W/"1"');
  });

  it('a write and its change event commit together', async () => {
    const { id } = await create('feed@acme.test');
    await h.http
      .patch(`/scim/v2/Users/${id}`)
      .set(auth())
      .set('content-type', SCIM)
      .send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    const events = await rows<{ type: string }>(h.db.db, sql`select type from change_events where resource_id = ${id} order by seq`);
    // Access ending is what the app on top reacts to: `active: false` is a leaver.
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.archived']);
  });
});

describe('lists', () => {
  it('no match → 200 with an empty ListResponse; unknown attribute → 400 invalidFilter', async () => {
    const none = await h.http.get('/scim/v2/Users').query({ filter: 'userName eq "nobody@nowhere"' }).set(auth());
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 });
    const bad = await h.http.get('/scim/v2/Users').query({ filter: 'shoeSize gt 3' }).set(auth());
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidFilter');
  });

  it('pages stably, treats startIndex < 1 as 1, caps count at the advertised maximum', async () => {
    for (let i = 0; i < 5; i++) await create(`page${i}@list.test`);
    const filter = 'userName ew "@list.test"';
    const first = await h.http.get('/scim/v2/Users').query({ filter, startIndex: 0, count: 2, sortBy: 'userName' }).set(auth());
    expect(first.body).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 2 });
    expect(first.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['page0@list.test', 'page1@list.test']);
    const desc = await h.http.get('/scim/v2/Users').query({ filter, sortBy: 'userName', sortOrder: 'descending', count: 1 }).set(auth());
    expect(desc.body.Resources[0].userName).toBe('page4@list.test');
    const capped = await h.http.get('/scim/v2/Users').query({ count: 100000 }).set(auth());
    expect(capped.body.itemsPerPage).toBeLessThanOrEqual(50);
  });

  it('POST /Users/.search takes the same query in the body', async () => {
    const res = await h.http
      .post('/scim/v2/Users/.search')
      .set(auth())
      .set('content-type', SCIM)
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName sw "page"', attributes: ['userName'], count: 10 });
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(5);
    expect(Object.keys(res.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('walks by cursor, and rejects a forged cursor', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let guard = 0; guard < 10; guard++) {
      const res = await h.http.get('/scim/v2/Users').query({ filter: 'userName ew "@list.test"', cursor, count: 2 }).set(auth());
      expect(res.status).toBe(200);
      seen.push(...res.body.Resources.map((r: { userName: string }) => r.userName));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect(seen.sort()).toEqual(['page0@list.test', 'page1@list.test', 'page2@list.test', 'page3@list.test', 'page4@list.test']);
    const forged = await h.http.get('/scim/v2/Users').query({ cursor: 'garbage!', count: 2 }).set(auth());
    expect(forged.status).toBe(400);
    expect(forged.body.scimType).toBe('invalidCursor');
  });
});

describe('discovery', () => {
  it('serves the configuration under both names, and refuses writes with 405', async () => {
    for (const path of ['/scim/v2/ServiceProviderConfig', '/scim/v2/serviceConfiguration']) {
      const res = await h.http.get(path).set(auth());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 50 }, etag: { supported: true } });
    }
    const types = await h.http.get('/scim/v2/ResourceTypes').set(auth());
    expect(types.body.Resources.map((r: { endpoint: string }) => r.endpoint)).toEqual(['/Users', '/Groups']);
    const schema = await h.http.get(`/scim/v2/Schemas/${ENTERPRISE}`).set(auth());
    expect(schema.body.attributes.map((a: { name: string }) => a.name)).toContain('manager');
    const refused = await h.http.post('/scim/v2/Schemas').set(auth()).send({});
    expect(refused.status).toBe(405);
    expect(refused.body.status).toBe('405');
  });
});
