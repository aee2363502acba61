import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScimToken } from '../../src/auth/scim-tokens.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const BODY_LIMIT = 192 * 1024;
const BASE = 'https://rollcall.test/scim/v2';

let h: Harness;
const auth = (token = h.token) => ({ authorization: `Bearer ${token}`, 'content-type': SCIM });
const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}, token = h.token) =>
  h.http.post('/scim/v2/Bulk').set(auth(token)).send({ schemas: [BULK_REQUEST], Operations, ...extra });
const postUser = (bulkId: string, userName: string) => ({ method: 'POST', path: '/Users', bulkId, data: { schemas: [USER], userName } });
const badUser = (bulkId: string) => ({ method: 'POST', path: '/Users', bulkId, data: { schemas: [USER] } });
const countUsers = async (filter: string) => (await h.http.get('/scim/v2/Users').query({ filter, count: 0 }).set(auth())).body.totalResults as number;
const idOf = (location: string) => location.split('/').at(-1)!;

beforeAll(async () => {
  h = await startHarness({ bodyLimit: BODY_LIMIT });
});
afterAll(() => h.close());

describe('bulkId references (RFC 7644 §3.7.2)', () => {
  it('a group whose members are users created earlier in the same request', async () => {
    const res = await bulk([
      postUser('ann', 'ann@bulk.test'),
      postUser('bob', 'bob@bulk.test'),
      { method: 'POST', path: '/Groups', bulkId: 'team', data: { schemas: [GROUP], displayName: 'Bulk team', members: [{ value: 'bulkId:ann' }, { value: 'bulkId:bob', type: 'User' }] } },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([BULK_RESPONSE]);
    const [ann, bob, team] = res.body.Operations;
    for (const [op, bulkId, type] of [[ann, 'ann', 'Users'], [bob, 'bob', 'Users'], [team, 'team', 'Groups']] as const) {
      expect(op).toMatchObject({ method: 'POST', bulkId, status: '201', version: 'W/"1"' });
      expect(op.location).toMatch(new RegExp(`^${BASE}/${type}/[0-9a-f-]{36}$`));
    }
    const group = await h.http.get(`/scim/v2/Groups/${idOf(team.location)}`).set(auth());
    expect(group.body.members.map((m: { value: string }) => m.value).sort()).toEqual([idOf(ann.location), idOf(bob.location)].sort());
    expect(JSON.stringify(group.body)).not.toContain('bulkId');
  });

  it('resolves a reference to a POST later in the request, and a bulkId in an operation path', async () => {
    const res = await bulk([
      { method: 'POST', path: '/Groups', bulkId: 'early', data: { schemas: [GROUP], displayName: 'Forward', members: [{ value: 'bulkId:late' }] } },
      { method: 'PATCH', path: '/Groups/bulkId:early', data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Forward renamed' }] } },
      postUser('late', 'late@bulk.test'),
    ]);
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '200', '201']);
    const [group, patched, user] = res.body.Operations;
    expect(patched.location).toBe(group.location);
    const read = await h.http.get(`/scim/v2/Groups/${idOf(group.location)}`).set(auth());
    expect(read.body).toMatchObject({ displayName: 'Forward renamed', members: [{ value: idOf(user.location) }] });
  });

  it.each<[string, unknown[], string[]]>([
    ['a bulkId no operation defines', [{ method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'Dangling', members: [{ value: 'bulkId:nobody' }] } }], ['409']],
    ['a bulkId whose POST failed', [badUser('broken'), { method: 'PATCH', path: '/Users/bulkId:broken', data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] } }], ['400', '409']],
    [
      'a circular reference',
      [
        { method: 'POST', path: '/Groups', bulkId: 'x', data: { schemas: [GROUP], displayName: 'Circle X', members: [{ value: 'bulkId:y', type: 'Group' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'y', data: { schemas: [GROUP], displayName: 'Circle Y', members: [{ value: 'bulkId:x', type: 'Group' }] } },
      ],
      ['409', '409'],
    ],
  ])('%s: that operation fails, nothing half-made', async (_, ops, statuses) => {
    const res = await bulk(ops);
    expect(res.status).toBe(200);
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(statuses);
    for (const op of res.body.Operations) expect(op.response).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: op.status });
    expect(res.body.Operations.at(-1).location).toBeUndefined();
    const groups = await h.http.get('/scim/v2/Groups').query({ filter: 'displayName eq "Dangling" or displayName sw "Circle"' }).set(auth());
    expect(groups.body.totalResults).toBe(0);
  });
});

