import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { URN, expectEmptyList, expectScimError, expectScimJson, expectStatus, patchBody, q, scimClient, unique, type CallOptions, type Reply } from './client.js';

/**
 * Entra ID's group provisioning over real HTTP against the real server process (docs/scim-clients.md,
 * "Microsoft Entra ID", Groups). Entra sends application/scim+json, reads groups without their members,
 * and PATCHes membership in batches in both its legacy and its aadOptscim062020 forms.
 */
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const AD_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
let server: ServerProcess | undefined;
let call: (method: string, path: string, options?: CallOptions) => Promise<Reply>;

beforeAll(async () => {
  server = await startServerProcess();
  call = scimClient(server, { contentType: 'application/scim+json', userAgent: 'Azure AD SCIM Provisioning' });
});
afterAll(async () => {
  await server?.stop();
});

const byName = (displayName: string) => `/Groups${q({ excludedAttributes: 'members', filter: `displayName eq "${displayName}"` })}`;

/** Entra accepts 204 or 200 for a group PATCH. */
function expectPatched(reply: Reply): void {
  expect([200, 204], `HTTP ${reply.status}: ${reply.text.slice(0, 600)}`).toContain(reply.status);
}

describe('Entra group provisioning', () => {
  const users: string[] = [];
  const displayName = unique('Entra Sales');
  const objectId = crypto.randomUUID();
  let id = '';

  const members = async (): Promise<string[]> => {
    const res = await call('GET', `/Groups/${id}`);
    expectStatus(res, 200);
    return (res.body.members as { value: string }[]).map((m) => m.value).sort();
  };
  const sorted = (...idx: number[]) => idx.map((i) => users[i]!).sort();
  const refs = (...idx: number[]) => idx.map((i) => ({ $ref: null, value: users[i]! }));

  beforeAll(async () => {
    for (let i = 0; i < 6; i++) {
      const userName = `${unique(`member${i}`)}@entra.example`;
      const res = await call('POST', '/Users', { body: { schemas: [URN.user], userName, externalId: userName.split('@')[0], active: true } });
      expectStatus(res, 201);
      users.push(res.body.id);
    }
  });

  it('looks the group up with excludedAttributes=members and a displayName filter: 200, empty', async () => {
    expectEmptyList(await call('GET', byName(displayName)));
  });

  it('POSTs with members: [] and the extra ADSCIM schema → 201, the schema accepted and ignored', async () => {
    const res = await call('POST', '/Groups', { body: { schemas: [GROUP, AD_GROUP], externalId: objectId, displayName, members: [] } });
    expectStatus(res, 201);
    expectScimJson(res);
    id = res.body.id;
    expect(res.body).toMatchObject({ schemas: [GROUP], displayName, externalId: objectId, meta: { resourceType: 'Group' } });
    expect(res.headers.get('location')).toBe(`${server!.scimUrl}/Groups/${id}`);
  });

  it('finds it again by displayName and by externalId, without members', async () => {
    const found = await call('GET', byName(displayName));
    expectStatus(found, 200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]).toMatchObject({ id, displayName });
    expect(found.body.Resources[0].members).toBeUndefined();
    const byExternal = await call('GET', `/Groups${q({ excludedAttributes: 'members', filter: `externalId eq "${objectId}" and displayName eq "${displayName}"` })}`);
    expect(byExternal.body.Resources.map((g: { id: string }) => g.id)).toEqual([id]);
  });

  it('GET /Groups/{id}?excludedAttributes=members: the group without members', async () => {
    const res = await call('GET', `/Groups/${id}?excludedAttributes=members`);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id, displayName });
    expect(res.body.members).toBeUndefined();
    expect(res.headers.get('etag')).toBe(res.body.meta.version);
  });

  it('adds members in batches: legacy capitalised Add with $ref: null, then the aadOptscim062020 lower-case form', async () => {
    expectPatched(await call('PATCH', `/Groups/${id}`, { body: patchBody({ op: 'Add', path: 'members', value: refs(0, 1, 2) }) }));
    expect(await members()).toEqual(sorted(0, 1, 2));
    expectPatched(
      await call('PATCH', `/Groups/${id}`, {
        body: patchBody({ op: 'add', path: 'members', value: [{ value: users[3] }] }, { op: 'add', path: 'members', value: [{ value: users[4] }, { value: users[2] }] }),
      }),
    );
    expect(await members()).toEqual(sorted(0, 1, 2, 3, 4));
  });

  it('legacy Remove with a value array removes exactly those members', async () => {
    expectPatched(await call('PATCH', `/Groups/${id}`, { body: patchBody({ op: 'Remove', path: 'members', value: refs(0, 3) }) }));
    expect(await members()).toEqual(sorted(1, 2, 4));
  });

  it('remove members[value eq "…"], in both forms, mixed with an add in one batch', async () => {
    expectPatched(
      await call('PATCH', `/Groups/${id}`, {
        body: patchBody(
          { op: 'remove', path: `members[value eq "${users[1]}"]` },
          { op: 'Remove', path: `members[value eq "${users[2]}"]` },
          { op: 'Add', path: 'members', value: refs(5) },
        ),
      }),
    );
    expect(await members()).toEqual(sorted(4, 5));
  });

  it('renames and changes externalId with Replace, and membership stays', async () => {
    expectPatched(
      await call('PATCH', `/Groups/${id}`, {
        body: patchBody({ op: 'Replace', path: 'displayName', value: `${displayName} EMEA` }, { op: 'replace', path: 'externalId', value: `${objectId}-2` }),
      }),
    );
    const res = await call('GET', `/Groups/${id}?excludedAttributes=members`);
    expect(res.body).toMatchObject({ displayName: `${displayName} EMEA`, externalId: `${objectId}-2` });
    expect(await members()).toEqual(sorted(4, 5));
  });

  it('an unknown group id → 404 with the error body', async () => {
    expectScimError(await call('PATCH', `/Groups/${crypto.randomUUID()}`, { body: patchBody({ op: 'Add', path: 'members', value: refs(0) }) }), 404);
  });

  it('DELETE → 204, then 404; the members stay as users', async () => {
    const res = await call('DELETE', `/Groups/${id}`);
    expectStatus(res, 204);
    expectScimError(await call('GET', `/Groups/${id}`), 404);
    expectEmptyList(await call('GET', byName(`${displayName} EMEA`)));
    expectStatus(await call('GET', `/Users/${users[4]}`), 200);
  });
});
