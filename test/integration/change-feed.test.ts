import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScimToken } from '../../src/auth/scim-tokens.js';
import { seal } from '../../src/crypto/secret-box.js';
import type { DirectoryContext } from '../../src/directory/context.js';
import { createUser } from '../../src/directory/users/create-user.js';
import { createUsers } from '../../src/directory/users/create-users.js';
import { deleteUser } from '../../src/directory/users/delete-user.js';
import { updateUser } from '../../src/directory/users/update-user.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { bearerFor, GROUP_SCHEMA, USER_SCHEMA } from '../support/admin-fixtures.js';
import { SCIM, startHarness, TEST_SECRET_KEY, type Harness } from '../support/harness.js';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let h: Harness;
let reader = '';
type FeedItem = { id: string; cursor: string; type: string; tenantId: string; resourceId: string | null; source: { kind: string }; resource?: Record<string, unknown>; changed?: string[] };

beforeAll(async () => {
  h = await startHarness();
  reader = (await createScimToken(h.db.db, h.tenantId, { name: 'app', scopes: ['scim:read'] })).secret;
  // Both tenants change: users, a group with a member, a leaver.
  for (const [token, tag] of [
    [h.token, 'acme'],
    [h.other.token, 'globex'],
  ] as const) {
    const scim = (method: 'post' | 'patch', path: string) => h.http[method](`/scim/v2${path}`).set('authorization', `Bearer ${token}`).set('content-type', SCIM);
    const user = (await scim('post', '/Users').send({ schemas: [USER_SCHEMA], userName: `first@${tag}.test` })).body.id;
    await scim('post', '/Groups').send({ schemas: [GROUP_SCHEMA], displayName: `${tag} team`, members: [{ value: user }] });
    await scim('patch', `/Users/${user}`).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    await scim('patch', `/Users/${user}`).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] });
  }
});
afterAll(() => h.close());

/** The whole feed through GET /events with a token, page by page. */
async function tokenFeed(token: string, limit = 2): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let after: string | undefined;
  for (;;) {
    const res = await h.http.get('/events').query({ limit, ...(after ? { after } : {}) }).set('authorization', `Bearer ${token}`);
    expect(res.status, res.text).toBe(200);
    if (res.body.items.length === 0) {
      expect(res.body.next).toBe(after ?? '0-0');
      return items;
    }
    items.push(...res.body.items);
    after = res.body.next;
  }
}

describe('the change feed', () => {
  it("of a tenant never shows another tenant's events, by token or by admin", async () => {
    const acme = await tokenFeed(reader);
    const globex = await tokenFeed(h.other.token);
    expect(acme.map((e) => e.type)).toEqual(['user.created', 'group.created', 'group.member_added', 'user.archived', 'user.reactivated']);
    expect(globex.map((e) => e.type)).toEqual(acme.map((e) => e.type));
    expect(acme.every((e) => e.tenantId === h.tenantId)).toBe(true);
    expect(globex.every((e) => e.tenantId === h.other.tenantId)).toBe(true);
    const acmeText = JSON.stringify(acme);
    for (const e of globex) expect(acmeText).not.toContain(e.resourceId!);
    expect(acmeText).not.toContain('globex');

    const byAdmin = await h.http.get('/admin/v1/tenants/acme/events').query({ limit: 1000 }).set('authorization', await bearerFor({ role: 'auditor', tenant: 'acme' }));
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.items).toEqual(acme);
    const cross = await h.http.get('/admin/v1/tenants/globex/events').set('authorization', await bearerFor({ role: 'admin', tenant: 'acme' }));
    expect(cross.status).toBe(403);
  });

  it('pages without gaps or repeats, and filters by type', async () => {
    const all = await tokenFeed(reader, 1000);
    expect(await tokenFeed(reader, 1)).toEqual(all);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    const third = all[2]!;
    const rest = await h.http.get('/events').query({ after: third.cursor }).set('authorization', `Bearer ${reader}`);
    expect(rest.body.items).toEqual(all.slice(3));
    const leavers = await h.http.get('/events').query({ types: 'user.archived,user.deleted' }).set('authorization', `Bearer ${reader}`);
    expect(leavers.body.items.map((e: FeedItem) => e.type)).toEqual(['user.archived']);
    expect(leavers.body.items[0]).toMatchObject({ source: { kind: 'token' }, resource: { active: false }, changed: ['active'] });
  });

  it('a scim:read token reads the feed but writes nothing, there or anywhere', async () => {
    const auth = { authorization: `Bearer ${reader}` };
    expect((await h.http.get('/events').set(auth)).status).toBe(200);
    for (const method of ['post', 'put', 'patch', 'delete'] as const) expect((await h.http[method]('/events').set(auth).send({})).status).toBe(405);
    const write = await h.http.post('/scim/v2/Users').set(auth).set('content-type', SCIM).send({ schemas: [USER_SCHEMA], userName: 'nope@acme.test' });
    expect(write.status).toBe(403);
    expect((await h.http.get('/admin/v1/tenants/acme/events').set(auth)).status).toBe(401);
    expect((await h.http.post('/admin/v1/tenants/acme/webhooks').set(auth).send({ url: 'http://127.0.0.1:9/' })).status).toBe(401);
  });

  it('refuses a missing or bad token, a bad cursor and an unknown type', async () => {
    expect((await h.http.get('/events')).status).toBe(401);
    expect((await h.http.get('/events').set('authorization', 'Bearer rc_scim_nope')).status).toBe(401);
    const bad = await h.http.get('/events').query({ after: 'yesterday' }).set('authorization', `Bearer ${reader}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid_value', detail: expect.stringContaining('cursor') });
    expect((await h.http.get('/events').query({ types: 'user.exploded' }).set('authorization', `Bearer ${reader}`)).status).toBe(400);
  });

  it('never carries the HR bank account or its digest, on any write path', async () => {
    const ctx: DirectoryContext = { db: h.db.db, tenantId: h.tenantId, source: { kind: 'connection', id: '0190aaaa-0000-7000-8000-000000000001' } };
    const sealed = seal(TEST_SECRET_KEY, JSON.stringify({ iban: 'DE89370400440532013000' }));
    const hr = { lifecycle: 'active', management: 'manual', bankAccount: sealed, bankAccountDigest: 'digest-of-the-account' };
    const doc = (n: number) => ({ schemas: [USER_SCHEMA, HR_URN], userName: `paid${n}@acme.test`, [HR_URN]: hr });
    const one = await createUser(ctx, { doc: doc(1) });
    await createUsers(ctx, [{ id: '0190aaaa-0000-7000-8000-0000000000b2', doc: doc(2) }]);
    await updateUser(ctx, one.id, {}, (current) => ({ ...current, title: 'Paid' }));
    await deleteUser(ctx, one.id, {});
    const feed = await tokenFeed(reader, 1000);
    const paid = feed.filter((e) => e.resource && String(e.resource.userName).startsWith('paid'));
    expect(paid.map((e) => e.type)).toEqual(['user.created', 'user.created', 'user.updated', 'user.deleted']);
    for (const e of paid) expect(e.resource![HR_URN]).toEqual({ lifecycle: 'active', management: 'manual' });
    const text = JSON.stringify(feed);
    for (const secret of ['bankAccount', 'digest-of-the-account', sealed, 'DE89']) expect(text).not.toContain(secret);
  });
});
