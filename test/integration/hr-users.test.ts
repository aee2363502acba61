import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { seal } from '../../src/crypto/secret-box.js';
import { rows } from '../../src/db/client.js';
import { uuidv7 } from '../../src/db/ids.js';
import type { DirectoryContext } from '../../src/directory/context.js';
import { createUser } from '../../src/directory/users/create-user.js';
import { updateUser } from '../../src/directory/users/update-user.js';
import { employeeDoc, HR_URN, withHrState } from '../../src/sync/hr-doc.js';
import type { PlannedEmployee } from '../../src/sync/scope.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { SCIM, startHarness, TEST_SECRET_KEY, type Harness } from '../support/harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const IBAN = 'DE89370400440532013000';
const CONNECTION = uuidv7();

let h: Harness;
let managerId: string;
let lockedCount = 0;
const auth = () => ({ authorization: `Bearer ${h.token}` });
const sync = (): DirectoryContext => ({ db: h.db.db, tenantId: h.tenantId, source: { kind: 'connection', id: CONNECTION } });

const person = (remoteId: string, first: string, extra: Partial<PlannedEmployee> = {}): PlannedEmployee => ({
  remoteId,
  workEmail: `${first.toLowerCase()}@acme.test`,
  firstName: first,
  lastName: 'Hr',
  displayName: `${first} Hr`,
  status: 'active',
  terminationDate: null,
  managerRemoteId: null,
  jobTitle: 'Engineer',
  department: { name: 'R&D' },
  workLocation: { name: 'Paris' },
  startDate: '2024-02-01',
  ...extra,
});

/** A user as the HR sync writes it: through createUser, as the connection, bank account sealed. */
async function managedUser(remoteId: string, first: string, lifecycle: 'candidate' | 'active' = 'active', management?: 'released', managerUserId: string | null = managerId) {
  let doc = employeeDoc({ employee: person(remoteId, first), connection: { id: CONNECTION, provider: 'bamboohr' }, lifecycle, managerUserId });
  const account = seal(TEST_SECRET_KEY, JSON.stringify({ iban: IBAN, bic: 'COBADEFFXXX', holder: `${first} Hr` }));
  doc = { ...doc, [HR_URN]: { ...(doc[HR_URN] as object), bankAccount: account, bankAccountDigest: 'hmac-of-account' } };
  if (management) doc = withHrState(doc, { management });
  return (await createUser(sync(), { doc })).id;
}

const get = (id: string, query: Record<string, string> = {}) => h.http.get(`/scim/v2/Users/${id}`).query(query).set(auth());
const patch = (id: string, ...Operations: unknown[]) =>
  h.http.patch(`/scim/v2/Users/${id}`).set(auth()).set('content-type', SCIM).send({ schemas: [PATCH], Operations });
const bulk = (id: string) =>
  h.http
    .post('/scim/v2/Bulk')
    .set(auth())
    .set('content-type', SCIM)
    .send({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'CEO' }] } },
        { method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'nickName', value: 'B' }] } },
      ],
    });
const columnsOf = async (id: string) =>
  (await rows<Record<string, unknown>>(h.db.db, sql`select lifecycle, management, connection_id, remote_id, version, doc::text as doc from users where id = ${id}`))[0]!;

/** What Okta PUTs: the whole user as it knows it, without our extension, `$ref` and display name on the manager. */
const oktaPut = (current: Record<string, any>, change: Record<string, unknown> = {}) => ({
  schemas: [USER, ENT],
  userName: current.userName.toUpperCase(),
  name: { ...current.name },
  displayName: current.displayName,
  title: current.title,
  active: true,
  emails: [{ value: current.emails[0].value.toUpperCase(), primary: true, type: 'work' }],
  [ENT]: { ...current[ENT], manager: { value: current[ENT].manager.value, $ref: 'https://x/Users/m', displayName: 'Boss' } },
  ...change,
});

beforeAll(async () => {
  h = await startHarness();
  const boss = await h.http.post('/scim/v2/Users').set(auth()).set('content-type', SCIM).send({ schemas: [USER], userName: 'boss@acme.test' });
  managerId = boss.body.id;
});
afterAll(() => h.close());

