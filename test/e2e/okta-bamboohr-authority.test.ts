import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany } from '../fakes/bamboohr/company.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, fakeNow, fastBambooHr } from '../support/sync-fixture.js';

/**
 * Okta and a BambooHR connection manage the same people with the fields split between them: HR owns
 * names, title and department; Okta owns userName, emails, displayName and the tenant's cost code.
 * Okta's requests are replayed as Okta sends them (scim-clients.md, "Okta": look up, POST, GET then
 * full PUT, path-less PATCH to deactivate), over real HTTP, while the connection syncs from the fake
 * BambooHR. No SCIM request may be refused, each field ends with its owner's value, and the
 * disagreements are listed and on the change feed.
 */

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TENANT = 'urn:rollcall:params:scim:schemas:extension:tenant:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let h: Harness;
let fake: FakeBambooHr;
let admin: string;
let connectionId: string;
const ids = new Map<string, string>();
const scimStatuses: { request: string; status: number }[] = [];

/** One of Okta's requests: `application/json`, its user agent; every answer is kept for the final check. */
async function okta(method: 'get' | 'post' | 'put' | 'patch', path: string, body?: unknown) {
  let req = h.http[method](`/scim/v2${path}`).set('authorization', `Bearer ${h.token}`).set('user-agent', 'Okta SCIM Client 1.0.0');
  if (body !== undefined) req = req.set('content-type', 'application/json').send(body as object);
  const res = await req;
  scimStatuses.push({ request: `${method.toUpperCase()} ${path}`, status: res.status });
  return res;
}

const PEOPLE = [
  { first: 'Ada', last: 'Lovelace', email: 'ada@acme.test', title: 'Engineer', department: 'R&D' },
  { first: 'Bo', last: 'Diddley', email: 'bo@acme.test', title: 'Designer', department: 'Design' },
  { first: 'Cy', last: 'Young', email: 'cy@acme.test', title: 'Pitcher', department: 'Sales' },
];

/** What Okta knows of a person: its own profile, which disagrees with HR on names, title and department. */
const oktaProfile = (p: (typeof PEOPLE)[number], displayName: string, costCode: string) => ({
  schemas: [USER, ENT, TENANT],
  userName: p.email,
  name: { givenName: `${p.first}-okta`, familyName: p.last.toUpperCase() },
  emails: [{ primary: true, value: p.email, type: 'work' }],
  displayName,
  title: 'Okta title',
  locale: 'en-US',
  active: true,
  [ENT]: { department: 'Okta department' },
  [TENANT]: { costCode },
});

const sync = async () => {
  const res = await h.http.post(`/admin/v1/tenants/acme/connections/${connectionId}/sync`).query({ wait: 'true' }).set('authorization', admin);
  expect(res.status, res.text).toBe(200);
  expect(res.body.state).toBe('succeeded');
  return res.body;
};
const user = async (email: string) => (await okta('get', `/Users/${ids.get(email)}`)).body;

beforeAll(async () => {
  const company = createCompany([]);
  for (const p of PEOPLE) company.hire({ firstName: p.first, lastName: p.last, workEmail: p.email, jobTitle: p.title, department: p.department, hireDate: '2022-01-10' });
  fake = await startFakeBambooHr({ company });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake) } });
  admin = await bearerFor({ role: 'admin', tenant: 'acme' });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

