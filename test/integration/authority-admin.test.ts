import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from '../../src/connections/service.js';
import { createCompany } from '../fakes/bamboohr/company.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, fakeNow, fastBambooHr } from '../support/sync-fixture.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TENANT = 'urn:rollcall:params:scim:schemas:extension:tenant:2.0:User';

let h: Harness;
let fake: FakeBambooHr;
let admin: string;
let mine: string;
let theirs: string;
const authority = (slug = 'acme') => h.http.get(`/admin/v1/tenants/${slug}/authority`).set('authorization', admin);
const edit = (body: unknown) => h.http.patch('/admin/v1/tenants/acme/authority').set('authorization', admin).send(body as object);

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: createCompany([]) });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake) } });
  admin = await bearerFor({ role: 'admin', tenant: 'acme' });
  mine = (await createConnection(h.connections, h.tenantId, bambooConnectionBody(fake))).id;
  theirs = (await createConnection(h.connections, h.other.tenantId, bambooConnectionBody(fake))).id;
  await h.http.post('/admin/v1/tenants/acme/schema/attributes').set('authorization', admin).send({ name: 'costCode', type: 'string' });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

describe('reading and setting the source of authority', () => {
  it('starts from the defaults: HR owns its fields, SCIM writes are ignored, admins refused', async () => {
    const res = await authority();
    expect(res.status).toBe(200);
    expect(res.body.default).toBe(true);
    expect(res.body.policies).toEqual({ scim: 'ignore', manual: 'reject', hr: 'ignore' });
    expect(res.body.rules.map((r: { path: string }) => r.path)).toEqual([
      'userName', 'name.givenName', 'name.familyName', 'displayName', 'title', 'emails',
      `${ENT}:employeeNumber`, `${ENT}:costCenter`, `${ENT}:department`, `${ENT}:manager.value`,
    ]);
    expect(res.body.rules.every((r: { owner: string }) => r.owner === 'hr')).toBe(true);
  });

  it('merges an edit into the current rules, canonical paths, and saves it', async () => {
    const res = await edit({ rules: { TITLE: 'scim', 'costcode': `connection:${mine}`, 'Name.GivenName': null, nickName: 'manual' }, policies: { manual: 'ignore' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.default).toBe(false);
    expect(res.body.policies).toEqual({ scim: 'ignore', manual: 'ignore', hr: 'ignore' });
    const rules = Object.fromEntries(res.body.rules.map((r: { path: string; owner: string }) => [r.path, r.owner]));
    expect(rules).toMatchObject({ title: 'scim', [`${TENANT}:costCode`]: `connection:${mine}`, nickName: 'manual', 'name.familyName': 'hr' });
    expect(rules['name.givenName']).toBeUndefined();
    expect((await authority()).body).toEqual(res.body);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown attribute', { rules: { shoeSize: 'scim' } }, /unknown attribute shoeSize/],
    ['a read-only attribute', { rules: { id: 'scim' } }, /id is not written by any source/],
    ['the HR extension', { rules: ['urn:rollcall:params:scim:schemas:extension:hr:2.0:User:location'].reduce((o, k) => ({ ...o, [k]: 'hr' }), {}) }, /not written by any source/],
    ['a sub-attribute of a multi-valued attribute', { rules: { 'emails.value': 'scim' } }, /part of the multi-valued emails/],
    ['a path inside another rule', { rules: { name: 'scim' } }, /name\.familyName is part of name/],
    ['an unknown owner', { rules: { title: 'okta' } }, /owner must be hr, scim, manual or connection/],
    ['a malformed connection', { rules: { title: 'connection:abc' } }, /owner must be/],
    ['an unknown policy', { policies: { scim: 'shrug' } }, /body\.policies\.scim/],
    ['an unknown writer', { policies: { okta: 'ignore' } }, /body\.policies/],
  ])('refuses %s with 400 naming it, saving nothing', async (_, body, detail) => {
    const before = (await authority()).body;
    const res = await edit(body);
    expect(res.status, res.text).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(detail);
    expect((await authority()).body).toEqual(before);
  });

  it("refuses another tenant's connection as an owner", async () => {
    const res = await edit({ rules: { title: `connection:${theirs}` } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(`connection ${theirs} is not an HR connection of this tenant`);
  });

  it('refuses to remove an attribute a rule names', async () => {
    const res = await h.http.delete('/admin/v1/tenants/acme/schema/attributes/costCode').set('authorization', admin);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/rule names costCode/);
  });

  it("leaves other tenants' rules alone and is closed to their admins and to auditors' writes", async () => {
    expect((await authority('globex')).status).toBe(403);
    const other = await bearerFor({ role: 'admin', tenant: 'globex' });
    expect((await h.http.get('/admin/v1/tenants/globex/authority').set('authorization', other)).body.default).toBe(true);
    const auditor = await bearerFor({ role: 'auditor', tenant: 'acme' });
    expect((await h.http.patch('/admin/v1/tenants/acme/authority').set('authorization', auditor).send({ policies: { scim: 'reject' } })).status).toBe(403);
  });

  it('resets to the defaults', async () => {
    const res = await h.http.delete('/admin/v1/tenants/acme/authority').set('authorization', admin);
    expect(res.status).toBe(200);
    expect(res.body.default).toBe(true);
    expect((await authority()).body.rules).toHaveLength(10);
  });
});

describe('rules at work over SCIM, with the extension', () => {
  it('a manual-owned field: SCIM writes are kept out and listed; the admin API shows the conflict', async () => {
    expect((await edit({ rules: { nickName: 'manual' } })).status).toBe(200);
    const created = await h.http
      .post('/scim/v2/Users')
      .set('authorization', `Bearer ${h.token}`)
      .set('content-type', 'application/scim+json')
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'nick@acme.test', nickName: 'Nick' });
    expect(created.status).toBe(201);
    // A create has no owner's value to keep: it is taken as sent. Later writes follow the rule.
    expect(created.body.nickName).toBe('Nick');
    const patched = await h.http
      .patch(`/scim/v2/Users/${created.body.id}`)
      .set('authorization', `Bearer ${h.token}`)
      .set('content-type', 'application/scim+json')
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'nickName', value: 'Nicky' }] });
    expect(patched.status).toBe(200);
    expect(patched.body.nickName).toBe('Nick');
    const conflicts = await h.http.get(`/admin/v1/tenants/acme/users/${created.body.id}/conflicts`).set('authorization', admin);
    expect(conflicts.body.items).toEqual([
      { path: 'nickName', owner: 'manual', stored: 'Nick', sources: [expect.objectContaining({ source: { kind: 'token', id: expect.any(String) }, value: 'Nicky' })] },
    ]);
    const tenantWide = await h.http.get('/admin/v1/tenants/acme/conflicts').query({ limit: 1 }).set('authorization', admin);
    expect(tenantWide.body.items).toEqual([expect.objectContaining({ userName: 'nick@acme.test', path: 'nickName', attempted: 'Nicky', stored: 'Nick' })]);
    // A `before` outside the years a timestamp holds is the caller's 400, not a database error.
    for (const before of ['0001-01-01T00:00:00+01:00', '9999-12-31T23:30:00-01:00']) {
      const refused = await h.http.get('/admin/v1/tenants/acme/conflicts').query({ before }).set('authorization', admin);
      expect(refused.status).toBe(400);
    }
    const early = await h.http.get('/admin/v1/tenants/acme/conflicts').query({ before: '0001-01-01T01:00:00+01:00' }).set('authorization', admin);
    expect([early.status, early.body.items]).toEqual([200, []]);
    // Another tenant's admin sees none of it.
    const other = await bearerFor({ role: 'admin', tenant: 'globex' });
    expect((await h.http.get(`/admin/v1/tenants/globex/users/${created.body.id}/conflicts`).set('authorization', other)).status).toBe(404);
    expect((await h.http.get('/admin/v1/tenants/globex/conflicts').set('authorization', other)).body.items).toEqual([]);
  });
});
