import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { scenarioCompany, scenarioIds as ids } from '../fakes/bamboohr/scenario.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, fakeNow, fastBambooHr } from '../support/sync-fixture.js';

/**
 * A connection's attribute mapping over the admin API, end to end: read the default, refuse what
 * cannot work (400 naming the attribute, nothing saved), preview against the fake HR system
 * (nothing written), save versions, and a run that fills a tenant's own attribute from a raw HR
 * field that SCIM clients can then filter on; scope rules on raw and mapped fields.
 */
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TENANT = 'urn:rollcall:params:scim:schemas:extension:tenant:2.0:User';
const SCIM = 'application/scim+json';

let h: Harness;
let fake: FakeBambooHr;
let admin: string;
let mine: string;
let theirs: string;
const api = (method: 'get' | 'put' | 'post' | 'patch' | 'delete', path: string, slug = 'acme') => h.http[method](`/admin/v1/tenants/${slug}${path}`).set('authorization', admin);
const mapping = (path = '') => `/connections/${mine}/mapping${path}`;
const userCount = async () => Number((await query<{ n: string | number }>(h.db.db, 'select count(*) as n from users where tenant_id = $1', [h.tenantId]))[0]!.n);

const badgeMapping = {
  attributes: [
    { attribute: 'name.givenName', source: { kind: 'field', field: 'firstName' } },
    { attribute: 'name.familyName', source: { kind: 'field', field: 'lastName' } },
    { attribute: 'title', source: { kind: 'expression', expression: '$uppercase(jobTitle) & " (" & department.name & ")"' } },
    { attribute: `${ENT}:department`, source: { kind: 'field', field: 'department.name' } },
    { attribute: `${TENANT}:badge`, source: { kind: 'raw', path: 'division' } },
    { attribute: `${TENANT}:level`, source: { kind: 'constant', value: 3 } },
  ],
};

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: scenarioCompany() });
  fake.company.update(ids.hr, { division: 'Americas' });
  fake.company.update(ids.ceo, { division: 'Americas' });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake) } });
  admin = await bearerFor({ role: 'admin', tenant: 'acme' });
  mine = (await createConnection(h.connections, h.tenantId, bambooConnectionBody(fake))).id;
  theirs = (await createConnection(h.connections, h.other.tenantId, bambooConnectionBody(fake))).id;
  for (const declared of [
    { name: 'badge', type: 'string', caseExact: true },
    { name: 'level', type: 'integer' },
    { name: 'hired', type: 'dateTime' },
  ]) {
    const res = await api('post', '/schema/attributes').send(declared);
    expect(res.status, res.text).toBe(201);
  }
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

describe('reading and saving a mapping', () => {
  it('starts from the default: version 0, what the sync always filled', async () => {
    const res = await api('get', mapping());
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ version: 0, isDefault: true, savedAt: null });
    expect(res.body.mapping).toEqual(res.body.default);
    expect(res.body.mapping.attributes.map((a: { attribute: string }) => a.attribute)).toEqual([
      'name.givenName', 'name.familyName', 'displayName', 'title', `${ENT}:employeeNumber`, `${ENT}:costCenter`, `${ENT}:department`,
    ]);
    expect((await api('get', mapping('/versions'))).body).toEqual({ items: [] });
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown attribute', { attribute: 'shoeSize', source: { kind: 'constant', value: '42' } }, /shoeSize: unknown attribute/],
    ['an attribute the sync fills itself', { attribute: 'userName', source: { kind: 'field', field: 'personalEmail' } }, /userName: userName is filled by the sync itself/],
    ['the HR extension', { attribute: 'urn:rollcall:params:scim:schemas:extension:hr:2.0:User:location', source: { kind: 'constant', value: 'x' } }, /hr:2\.0:User:location is filled by the sync itself/],
    ['a constant of the wrong type', { attribute: `${TENANT}:level`, source: { kind: 'constant', value: 'three' } }, /User:level: type mismatch: the constant "three" is not an integer/],
    ['a field of the wrong type', { attribute: `${TENANT}:level`, source: { kind: 'field', field: 'jobTitle' } }, /User:level: type mismatch: employee field jobTitle is a string/],
    ['a list into one dateTime', { attribute: `${TENANT}:hired`, source: { kind: 'field', field: 'costCenters.name' } }, /User:hired: type mismatch/],
    ['an unknown employee field', { attribute: 'title', source: { kind: 'field', field: 'shoeSize' } }, /title: unknown employee field 'shoeSize'/],
    ['the bank account', { attribute: 'title', source: { kind: 'field', field: 'bankAccount.iban' } }, /title: unknown employee field/],
    ['an expression that does not parse', { attribute: 'nickName', source: { kind: 'expression', expression: 'firstName & ' } }, /nickName: expression error/],
  ])('refuses %s with 400 naming it, saving nothing', async (_, entry, detail) => {
    const res = await api('put', mapping()).send({ attributes: [{ attribute: 'displayName', source: { kind: 'field', field: 'displayName' } }, entry] });
    expect(res.status, res.text).toBe(400);
    expect(res.body.detail).toMatch(detail);
    expect((await api('get', mapping())).body.version).toBe(0);
  });

  it('refuses an attribute mapped twice and a malformed source', async () => {
    const twice = await api('put', mapping()).send({ attributes: [badgeMapping.attributes[2], badgeMapping.attributes[2]] });
    expect(twice.status).toBe(400);
    expect(twice.body.detail).toMatch(/title: title is mapped more than once/);
    const malformed = await api('put', mapping()).send({ attributes: [{ attribute: 'title', source: { kind: 'script', code: 'x' } }] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toMatch(/attributes/);
  });

  it("keeps tenants apart: another tenant's connection is 404", async () => {
    expect((await api('get', `/connections/${theirs}/mapping`)).status).toBe(404);
    expect((await api('put', `/connections/${theirs}/mapping`).send(badgeMapping)).status).toBe(404);
    expect((await api('post', `/connections/${theirs}/mapping/preview`).send({})).status).toBe(404);
  });

  it('previews a mapping against people read from the HR system now, writing nothing', async () => {
    const res = await api('post', mapping('/preview')).send({ mapping: badgeMapping, sample: 3 });
    expect(res.status, res.text).toBe(200);
    expect(res.body.version).toBeNull();
    expect(res.body.people).toHaveLength(3);
    const ceo = res.body.people.find((p: { remoteId: string }) => p.remoteId === ids.ceo);
    expect(ceo).toMatchObject({
      workEmail: 'jennifer.caldwell@acme.test',
      values: { title: 'VP PEOPLE (Human Resources)', [`${TENANT}:badge`]: 'Americas', [`${TENANT}:level`]: 3, 'name.givenName': 'Jennifer' },
      errors: [],
    });
    expect(await userCount()).toBe(0);
    expect((await api('get', mapping())).body.version).toBe(0);
    const current = await api('post', mapping('/preview')).send({});
    expect(current.body.version).toBe(0);
    expect(current.body.people).toHaveLength(10);
  });

  it('saves versions: a different mapping is a new one, the same again is not', async () => {
    const first = await api('put', mapping()).send(badgeMapping);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ version: 1, changed: true, isDefault: false, savedBy: expect.stringContaining('admin:') });
    const again = await api('put', mapping()).send(badgeMapping);
    expect(again.body).toMatchObject({ version: 1, changed: false });
    const second = await api('put', mapping()).send({ attributes: badgeMapping.attributes.slice(0, 5) });
    expect(second.body).toMatchObject({ version: 2, changed: true });
    const third = await api('put', mapping()).send(badgeMapping);
    expect(third.body.version).toBe(3);
    const versions = await api('get', mapping('/versions'));
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(versions.body.items[1].mapping.attributes).toHaveLength(5);
    expect((await api('get', mapping())).body).toMatchObject({ version: 3, mapping: badgeMapping });
  });
});