describe('Okta and BambooHR on the same people, fields split between them', { timeout: 120_000 }, () => {
  it('the admin connects BambooHR, declares a cost code and splits the fields', async () => {
    const connected = await h.http.post('/admin/v1/tenants/acme/connections').set('authorization', admin).send(bambooConnectionBody(fake, { onboarding: 'auto' }));
    expect(connected.status, connected.text).toBe(201);
    connectionId = connected.body.id;
    expect((await h.http.post('/admin/v1/tenants/acme/schema/attributes').set('authorization', admin).send({ name: 'costCode', type: 'string' })).status).toBe(201);
    const hr = `connection:${connectionId}`;
    const split = await h.http
      .patch('/admin/v1/tenants/acme/authority')
      .set('authorization', admin)
      .send({
        rules: {
          'name.givenName': hr,
          'name.familyName': hr,
          title: hr,
          [`${ENT}:department`]: hr,
          [`${ENT}:manager.value`]: hr,
          userName: 'scim',
          emails: 'scim',
          displayName: 'scim',
          [`${TENANT}:costCode`]: 'scim',
        },
      });
    expect(split.status, split.text).toBe(200);
    expect(split.body.policies).toEqual({ scim: 'ignore', manual: 'reject', hr: 'ignore' });
    expect(split.body.rules).toContainEqual({ path: 'title', owner: hr });
    expect(split.body.rules).toContainEqual({ path: `${TENANT}:costCode`, owner: 'scim' });
  });

  it('Okta provisions everyone first: look up, then POST', async () => {
    for (const p of PEOPLE) {
      const found = await okta('get', `/Users?filter=${encodeURIComponent(`userName eq "${p.email}"`)}&startIndex=1&count=100`);
      expect(found.body.totalResults).toBe(0);
      const created = await okta('post', '/Users', { ...oktaProfile(p, `${p.first} (Okta)`, 'CC-1'), externalId: `00u${p.first}`, groups: [], password: 'Placeholder-Pw-1!' });
      expect(created.status, created.text).toBe(201);
      ids.set(p.email, created.body.id);
    }
  });

  it('the first sync links them by work email; HR takes its fields, Okta keeps its own', async () => {
    const run = await sync();
    expect(run.counts).toMatchObject({ link: 3 });
    const ada = await user('ada@acme.test');
    expect(ada).toMatchObject({
      userName: 'ada@acme.test',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      title: 'Engineer',
      displayName: 'Ada (Okta)',
      [ENT]: { department: 'R&D' },
      [TENANT]: { costCode: 'CC-1' },
    });
    expect(ada['urn:rollcall:params:scim:schemas:extension:hr:2.0:User']).toMatchObject({ management: 'managed', connection: { value: connectionId } });
  });

  it("Okta's next pushes (GET, full PUT; PATCH to deactivate) all succeed; only Okta's own fields change", async () => {
    for (const p of PEOPLE) {
      const current = (await okta('get', `/Users/${ids.get(p.email)}`)).body;
      const put = await okta('put', `/Users/${current.id}`, { ...oktaProfile(p, `${p.first} O.`, 'CC-2'), id: current.id, externalId: current.externalId });
      expect(put.status, put.text).toBe(200);
      // The answer shows what is stored: HR's values where HR owns the field.
      expect(put.body).toMatchObject({ title: p.title, name: { givenName: p.first }, displayName: `${p.first} O.`, [TENANT]: { costCode: 'CC-2' } });
    }
    // Okta posts application/json, which gets 204 (scim-clients.md: 200 or 204 both do).
    const off = await okta('patch', `/Users/${ids.get('cy@acme.test')}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(off.status, off.text).toBe(204);
    expect((await user('cy@acme.test')).active).toBe(false);
    // The same PUT again is the same disagreement: accepted, and no new conflict event (checked below).
    const ada = (await okta('get', `/Users/${ids.get('ada@acme.test')}`)).body;
    expect((await okta('put', `/Users/${ada.id}`, { ...oktaProfile(PEOPLE[0]!, 'Ada O.', 'CC-2'), id: ada.id })).status).toBe(200);
  });

  it('HR changes a title and a preferred name: the title follows HR, the display name stays Okta’s', async () => {
    const adaInHr = fake.company.list().find((p) => p.workEmail === 'ada@acme.test')!;
    fake.company.update(adaInHr.id, { jobTitle: 'Staff Engineer', preferredName: 'Addie' });
    const run = await sync();
    expect(run.counts).toMatchObject({ update: 1 });
    expect(await user('ada@acme.test')).toMatchObject({ title: 'Staff Engineer', displayName: 'Ada O.', name: { givenName: 'Ada' } });
  });

  it('a sync with nothing new in HR plans no update, even where HR and Okta still disagree', async () => {
    const run = await sync();
    expect(run.counts.update ?? 0).toBe(0);
  });

  it('every field ends with its owner’s value, and no SCIM request was refused', async () => {
    for (const p of PEOPLE) {
      const u = await user(p.email);
      const inHr = p.email === 'ada@acme.test' ? 'Staff Engineer' : p.title;
      expect(u).toMatchObject({
        userName: p.email,
        emails: [{ value: p.email }],
        displayName: `${p.first} O.`,
        name: { givenName: p.first, familyName: p.last },
        title: inHr,
        [ENT]: { department: p.department },
        [TENANT]: { costCode: 'CC-2' },
        active: p.email !== 'cy@acme.test',
      });
    }
    expect(scimStatuses.filter((s) => s.status >= 300)).toEqual([]);
  });

  it("lists each user's conflicts: what each source says, with time and source", async () => {
    const res = await h.http.get(`/admin/v1/tenants/acme/users/${ids.get('ada@acme.test')}/conflicts`).set('authorization', admin);
    expect(res.status, res.text).toBe(200);
    const byPath = Object.fromEntries(res.body.items.map((f: { path: string }) => [f.path, f]));
    // Okta's upper-cased family name is the same value (caseExact false): no disagreement, HR's form kept.
    expect(Object.keys(byPath).sort()).toEqual(['displayName', `${ENT}:department`, 'name.givenName', 'title'].sort());
    expect(byPath.title).toMatchObject({ owner: `connection:${connectionId}`, stored: 'Staff Engineer', sources: [{ source: { kind: 'token' }, value: 'Okta title' }] });
    expect(byPath.displayName).toMatchObject({ owner: 'scim', stored: 'Ada O.', sources: [{ source: { kind: 'connection', id: connectionId }, value: 'Addie Lovelace' }] });
    expect(byPath.title.sources[0].lastAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  it("lists the tenant's conflicts across users", async () => {
    const res = await h.http.get('/admin/v1/tenants/acme/conflicts').set('authorization', admin);
    expect(res.status, res.text).toBe(200);
    const titles = res.body.items.filter((c: { path: string }) => c.path === 'title');
    expect(titles.map((c: { userName: string }) => c.userName).sort()).toEqual(PEOPLE.map((p) => p.email).sort());
    expect(titles.every((c: { attempted: string; source: { kind: string } }) => c.attempted === 'Okta title' && c.source.kind === 'token')).toBe(true);
  });

  it('carries the conflicts on the change feed, once per new attempt', async () => {
    const res = await h.http.get('/events').query({ types: 'user.conflict', limit: '1000' }).set('authorization', `Bearer ${h.token}`);
    expect(res.status, res.text).toBe(200);
    const events = res.body.items as { resourceId: string; source: { kind: string }; conflicts: { path: string; attempted: unknown }[] }[];
    const ada = events.filter((e) => e.resourceId === ids.get('ada@acme.test'));
    // From the link (HR's display name), Okta's first PUT, and HR's changed preferred name; not from Okta's repeated PUT.
    expect(ada.map((e) => e.source.kind)).toEqual(['connection', 'token', 'connection']);
    expect(ada[1]!.conflicts.map((c) => c.path).sort()).toEqual([`${ENT}:department`, 'name.givenName', 'title'].sort());
    expect(ada[2]!.conflicts).toEqual([expect.objectContaining({ path: 'displayName', attempted: 'Addie Lovelace' })]);
  });
});