describe('discovery', () => {
  it('lists the HR extension in /Schemas, /Schemas/{id} and on the User resource type', async () => {
    const all = await h.http.get('/scim/v2/Schemas').set(auth());
    expect(all.body.Resources.map((s: { id: string }) => s.id)).toContain(HR_URN);
    const one = await h.http.get(`/scim/v2/Schemas/${HR_URN}`).set(auth());
    expect(one.status).toBe(200);
    const attrs = Object.fromEntries(one.body.attributes.map((a: { name: string }) => [a.name, a])) as Record<string, Record<string, unknown>>;
    expect(Object.keys(attrs)).toEqual(['lifecycle', 'management', 'connection', 'remoteId', 'location', 'startDate', 'terminationDate', 'bankAccount', 'bankAccountDigest']);
    expect(Object.values(attrs).every((a) => a.mutability === 'readOnly')).toBe(true);
    expect(attrs.bankAccount).toMatchObject({ type: 'complex', returned: 'request' });
    expect((attrs.bankAccount!.subAttributes as { name: string }[]).map((s) => s.name)).toEqual(['iban', 'bic', 'holder']);
    expect(attrs.bankAccountDigest).toMatchObject({ returned: 'never' });
    const types = await h.http.get('/scim/v2/ResourceTypes/User').set(auth());
    expect(types.body.schemaExtensions).toEqual([
      { schema: ENT, required: false },
      { schema: HR_URN, required: false },
    ]);
  });
});

describe('reading managed users', () => {
  let id: string;
  beforeAll(async () => {
    id = await managedUser('r-read', 'Reada');
  });

  it('shows the extension, never the bank account unless asked, never its digest', async () => {
    const res = await get(id);
    expect(res.status).toBe(200);
    expect(res.body.schemas).toContain(HR_URN);
    expect(res.body[HR_URN]).toEqual({
      lifecycle: 'active',
      management: 'managed',
      connection: { value: CONNECTION, display: 'bamboohr' },
      remoteId: 'r-read',
      location: 'Paris',
      startDate: '2024-02-01',
    });
    const queries: Record<string, string>[] = [{}, { attributes: HR_URN }, { excludedAttributes: 'userName' }, { attributes: `${HR_URN}:bankAccountDigest` }];
    for (const query of queries) {
      const text = (await get(id, query)).text;
      expect(text).not.toContain('bankAccount');
      expect(text).not.toContain(IBAN);
    }
    // The unfiltered list, whose documents the store reads as text, leaves both out too, also for a
    // user with no manager (whose document the answer can show as stored, but for these).
    const unmanaged = await managedUser('r-read-alone', 'Alone', 'active', undefined, null);
    // So does a cursor page, read the same way.
    for (const query of [{ count: '1000' }, { count: '1000', cursor: '' }]) {
      const page = await h.http.get('/scim/v2/Users').query(query).set(auth());
      expect((page.body.Resources as { id: string }[]).map((r) => r.id)).toEqual(expect.arrayContaining([id, unmanaged]));
      expect(page.text).not.toContain('bankAccount');
      expect(page.text).not.toContain('hmac-of-account');
    }
  });

  it('opens the bank account when `attributes` names it, on GET, list, cursor and /.search alike', async () => {
    const account = { iban: IBAN, bic: 'COBADEFFXXX', holder: 'Reada Hr' };
    const one = await get(id, { attributes: `${HR_URN}:bankAccount` });
    expect(one.body).toEqual({ schemas: expect.any(Array), id, [HR_URN]: { bankAccount: account } });
    const iban = await get(id, { attributes: 'bankAccount.iban,userName' });
    expect(iban.body[HR_URN]).toEqual({ bankAccount: { iban: IBAN } });
    const filter = `${HR_URN}:remoteId eq "r-read"`;
    const list = await h.http.get('/scim/v2/Users').query({ filter, attributes: 'userName,bankAccount' }).set(auth());
    expect(list.body.Resources[0][HR_URN]).toEqual({ bankAccount: account });
    const cursor = await h.http.get('/scim/v2/Users').query({ filter, cursor: '', attributes: 'bankAccount' }).set(auth());
    expect(cursor.body.Resources[0][HR_URN]).toEqual({ bankAccount: account });
    const search = await h.http
      .post('/scim/v2/.search')
      .set(auth())
      .set('content-type', SCIM)
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter, attributes: [`${HR_URN}:bankAccount`] });
    expect(search.body.Resources[0][HR_URN]).toEqual({ bankAccount: account });
    expect(JSON.stringify(search.body)).not.toContain('hmac-of-account');
  });

  it('keeps only the sealed bank account in the database', async () => {
    const stored = await columnsOf(id);
    expect(stored.doc).not.toContain(IBAN);
    expect(stored.doc).toMatch(/"bankAccount": "v1\./);
  });

  it('refuses filters on the sealed bank account and on the digest', async () => {
    for (const filter of [`${HR_URN}:bankAccount.iban eq "${IBAN}"`, 'bankAccount pr', `${HR_URN}:bankAccountDigest eq "x"`]) {
      const res = await h.http.get('/scim/v2/Users').query({ filter }).set(auth());
      expect(res.status, filter).toBe(400);
      expect(res.body.scimType).toBe('invalidFilter');
    }
  });
});