describe('a run with the mapping', () => {
  it("fills the tenant's own attributes from raw HR fields, which SCIM filters find", async () => {
    const run = await api('post', `/connections/${mine}/sync`).query({ wait: 'true' });
    expect(run.status, run.text).toBe(200);
    expect(run.body).toMatchObject({ state: 'succeeded', progress: { mappingVersion: 3 } });
    const found = await h.http
      .get('/scim/v2/Users')
      .query({ filter: `${TENANT}:badge eq "Americas"` })
      .set('authorization', `Bearer ${h.token}`)
      .set('accept', SCIM);
    expect(found.status, found.text).toBe(200);
    expect(found.body.Resources.map((u: { userName: string }) => u.userName).sort()).toEqual(['charlotte.abbott@acme.test', 'jennifer.caldwell@acme.test']);
    const ceo = found.body.Resources.find((u: { userName: string }) => u.userName === 'jennifer.caldwell@acme.test');
    expect(ceo).toMatchObject({ title: 'VP PEOPLE (Human Resources)', [TENANT]: { badge: 'Americas', level: 3 }, [ENT]: { department: 'Human Resources' } });
    expect(ceo.schemas).toContain(TENANT);
    // caseExact: a badge of another case is another badge.
    const none = await h.http.get('/scim/v2/Users').query({ filter: `${TENANT}:badge eq "americas"` }).set('authorization', `Bearer ${h.token}`);
    expect(none.body.totalResults).toBe(0);
  });

  it('a second run with nothing changed in HR updates nobody', async () => {
    const run = await api('post', `/connections/${mine}/sync`).query({ wait: 'true' });
    expect(run.body.counts).toMatchObject({ update: 0, create: 0 });
  });

  it('a change of a raw field in HR is an update of the mapped attribute', async () => {
    fake.company.update(ids.hr, { division: 'Europe' });
    const run = await api('post', `/connections/${mine}/sync`).query({ wait: 'true' });
    expect(run.body.counts).toMatchObject({ update: 1 });
    const found = await h.http.get('/scim/v2/Users').query({ filter: `${TENANT}:badge eq "Americas"` }).set('authorization', `Bearer ${h.token}`);
    expect(found.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['jennifer.caldwell@acme.test']);
  });

  it('refuses to remove a tenant attribute the mapping in force fills', async () => {
    const res = await api('delete', '/schema/attributes/level');
    expect(res.status, res.text).toBe(409);
    expect(res.body.detail).toContain(`attribute mapping of connection ${mine} fills level`);
  });

  it('scope rules may name a raw field or a mapped attribute', async () => {
    const scoped = await api('patch', `/connections/${mine}`).send({ scope: [{ field: 'raw.division', op: 'notIn', values: ['Americas'] }] });
    expect(scoped.status, scoped.text).toBe(200);
    const preview = await api('post', `/connections/${mine}/preview`);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.counts).toMatchObject({ release: 1 });
    const byAttribute = await api('patch', `/connections/${mine}`).send({ scope: [{ field: `${TENANT}:badge`, op: 'in', values: ['Americas'] }] });
    expect(byAttribute.status, byAttribute.text).toBe(200);
    const second = await api('post', `/connections/${mine}/preview`);
    expect(second.body.counts.release).toBeGreaterThan(5);
    const malformed = await api('patch', `/connections/${mine}`).send({ scope: [{ field: 'raw..x', op: 'in', values: ['a'] }] });
    expect(malformed.status).toBe(400);
    await api('patch', `/connections/${mine}`).send({ scope: [] });
  });
});
