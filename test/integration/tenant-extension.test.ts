import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor } from '../support/admin-fixtures.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const TENANT = 'urn:rollcall:params:scim:schemas:extension:tenant:2.0:User';

let h: Harness;
let admin: string;
const acme = () => ({ authorization: `Bearer ${h.token}` });
const globex = () => ({ authorization: `Bearer ${h.other.token}` });

const declare = (body: Record<string, unknown>, slug = 'acme') =>
  h.http.post(`/admin/v1/tenants/${slug}/schema/attributes`).set('authorization', admin).send(body);
const create = (auth: Record<string, string>, userName: string, ext?: Record<string, unknown>) =>
  h.http
    .post('/scim/v2/Users')
    .set(auth)
    .set('content-type', SCIM)
    .send({ schemas: [USER, ...(ext ? [TENANT] : [])], userName, ...(ext ? { [TENANT]: ext } : {}) });
const list = (auth: Record<string, string>, query: Record<string, string>) => h.http.get('/scim/v2/Users').query(query).set(auth);
const names = (res: { body: { Resources: { userName: string }[] } }) => res.body.Resources.map((r) => r.userName);

const DECLARED = [
  { name: 'costCode', type: 'string', description: 'Finance cost code' },
  { name: 'badge', type: 'string', caseExact: true },
  { name: 'level', type: 'integer' },
  { name: 'onCall', type: 'boolean' },
  { name: 'hiredAt', type: 'dateTime' },
  { name: 'rate', type: 'decimal' },
  { name: 'skills', type: 'string', multiValued: true },
  { name: 'homepage', type: 'reference' },
];

beforeAll(async () => {
  h = await startHarness();
  admin = await bearerFor({ role: 'admin', tenant: 'acme' });
  for (const attribute of DECLARED) expect((await declare(attribute)).status).toBe(201);
  const people: [string, Record<string, unknown>][] = [
    ['ada@acme.test', { costCode: 'CC-100', badge: 'AB-1', level: 3, onCall: true, hiredAt: '2024-01-15T09:00:00Z', rate: 10.5, skills: ['Rust', 'SQL'] }],
    ['bo@acme.test', { costCode: 'cc-200', badge: 'ab-1', level: 1, onCall: false, hiredAt: '2025-06-01T09:00:00Z', rate: 7.25, skills: ['Go'] }],
    ['cy@acme.test', { level: 2 }],
  ];
  for (const [userName, ext] of people) expect((await create(acme(), userName, ext)).status).toBe(201);
  await create(acme(), 'dee@acme.test');
});
afterAll(() => h.close());

describe('declaring attributes', () => {
  it('lists them with their URN path', async () => {
    const res = await h.http.get('/admin/v1/tenants/acme/schema/attributes').set('authorization', admin);
    expect(res.status).toBe(200);
    expect(res.body.schema).toBe(TENANT);
    expect(res.body.items.map((a: { name: string }) => a.name)).toEqual(DECLARED.map((a) => a.name));
    expect(res.body.items[0]).toEqual({ name: 'costCode', path: `${TENANT}:costCode`, type: 'string', multiValued: false, caseExact: false, description: 'Finance cost code' });
  });

  it.each<[string, Record<string, unknown>, number, RegExp]>([
    ['a core attribute name', { name: 'title', type: 'string' }, 400, /title.*already an attribute/],
    ['a core name in another case', { name: 'UserName', type: 'string' }, 400, /already an attribute/],
    ['an enterprise attribute name', { name: 'costCenter', type: 'string' }, 400, /already an attribute/],
    ['an HR extension attribute name', { name: 'location', type: 'string' }, 400, /already an attribute/],
    ['a common attribute name', { name: 'externalId', type: 'string' }, 400, /already an attribute/],
    ['a name that is not an ATTRNAME', { name: '1st-choice', type: 'string' }, 400, /body\.name: must start with a letter/],
    ['a dotted name', { name: 'a.b', type: 'string' }, 400, /body\.name/],
    ['an unknown type', { name: 'photo', type: 'binary' }, 400, /body\.type/],
    ['an unknown field', { name: 'x', type: 'string', required: true }, 400, /body/],
    ['a name taken in another case', { name: 'COSTCODE', type: 'string' }, 409, /already in use/],
  ])('refuses %s', async (_, body, status, detail) => {
    const res = await declare(body);
    expect(res.status, res.text).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(detail);
  });

  it('refuses to remove an attribute users hold, removes one they do not', async () => {
    const held = await h.http.delete('/admin/v1/tenants/acme/schema/attributes/costCode').set('authorization', admin);
    expect(held.status).toBe(409);
    expect((await declare({ name: 'spare', type: 'string' })).status).toBe(201);
    expect((await h.http.delete('/admin/v1/tenants/acme/schema/attributes/spare').set('authorization', admin)).status).toBe(204);
    expect((await h.http.delete('/admin/v1/tenants/acme/schema/attributes/spare').set('authorization', admin)).status).toBe(404);
  });

  it('is closed to another tenant’s admin', async () => {
    const other = await bearerFor({ role: 'admin', tenant: 'globex' });
    expect((await h.http.get('/admin/v1/tenants/acme/schema/attributes').set('authorization', other)).status).toBe(403);
    expect((await h.http.post('/admin/v1/tenants/acme/schema/attributes').set('authorization', other).send({ name: 'x', type: 'string' })).status).toBe(403);
  });
});