describe('filters on the extension', () => {
  beforeAll(async () => {
    await managedUser('f-act', 'Fltactive');
    await managedUser('f-cand', 'Fltcandidate', 'candidate');
    await managedUser('f-rel', 'Fltreleased', 'active', 'released');
    await h.http.post('/scim/v2/Users').set(auth()).set('content-type', SCIM).send({ schemas: [USER], userName: 'fltmanual@acme.test' });
  });

  it.each([
    [`userName sw "flt" and ${HR_URN}:lifecycle eq "candidate"`, ['f-cand']],
    [`userName sw "flt" and urn:rollcall:params:scim:schemas:extension:hr:2.0:User:management eq "released"`, ['f-rel']],
    [`userName sw "flt" and ${HR_URN}:management eq "managed"`, ['f-act', 'f-cand']],
    [`userName sw "flt" and ${HR_URN}:connection.value eq "${CONNECTION}"`, ['f-act', 'f-cand', 'f-rel']],
    [`userName sw "flt" and not (${HR_URN}:management pr)`, ['manual']],
  ])('%s', async (filter, want) => {
    const res = await h.http.get('/scim/v2/Users').query({ filter, count: 50 }).set(auth());
    expect(res.status).toBe(200);
    const found = res.body.Resources.map((r: Record<string, any>) => r[HR_URN]?.remoteId ?? 'manual').sort();
    expect(found).toEqual(want);
  });
});

