import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { URN, expectEmptyList, expectResource, expectScimError, expectStatus, patchBody, q, scimClient, unique, type CallOptions, type Reply } from './client.js';

/**
 * Entra ID's user provisioning over real HTTP against the real server process (docs/scim-clients.md,
 * "Microsoft Entra ID"). Entra sends application/scim+json and needs every PATCH answered 200 with
 * the resource.
 */
let server: ServerProcess | undefined;
let call: (method: string, path: string, options?: CallOptions) => Promise<Reply>;
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';

beforeAll(async () => {
  server = await startServerProcess();
  call = scimClient(server, { contentType: 'application/scim+json', userAgent: 'Azure AD SCIM Provisioning' });
});
afterAll(async () => {
  await server?.stop();
});

const entraUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [URN.user, URN.enterprise],
  externalId: userName.split('@')[0],
  userName,
  active: true,
  displayName: 'Ann Entra',
  emails: [{ primary: true, type: 'work', value: userName }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Ann Entra', familyName: 'Entra', givenName: 'Ann' },
  title: 'Engineer',
  [URN.enterprise]: { employeeNumber: '1', department: 'R&D' },
  ...extra,
});

const filter = (expression: string) => `/Users${q({ filter: expression })}`;

/** Entra's create: look up by the matching attribute, then POST. */
async function provision(userName: string, extra: Record<string, unknown> = {}): Promise<any> {
  expectEmptyList(await call('GET', filter(`userName eq "${userName}"`)));
  const res = await call('POST', '/Users', { body: entraUser(userName, extra) });
  const body = expectResource(res, 201);
  expect(res.headers.get('location')).toBe(`${server!.scimUrl}/Users/${body.id}`);
  return body;
}

/** One PATCH as Entra sends it; asserts 200 with the resource (a 204 fails Entra) and returns it. */
async function patch(id: string, ...ops: unknown[]): Promise<any> {
  return expectResource(await call('PATCH', `/Users/${id}`, { body: patchBody(...ops) }), 200);
}

const enterprise = (user: any) => user[URN.enterprise] ?? {};

describe('Entra test connection', () => {
  it('a random non-existent userName and externalId: 200 with an empty list', async () => {
    expectEmptyList(await call('GET', filter(`userName eq "${crypto.randomUUID()}@entra.example"`)));
    expectEmptyList(await call('GET', filter(`externalId eq "${crypto.randomUUID()}"`)));
  });
});

