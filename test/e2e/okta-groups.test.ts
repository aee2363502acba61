import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { URN, expectEmptyList, expectScimError, expectScimJson, expectStatus, patchBody, q, scimClient, unique, type CallOptions, type Reply } from './client.js';

/**
 * Okta Group Push over real HTTP against the real server process, in the order Okta sends it
 * (docs/scim-clients.md, "Okta", Group Push). Okta posts `application/json`.
 */
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
let server: ServerProcess | undefined;
let call: (method: string, path: string, options?: CallOptions) => Promise<Reply>;

beforeAll(async () => {
  server = await startServerProcess();
  call = scimClient(server, { contentType: 'application/json', userAgent: 'Okta SCIM Client 1.0.0' });
});
afterAll(async () => {
  await server?.stop();
});

/** A single group answer: scim+json, an ETag matching meta.version, meta.resourceType Group. */
function expectGroup(reply: Reply, status: number): any {
  expectStatus(reply, status);
  expectScimJson(reply);
  expect(reply.body.schemas).toContain(GROUP);
  expect(reply.headers.get('etag')).toBe(reply.body.meta?.version);
  expect(reply.body.meta).toMatchObject({ resourceType: 'Group', location: `${server!.scimUrl}/Groups/${reply.body.id}` });
  return reply.body;
}

const memberIds = async (id: string): Promise<string[]> => {
  const body = expectGroup(await call('GET', `/Groups/${id}`), 200);
  return (body.members as { value: string }[]).map((m) => m.value).sort();
};

/** Okta answers 204 or 200 with the resource for PATCH: both are fine, nothing else is. */
function expectPatched(reply: Reply): void {
  expect([200, 204], `HTTP ${reply.status}: ${reply.text.slice(0, 600)}`).toContain(reply.status);
}

describe('Okta Group Push', () => {
  const users: { id: string; display: string }[] = [];
  const displayName = unique('Okta Engineering');
  let id = '';
  const sorted = (...idx: number[]) => idx.map((i) => users[i]!.id).sort();

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) {
      const userName = `${unique(`push${i}`)}@okta.example`;
      const res = await call('POST', '/Users', {
        body: { schemas: [URN.user], userName, name: { givenName: `P${i}`, familyName: 'Push' }, emails: [{ primary: true, value: userName, type: 'work' }], active: true, groups: [], password: 'Placeholder-Pw-1!' },
      });
      expectStatus(res, 201);
      users.push({ id: res.body.id, display: userName });
    }
  });

  // The spec test also allows only 600 ms; `npm run bench` measures that, tests do not time.
  it('GET /Groups answers 200 with a ListResponse', async () => {
    const res = await call('GET', '/Groups');
    expectStatus(res, 200);
    expectScimJson(res);
    expect(res.body.schemas).toEqual([URN.listResponse]);
  });

  it('looks the group up by displayName, then POSTs it with members: [] → 201 with the resource', async () => {
    expectEmptyList(await call('GET', `/Groups${q({ filter: `displayName eq "${displayName}"` })}`));
    const res = await call('POST', '/Groups', { body: { schemas: [GROUP], displayName, members: [] } });
    const body = expectGroup(res, 201);
    id = body.id;
    expect(res.headers.get('location')).toBe(`${server!.scimUrl}/Groups/${id}`);
    expect(body).toMatchObject({ displayName, members: [] });
    expectScimError(await call('POST', '/Groups', { body: { schemas: [GROUP], displayName: displayName.toUpperCase(), members: [] } }), 409, 'uniqueness');
  });

  it('renames with a path-less replace of {id, displayName}', async () => {
    expectPatched(await call('PATCH', `/Groups/${id}`, { body: patchBody({ op: 'replace', value: { id, displayName: `${displayName} renamed` } }) }));
    expect(expectGroup(await call('GET', `/Groups/${id}`), 200).displayName).toBe(`${displayName} renamed`);
  });

  it('changes membership as remove members[value eq "id"] plus add members [{value, display}] in one PATCH, with the rename repeated', async () => {
    expectPatched(await call('PATCH', `/Groups/${id}`, { body: patchBody({ op: 'add', path: 'members', value: [{ value: users[0]!.id, display: users[0]!.display }] }) }));
    expect(await memberIds(id)).toEqual(sorted(0));
    const res = await call('PATCH', `/Groups/${id}`, {
      body: patchBody(
        { op: 'replace', value: { id, displayName: `${displayName} renamed` } },
        { op: 'remove', path: `members[value eq "${users[0]!.id}"]` },
        { op: 'add', path: 'members', value: [users[1]!, users[2]!].map((u) => ({ value: u.id, display: u.display })) },
      ),
    });
    expectPatched(res);
    expect(await memberIds(id)).toEqual(sorted(1, 2));
  });

  it('replaces members with the full list', async () => {
    expectPatched(await call('PATCH', `/Groups/${id}`, { body: patchBody({ op: 'replace', path: 'members', value: [2, 3].map((i) => ({ value: users[i]!.id, display: users[i]!.display })) }) }));
    expect(await memberIds(id)).toEqual(sorted(2, 3));
  });

  it('wizard-built apps: PUT /Groups/{id} with the full member list → 200 with the resource', async () => {
    const res = await call('PUT', `/Groups/${id}`, {
      body: { schemas: [GROUP], id, displayName: `${displayName} renamed`, members: [0, 3].map((i) => ({ value: users[i]!.id, display: users[i]!.display })) },
    });
    const body = expectGroup(res, 200);
    expect((body.members as { value: string }[]).map((m) => m.value).sort()).toEqual(sorted(0, 3));
    expect(await memberIds(id)).toEqual(sorted(0, 3));
    const user = await call('GET', `/Users/${users[3]!.id}`);
    expect(user.body.groups.map((g: { value: string }) => g.value)).toEqual([id]);
  });

  it('a filter on the new name finds the group; the old name finds nothing', async () => {
    const found = await call('GET', `/Groups${q({ filter: `displayName eq "${displayName} renamed"`, startIndex: 1, count: 100 })}`);
    expectStatus(found, 200);
    expect(found.body.Resources.map((g: { id: string }) => g.id)).toEqual([id]);
    expectEmptyList(await call('GET', `/Groups${q({ filter: `displayName eq "${displayName}"` })}`));
  });

  it('DELETE when the admin deletes the pushed group: 204, then 404; its users stay', async () => {
    const res = await call('DELETE', `/Groups/${id}`);
    expectStatus(res, 204);
    expect(res.text).toBe('');
    expectScimError(await call('GET', `/Groups/${id}`), 404);
    expectScimError(await call('DELETE', `/Groups/${id}`), 404);
    const user = await call('GET', `/Users/${users[0]!.id}`);
    expectStatus(user, 200);
    expect(user.body.groups).toEqual([]);
  });
});