describe('HR-owned fields over SCIM', () => {
  it('accepts an Okta-style PUT repeating the locked fields, applies the rest and keeps the extension', async () => {
    const id = await managedUser('r-okta', 'Okta');
    const current = (await get(id)).body;
    const res = await h.http.put(`/scim/v2/Users/${id}`).set(auth()).set('content-type', SCIM).send(oktaPut(current, { nickName: 'Oki' }));
    expect(res.status).toBe(200);
    expect(res.body.nickName).toBe('Oki');
    expect(res.body[HR_URN]).toEqual(current[HR_URN]);
    // Repeated in another form, the locked values keep the form HR gave them.
    expect(res.body.userName).toBe(current.userName);
    expect(res.body.emails).toEqual(current.emails);
    expect((await columnsOf(id)).doc).toContain('"bankAccount": "v1.');
  });

  it('reads locked fields a PUT leaves out as not asserted', async () => {
    const id = await managedUser('r-omit', 'Omit');
    const current = (await get(id)).body;
    const body = oktaPut(current);
    delete body.title;
    delete body[ENT];
    const res = await h.http.put(`/scim/v2/Users/${id}`).set(auth()).set('content-type', SCIM).send(body);
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Engineer');
    expect(res.body[ENT]).toMatchObject({ department: 'R&D', manager: { value: managerId } });
  });

  const changes = [
    ['PUT givenName and title', 'put', { name: { givenName: 'Changed', familyName: 'Hr' }, title: 'CTO' }, 'name.givenName, title are', ['name.givenName', 'title']],
    ['PUT another work email', 'put', { emails: [{ value: 'new@acme.test', type: 'work', primary: true }] }, 'emails is', ['emails']],
    ['PATCH the manager', 'patch', [{ op: 'replace', path: `${ENT}:manager`, value: { value: 'someone-else' } }], `${ENT}:manager.value is`, [`${ENT}:manager.value`]],
    ['PATCH Entra-style givenName', 'patch', [{ op: 'Replace', value: { 'name.givenName': 'Other' } }], 'name.givenName is', ['name.givenName']],
    ['PATCH an added email', 'patch', [{ op: 'add', path: 'emails', value: [{ value: 'extra@acme.test', type: 'home' }] }], 'emails is', ['emails']],
    ['PATCH removing the title', 'patch', [{ op: 'remove', path: 'title' }], 'title is', ['title']],
  ] as const;
  const send = async (id: string, method: string, change: unknown) =>
    method === 'put'
      ? h.http.put(`/scim/v2/Users/${id}`).set(auth()).set('content-type', SCIM).send(oktaPut((await get(id)).body, change as Record<string, unknown>))
      : patch(id, ...(change as unknown[]));

  it.each(changes)('by default ignores a %s: 200 with the stored values, nothing written, each field a conflict', async (_, method, change, __, paths) => {
    const id = await managedUser(`r-${uuidv7()}`, `Locked${++lockedCount}`);
    const before = await columnsOf(id);
    const shown = (await get(id)).body;
    const res = await send(id, method, change);
    expect(res.status, res.text).toBe(200);
    for (const key of ['userName', 'name', 'title', 'emails', ENT]) expect(res.body[key]).toEqual(shown[key]);
    expect(await columnsOf(id)).toEqual(before);
    const conflicts = await h.http.get(`/admin/v1/tenants/acme/users/${id}/conflicts`).set('authorization', await bearerFor({ role: 'auditor', tenant: 'acme' }));
    expect(conflicts.body.items.map((c: { path: string }) => c.path).sort()).toEqual([...paths].sort());
  });

  describe('under the reject policy for SCIM', () => {
    beforeAll(async () => {
      const res = await h.http.patch('/admin/v1/tenants/acme/authority').set('authorization', await bearerFor({ role: 'admin', tenant: 'acme' })).send({ policies: { scim: 'reject' } });
      expect(res.body.policies.scim).toBe('reject');
    });
    afterAll(async () => {
      await h.http.delete('/admin/v1/tenants/acme/authority').set('authorization', await bearerFor({ role: 'admin', tenant: 'acme' }));
    });

    it.each(changes)('refuses a %s with 400 mutability naming the fields and the connection, changing nothing', async (_, method, change, named) => {
      const id = await managedUser(`r-${uuidv7()}`, `Locked${++lockedCount}`);
      const before = await columnsOf(id);
      const res = await send(id, method, change);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: '400', scimType: 'mutability' });
      expect(res.body.detail).toContain(`${named} managed by HR connection ${CONNECTION} (bamboohr)`);
      expect(await columnsOf(id)).toEqual(before);
    });

    it('applies inside /Bulk, operation by operation', async () => {
      const id = await managedUser('r-bulk-reject', 'Bulkreject');
      const res = await bulk(id);
      expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['400', '200']);
      expect(res.body.Operations[0].response.scimType).toBe('mutability');
    });
  });

  it('lets SCIM change what HR does not own on a managed user', async () => {
    const id = await managedUser('r-free', 'Free');
    const res = await patch(
      id,
      { op: 'add', path: 'phoneNumbers', value: [{ value: '+33 1 23', type: 'work' }] },
      { op: 'replace', path: `${CUSTOM}:costCode`, value: 'CC-9' },
      { op: 'replace', path: 'active', value: false },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ phoneNumbers: [{ value: '+33 1 23', type: 'work' }], [CUSTOM]: { costCode: 'CC-9' }, active: false });
    expect(res.body[HR_URN]).toMatchObject({ management: 'managed', remoteId: 'r-free' });
  });

  it('refuses a PATCH of the extension itself (readOnly)', async () => {
    const id = await managedUser('r-ro', 'Readonly');
    const res = await patch(id, { op: 'replace', path: `${HR_URN}:management`, value: 'manual' });
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('mutability');
    expect((await get(id)).body[HR_URN].management).toBe('managed');
  });

  it('leaves released users editable, their extension kept', async () => {
    const id = await managedUser('r-released', 'Released', 'active', 'released');
    const current = (await get(id)).body;
    const res = await h.http
      .put(`/scim/v2/Users/${id}`)
      .set(auth())
      .set('content-type', SCIM)
      .send(oktaPut(current, { name: { givenName: 'Renamed', familyName: 'Hr' }, title: 'CTO' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: { givenName: 'Renamed' }, title: 'CTO', [HR_URN]: { management: 'released' } });
  });

  it('ignores a non-owned field inside /Bulk by default, applying the rest', async () => {
    const id = await managedUser('r-bulk', 'Bulk');
    const res = await bulk(id);
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['200', '200']);
    expect((await get(id)).body).toMatchObject({ title: 'Engineer', nickName: 'B' });
  });

  it('refuses admin writes by default (reject), also inside a transaction, but not the connection', async () => {
    const id = await managedUser('r-admin', 'Admin');
    const admin: DirectoryContext = { db: h.db.db, tenantId: h.tenantId, source: { kind: 'admin', id: 'alice' } };
    const retitle = (doc: ResourceDoc): ResourceDoc => ({ ...doc, title: 'CEO' });
    await expect(updateUser(admin, id, {}, retitle)).rejects.toMatchObject({ code: 'mutability' });
    await expect(h.db.db.transaction((tx) => updateUser({ ...admin, db: tx }, id, {}, retitle))).rejects.toMatchObject({ code: 'mutability' });
    const synced = await h.db.db.transaction((tx) => updateUser({ ...sync(), db: tx }, id, {}, retitle));
    expect(synced.doc.title).toBe('CEO');
  });
});