describe('Entra user lifecycle', () => {
  let user: any;
  let manager: any;

  it('creates: filter, then POST → 201 with the resource', async () => {
    user = await provision(`${unique('ann')}@entra.example`);
    expect(user).toMatchObject({ active: true, title: 'Engineer', name: { givenName: 'Ann' } });
    expect(enterprise(user)).toMatchObject({ employeeNumber: '1', department: 'R&D' });
    manager = await provision(`${unique('boss')}@entra.example`);
  });

  it('Replace active "False" coerces the string to false; replace false works too', async () => {
    expect((await patch(user.id, { op: 'Replace', path: 'active', value: 'False' })).active).toBe(false);
    expect((await patch(user.id, { op: 'replace', path: 'active', value: true })).active).toBe(true);
    expect((await patch(user.id, { op: 'replace', path: 'active', value: false })).active).toBe(false);
  });

  it('a disabled user is still returned by GET and by filters', async () => {
    expect(expectResource(await call('GET', `/Users/${user.id}`), 200).active).toBe(false);
    for (const expression of [`userName eq "${user.userName}"`, `externalId eq "${user.externalId}"`]) {
      const list = await call('GET', filter(expression));
      expectStatus(list, 200);
      expect(list.body.totalResults).toBe(1);
      expect(list.body.Resources[0]).toMatchObject({ id: user.id, active: false });
    }
  });

  it('Add emails[type eq "work"].value replaces the one work email; an absent type is created', async () => {
    const after = await patch(user.id, { op: 'Add', path: 'emails[type eq "work"].value', value: 'a@x.com' });
    const work = after.emails.filter((e: any) => e.type === 'work');
    expect(work).toHaveLength(1);
    expect(work[0].value).toBe('a@x.com');
    const other = await patch(user.id, { op: 'Add', path: 'emails[type eq "other"].value', value: 'proxy@x.com' });
    expect(other.emails.filter((e: any) => e.type === 'work')).toEqual([expect.objectContaining({ value: 'a@x.com' })]);
    expect(other.emails.filter((e: any) => e.type === 'other')).toEqual([expect.objectContaining({ value: 'proxy@x.com' })]);
  });

  it('replace addresses[type eq "work"].streetAddress on a user without addresses creates that address', async () => {
    expect(user.addresses).toBeUndefined();
    const after = await patch(user.id, { op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' });
    expect(after.addresses).toEqual([expect.objectContaining({ type: 'work', streetAddress: '1 Main St' })]);
  });

  it('several ops on one absent filtered element in one request end up in one element', async () => {
    const fresh = await provision(`${unique('addr')}@entra.example`);
    const after = await patch(
      fresh.id,
      { op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '2 Side St' },
      { op: 'replace', path: 'addresses[type eq "work"].locality', value: 'Springfield' },
      { op: 'replace', path: 'addresses[type eq "work"].postalCode', value: '12345' },
    );
    expect(after.addresses).toEqual([expect.objectContaining({ type: 'work', streetAddress: '2 Side St', locality: 'Springfield', postalCode: '12345' })]);
  });

  it('a path-less replace with dotted and URN-qualified keys changes only those attributes', async () => {
    const after = await patch(user.id, { op: 'replace', value: { 'name.givenName': 'Annie', [`${URN.enterprise}:employeeNumber`]: '7' } });
    expect(after.name).toMatchObject({ givenName: 'Annie', familyName: 'Entra' });
    expect(enterprise(after)).toMatchObject({ employeeNumber: '7', department: 'R&D' });
  });

  it('a path-less replace of userName renames the user', async () => {
    const renamed = `${unique('new')}@x.com`;
    const after = await patch(user.id, { op: 'replace', value: { userName: renamed } });
    expect(after.userName).toBe(renamed);
    expect((await call('GET', filter(`userName eq "${renamed}"`))).body.totalResults).toBe(1);
    expectEmptyList(await call('GET', filter(`userName eq "${user.userName}"`)));
    user = after;
  });

  it('the manager is added as a bare id and removed with value ""', async () => {
    const added = await patch(user.id, { op: 'add', path: `${URN.enterprise}:manager`, value: manager.id });
    expect(enterprise(added).manager).toMatchObject({ value: manager.id });
    const removed = await patch(user.id, { op: 'remove', path: `${URN.enterprise}:manager`, value: '' });
    expect(enterprise(removed).manager).toBeUndefined();
    expect(enterprise(removed)).toMatchObject({ employeeNumber: '7' });
  });

  it('Add manager in the one-element array form', async () => {
    const after = await patch(user.id, { op: 'Add', path: 'manager', value: [{ $ref: null, value: manager.id }] });
    expect(enterprise(after).manager).toMatchObject({ value: manager.id });
    expect(enterprise(expectResource(await call('GET', `/Users/${user.id}`), 200)).manager).toMatchObject({ value: manager.id });
  });

  it('Add roles whose value is a JSON string keeps the string; a "True" primary becomes a boolean', async () => {
    const role = JSON.stringify({ id: crypto.randomUUID(), value: '25', displayName: 'Admin' });
    const after = await patch(user.id, { op: 'Add', path: 'roles', value: [{ value: role }] });
    expect(after.roles).toEqual([expect.objectContaining({ value: role })]);
    const other = JSON.stringify({ id: crypto.randomUUID(), value: '26', displayName: 'Reader' });
    const primary = await patch(user.id, { op: 'Add', path: 'roles', value: [{ value: other, primary: 'True' }] });
    expect(primary.roles.find((r: any) => r.value === other)?.primary).toBe(true);
  });

  it('DELETE is 204, then 404, and the user is gone', async () => {
    const res = await call('DELETE', `/Users/${user.id}`);
    expectStatus(res, 204);
    expect(res.text).toBe('');
    expectScimError(await call('DELETE', `/Users/${user.id}`), 404);
    expectScimError(await call('GET', `/Users/${user.id}`), 404);
    expectScimError(await call('PATCH', `/Users/${user.id}`, { body: patchBody({ op: 'replace', path: 'active', value: false }) }), 404);
  });
});

describe('what Entra puts in a POST', () => {
  it('null attributes and null sub-attributes are accepted and store nothing', async () => {
    const sent = entraUser(`${unique('nulls')}@entra.example`, {
      addresses: null,
      title: null,
      phoneNumbers: null,
      name: { givenName: 'Null', familyName: 'Entra', middleName: null },
      [URN.enterprise]: { employeeNumber: '9', department: null, manager: null },
    });
    const body = expectResource(await call('POST', '/Users', { body: sent }), 201);
    const got = expectResource(await call('GET', `/Users/${body.id}`), 200);
    for (const user of [body, got]) {
      expect(user.addresses).toBeUndefined();
      expect(user.title).toBeUndefined();
      expect(user.phoneNumbers).toBeUndefined();
      expect(user.name).toEqual({ givenName: 'Null', familyName: 'Entra' });
      expect(enterprise(user)).toEqual({ employeeNumber: '9' });
    }
  });

  it('a custom extension attribute without its URN in schemas is kept and returned', async () => {
    const sent = entraUser(`${unique('custom')}@entra.example`, { [`${CUSTOM}:costCode`]: 'CC-42' });
    const body = expectResource(await call('POST', '/Users', { body: sent }), 201);
    const got = expectResource(await call('GET', `/Users/${body.id}`), 200);
    for (const user of [body, got]) {
      // RFC 7643 §3.3: an extension's attributes sit in an object under its URN, which then appears in schemas.
      expect(user[CUSTOM]).toEqual({ costCode: 'CC-42' });
      expect(user.schemas).toContain(CUSTOM);
    }
  });
});

describe('attributes and excludedAttributes', () => {
  let user: any;
  beforeAll(async () => {
    user = await provision(`${unique('proj')}@entra.example`);
  });

  it('attributes keeps id and schemas (returned: always)', async () => {
    const one = await call('GET', `/Users/${user.id}${q({ attributes: 'userName' })}`);
    expectStatus(one, 200);
    expect(one.body).toMatchObject({ id: user.id, schemas: expect.arrayContaining([URN.user]), userName: user.userName });
    expect(one.body.emails).toBeUndefined();
    expect(one.body.name).toBeUndefined();
    const list = await call('GET', `/Users${q({ filter: `userName eq "${user.userName}"`, attributes: 'emails' })}`);
    expectStatus(list, 200);
    expect(list.body.Resources[0]).toMatchObject({ id: user.id, schemas: expect.arrayContaining([URN.user]), emails: user.emails });
    expect(list.body.Resources[0].title).toBeUndefined();
  });

  it('excludedAttributes cannot drop id or schemas', async () => {
    const res = await call('GET', `/Users/${user.id}${q({ excludedAttributes: 'id,schemas,emails' })}`);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id: user.id, schemas: expect.arrayContaining([URN.user]) });
    expect(res.body.emails).toBeUndefined();
  });

  it('excluding one enterprise attribute keeps the others', async () => {
    const res = await call('GET', `/Users/${user.id}${q({ excludedAttributes: `${URN.enterprise}:department` })}`);
    expectStatus(res, 200);
    expect(res.body[URN.enterprise]).toEqual({ employeeNumber: '1' });
    expect(res.body.userName).toBe(user.userName);
  });
});

describe('shutdown', () => {
  it('exits 0 on SIGTERM', async () => {
    const running = server!;
    server = undefined;
    expect(await running.stop()).toBe(0);
  });
});