describe('per-operation results', () => {
  it('status, location and version for PUT, PATCH and DELETE; the error body for a failure', async () => {
    const made = await h.http.post('/scim/v2/Users').set(auth()).send({ schemas: [USER], userName: 'ops@bulk.test' });
    const id = made.body.id as string;
    const res = await bulk([
      { method: 'PUT', path: `/Users/${id}`, version: 'W/"1"', data: { schemas: [USER], userName: 'ops@bulk.test', title: 'Boss' } },
      { method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] } },
      { method: 'PATCH', path: `/Users/${id}`, version: 'W/"1"', data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'stale' }] } },
      { method: 'DELETE', path: `/Users/${id}` },
      { method: 'DELETE', path: `/Users/${id}` },
    ]);
    const [put, patch, stale, del, again] = res.body.Operations;
    expect(put).toEqual({ method: 'PUT', status: '200', location: `${BASE}/Users/${id}`, version: 'W/"2"' });
    expect(patch).toEqual({ method: 'PATCH', status: '200', location: `${BASE}/Users/${id}`, version: 'W/"3"' });
    expect(stale).toMatchObject({ method: 'PATCH', status: '412', response: { status: '412' } });
    expect(del).toMatchObject({ method: 'DELETE', status: '204', location: `${BASE}/Users/${id}` });
    expect(again).toMatchObject({ method: 'DELETE', status: '404', response: { status: '404', detail: expect.any(String) } });
  });

  it('failOnErrors: stops after that many errors and reports only what ran', async () => {
    const res = await bulk(
      [badUser('f1'), postUser('f2', 'f2@fail.test'), badUser('f3'), postUser('f4', 'f4@fail.test'), postUser('f5', 'f5@fail.test')],
      { failOnErrors: 2 },
    );
    expect(res.status).toBe(200);
    expect(res.body.Operations.map((o: { bulkId: string; status: string }) => `${o.bulkId}:${o.status}`)).toEqual(['f1:400', 'f2:201', 'f3:400']);
    expect(await countUsers('userName ew "@fail.test"')).toBe(1);
  });

  it('endpoint names in operation paths are case-insensitive, as on the single routes', async () => {
    const res = await bulk([{ ...postUser('lc', 'lc@case.test'), path: '/users' }, { method: 'PATCH', path: '/USERS/bulkId:lc', data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] } }]);
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '200']);
    expect(res.body.Operations[0].location).toMatch(new RegExp(`^${BASE}/Users/`));
  });

  it('without failOnErrors every operation runs whatever fails', async () => {
    const res = await bulk([badUser('a1'), postUser('a2', 'a2@all.test'), badUser('a3'), postUser('a4', 'a4@all.test')]);
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['400', '201', '400', '201']);
  });
});

describe('limits and permissions', () => {
  it('advertises maxOperations and maxPayloadSize in ServiceProviderConfig', async () => {
    const res = await h.http.get('/scim/v2/ServiceProviderConfig').set(auth());
    expect(res.body.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: BODY_LIMIT });
  });

  it('more than maxOperations → 413 tooMany, and nothing runs', async () => {
    const ops = Array.from({ length: 1001 }, (_, i) => postUser(`m${i}`, `m${i}@many.test`));
    expect(JSON.stringify(ops).length).toBeLessThan(BODY_LIMIT);
    const res = await bulk(ops);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '413', scimType: 'tooMany' });
    expect(await countUsers('userName ew "@many.test"')).toBe(0);
  });

  it('a body over maxPayloadSize → 413 tooMany, and nothing runs', async () => {
    const res = await bulk([postUser('big', 'big@big.test'), { ...postUser('pad', 'pad@big.test'), data: { schemas: [USER], userName: 'pad@big.test', title: 'x'.repeat(BODY_LIMIT) } }]);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: '413', scimType: 'tooMany' });
    expect(await countUsers('userName ew "@big.test"')).toBe(0);
  });

  it('a read-only token cannot write through Bulk', async () => {
    const reader = await createScimToken(h.db.db, h.tenantId, { name: 'reader', scopes: ['scim:read'] });
    const res = await bulk([postUser('ro', 'ro@readonly.test')], {}, reader.secret);
    expect(res.status).toBe(403);
    expect(res.body.status).toBe('403');
    expect(await countUsers('userName ew "@readonly.test"')).toBe(0);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no BulkRequest schema', { schemas: [], Operations: [postUser('s', 's@syntax.test')] }],
    ['no operations', { schemas: [BULK_REQUEST], Operations: [] }],
    ['a POST without bulkId', { schemas: [BULK_REQUEST], Operations: [{ method: 'POST', path: '/Users', data: { schemas: [USER], userName: 's@syntax.test' } }] }],
    ['a bulkId used twice', { schemas: [BULK_REQUEST], Operations: [postUser('twice', 's1@syntax.test'), postUser('twice', 's2@syntax.test')] }],
    ['an unknown endpoint', { schemas: [BULK_REQUEST], Operations: [{ method: 'DELETE', path: '/Schemas/x' }] }],
  ])('%s → 400 invalidSyntax, nothing runs', async (_, body) => {
    const res = await h.http.post('/scim/v2/Bulk').set(auth()).send(body);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidSyntax');
    expect(await countUsers('userName ew "@syntax.test"')).toBe(0);
  });
});