describe('discovery', () => {
  it("lists the extension in the tenant's /Schemas and on its User resource type", async () => {
    const schemas = await h.http.get('/scim/v2/Schemas').set(acme());
    const ext = schemas.body.Resources.find((s: { id: string }) => s.id === TENANT);
    expect(ext.attributes.map((a: { name: string }) => a.name)).toEqual(DECLARED.map((a) => a.name));
    expect(ext.attributes.find((a: { name: string }) => a.name === 'badge')).toMatchObject({ type: 'string', caseExact: true, multiValued: false, mutability: 'readWrite' });
    expect(ext.attributes.find((a: { name: string }) => a.name === 'skills')).toMatchObject({ multiValued: true });
    expect(ext.attributes.find((a: { name: string }) => a.name === 'homepage')).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
    expect((await h.http.get(`/scim/v2/Schemas/${TENANT}`).set(acme())).status).toBe(200);
    const user = await h.http.get('/scim/v2/ResourceTypes/User').set(acme());
    expect(user.body.schemaExtensions).toContainEqual({ schema: TENANT, required: false });
  });

  it('shows another tenant none of it', async () => {
    const schemas = await h.http.get('/scim/v2/Schemas').set(globex());
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).not.toContain(TENANT);
    expect((await h.http.get(`/scim/v2/Schemas/${TENANT}`).set(globex())).status).toBe(404);
    const user = await h.http.get('/scim/v2/ResourceTypes/User').set(globex());
    expect(user.body.schemaExtensions.map((e: { schema: string }) => e.schema)).not.toContain(TENANT);
  });
});