describe('creating over SCIM', () => {
  it('drops an HR extension a client sends', async () => {
    const res = await h.http
      .post('/scim/v2/Users')
      .set(auth())
      .set('content-type', SCIM)
      .send({
        schemas: [USER, HR_URN],
        userName: 'forged@acme.test',
        [HR_URN]: { lifecycle: 'candidate', management: 'managed', connection: { value: CONNECTION }, remoteId: 'forged', bankAccount: { iban: 'X' } },
      });
    expect(res.status).toBe(201);
    expect(res.body.schemas).toEqual([USER]);
    expect(res.body[HR_URN]).toBeUndefined();
    expect(await columnsOf(res.body.id)).toMatchObject({ lifecycle: 'active', management: 'manual', connection_id: null, remote_id: null });
  });
});

describe('derived columns', () => {
  it('follow the document through every writer', async () => {
    const id = await managedUser('r-cols', 'Columns', 'candidate');
    expect(await columnsOf(id)).toMatchObject({ lifecycle: 'candidate', management: 'managed', connection_id: CONNECTION, remote_id: 'r-cols' });
    await updateUser(sync(), id, {}, (doc) => withHrState(doc, { lifecycle: 'invited' }));
    expect(await columnsOf(id)).toMatchObject({ lifecycle: 'invited', management: 'managed' });
    await h.db.db.transaction((tx) => updateUser({ ...sync(), db: tx }, id, {}, (doc) => withHrState(doc, { management: 'released' })));
    expect(await columnsOf(id)).toMatchObject({ lifecycle: 'invited', management: 'released', connection_id: CONNECTION, remote_id: 'r-cols' });
    expect((await patch(id, { op: 'replace', path: 'title', value: 'Free now' })).status).toBe(200);
    expect(await columnsOf(id)).toMatchObject({ lifecycle: 'invited', management: 'released', connection_id: CONNECTION, remote_id: 'r-cols' });
  });

  it('refuses a second user for the same person of a connection with 409', async () => {
    await managedUser('r-twice', 'Twice');
    const doc = employeeDoc({
      employee: person('r-twice', 'Twice2'),
      connection: { id: CONNECTION, provider: 'bamboohr' },
      lifecycle: 'active',
      managerUserId: null,
    });
    await expect(createUser(sync(), { doc })).rejects.toMatchObject({ code: 'conflict', detail: expect.stringContaining('HR connection') });
  });
});

describe('the admin users view', () => {
  it('shows source, lifecycle, management, connection and remote id', async () => {
    const id = await managedUser('r-view', 'View', 'candidate');
    const admin = await bearerFor({ role: 'admin', tenant: 'acme' });
    const res = await h.http.get('/admin/v1/tenants/acme/users').query({ count: 1000 }).set('authorization', admin);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((u: { id: string }) => [u.id, u]));
    expect(byId.get(id)).toMatchObject({ source: 'hr', lifecycle: 'candidate', management: 'managed', connectionId: CONNECTION, remoteId: 'r-view', active: false });
    expect(byId.get(managerId)).toMatchObject({ source: 'scim', lifecycle: 'active', management: 'manual', connectionId: null, remoteId: null });
    const filtered = await h.http
      .get('/admin/v1/tenants/acme/users')
      .query({ filter: `${HR_URN}:lifecycle eq "candidate" and ${HR_URN}:remoteId eq "r-view"` })
      .set('authorization', admin);
    expect(filtered.body.items.map((u: { id: string }) => u.id)).toEqual([id]);
  });
});