describe('writes', () => {
  it('stores and returns declared values, numbers and booleans as their types', async () => {
    const res = await create(acme(), 'eve@acme.test', { level: '4', onCall: 'True', rate: 12, skills: 'Ops', homepage: 'https://eve.example' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.schemas).toContain(TENANT);
    expect(res.body[TENANT]).toEqual({ level: 4, onCall: true, rate: 12, skills: ['Ops'], homepage: 'https://eve.example' });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a word for an integer', { level: 'three' }, /level.*integer/],
    ['a fraction for an integer', { level: 2.5 }, /level.*integer/],
    ['a word for a decimal', { rate: 'high' }, /rate.*number/],
    ['a word for a boolean', { onCall: 'maybe' }, /onCall.*boolean/],
    ['a date without time for a dateTime', { hiredAt: '2024-01-15' }, /hiredAt.*dateTime/],
    ['an object for a string', { costCode: { a: 1 } }, /costCode.*string/],
    ['an undeclared attribute', { shoeSize: '42' }, /shoeSize.*declares no such attribute/],
  ])('refuses %s with 400 invalidValue, storing nothing', async (_, ext, detail) => {
    const res = await create(acme(), 'nobody@acme.test', ext);
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(res.body.detail).toMatch(detail);
    expect((await list(acme(), { filter: 'userName eq "nobody@acme.test"' })).body.totalResults).toBe(0);
  });

  it('validates PATCH values and paths the same way, atomically', async () => {
    const [cy] = (await list(acme(), { filter: 'userName eq "cy@acme.test"' })).body.Resources;
    const patch = (...Operations: unknown[]) => h.http.patch(`/scim/v2/Users/${cy.id}`).set(acme()).set('content-type', SCIM).send({ schemas: [PATCH], Operations });
    const bad = await patch({ op: 'replace', path: `${TENANT}:costCode`, value: 'CC-300' }, { op: 'replace', path: `${TENANT}:level`, value: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidValue');
    const unknown = await patch({ op: 'replace', path: `${TENANT}:shoeSize`, value: '42' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.scimType).toBe('invalidPath');
    const good = await patch({ op: 'add', path: `${TENANT}:costCode`, value: 'CC-300' }, { op: 'replace', value: { [`${TENANT}:level`]: 5 } });
    expect(good.status, good.text).toBe(200);
    expect(good.body[TENANT]).toEqual({ costCode: 'CC-300', level: 5 });
    const back = await patch({ op: 'replace', path: `${TENANT}:level`, value: 2 }, { op: 'remove', path: `${TENANT}:costCode` });
    expect(back.body[TENANT]).toEqual({ level: 2 });
  });

  it("does not let another tenant write into the extension it does not have", async () => {
    const res = await create(globex(), 'spy@globex.test', { costCode: 'CC-100' });
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidValue');
    const plain = await create(globex(), 'plain@globex.test');
    const patched = await h.http
      .patch(`/scim/v2/Users/${plain.body.id}`)
      .set(globex())
      .set('content-type', SCIM)
      .send({ schemas: [PATCH], Operations: [{ op: 'add', path: `${TENANT}:costCode`, value: 'CC-100' }] });
    expect(patched.status).toBe(400);
  });
});

describe('filters and sorting', () => {
  it.each<[string, string[]]>([
    [`${TENANT}:costCode eq "cc-100"`, ['ada@acme.test']],
    [`costCode eq "CC-200"`, ['bo@acme.test']],
    [`${TENANT}:costCode co "C-"`, ['ada@acme.test', 'bo@acme.test']],
    [`${TENANT}:costCode sw "cc-1"`, ['ada@acme.test']],
    [`${TENANT}:costCode pr`, ['ada@acme.test', 'bo@acme.test']],
    [`not (${TENANT}:costCode pr) and userName ew "@acme.test"`, ['cy@acme.test', 'dee@acme.test', 'eve@acme.test']],
    [`${TENANT}:badge eq "AB-1"`, ['ada@acme.test']],
    [`${TENANT}:badge eq "ab-1"`, ['bo@acme.test']],
    [`${TENANT}:badge co "B-"`, ['ada@acme.test']],
    [`${TENANT}:level gt 1`, ['ada@acme.test', 'cy@acme.test', 'eve@acme.test']],
    [`${TENANT}:rate le 10.5`, ['ada@acme.test', 'bo@acme.test']],
    [`${TENANT}:onCall eq true`, ['ada@acme.test', 'eve@acme.test']],
    [`${TENANT}:hiredAt gt "2025-01-01T00:00:00Z"`, ['bo@acme.test']],
    [`${TENANT}:skills eq "sql"`, ['ada@acme.test']],
    [`${TENANT}:skills co "o"`, ['bo@acme.test', 'eve@acme.test']],
  ])('%s', async (filter, expected) => {
    const res = await list(acme(), { filter });
    expect(res.status, res.text).toBe(200);
    expect(names(res).sort()).toEqual(expected);
  });

  it('sorts by an extension attribute, numbers as numbers, absent values last', async () => {
    const up = await list(acme(), { sortBy: `${TENANT}:level` });
    expect(names(up)).toEqual(['bo@acme.test', 'cy@acme.test', 'ada@acme.test', 'eve@acme.test', 'dee@acme.test']);
    const down = await list(acme(), { sortBy: `${TENANT}:level`, sortOrder: 'descending' });
    expect(names(down)).toEqual(['eve@acme.test', 'ada@acme.test', 'cy@acme.test', 'bo@acme.test', 'dee@acme.test']);
    const text = await list(acme(), { sortBy: 'costCode', filter: `${TENANT}:costCode pr` });
    expect(names(text)).toEqual(['ada@acme.test', 'bo@acme.test']);
  });

  it('works in POST /.search and in the admin users list', async () => {
    const search = await h.http.post('/scim/v2/Users/.search').set(acme()).set('content-type', SCIM).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `${TENANT}:level eq 1` });
    expect(names(search)).toEqual(['bo@acme.test']);
    const viaAdmin = await h.http.get('/admin/v1/tenants/acme/users').query({ filter: `${TENANT}:level eq 3` }).set('authorization', admin);
    expect(viaAdmin.status, viaAdmin.text).toBe(200);
    expect(viaAdmin.body.items.map((u: { userName: string }) => u.userName)).toEqual(['ada@acme.test']);
  });

  it('is an unknown attribute to another tenant: 400 invalidFilter and invalidValue for sortBy', async () => {
    const filtered = await list(globex(), { filter: `${TENANT}:costCode eq "CC-100"` });
    expect(filtered.status).toBe(400);
    expect(filtered.body.scimType).toBe('invalidFilter');
    const sorted = await list(globex(), { sortBy: `${TENANT}:level` });
    expect(sorted.status).toBe(400);
  });
});
