import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/client.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

/**
 * Odd but legal (or plainly wrong) input that once answered 500. Each gets a precise 4xx with the
 * error body of its API, and a legal one simply works.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let h: Harness;
let operator: string;
const auth = () => ({ authorization: `Bearer ${h.token}` });

beforeAll(async () => {
  h = await startHarness({ bodyLimit: 4096 });
  operator = await bearerFor({ role: 'operator' });
});
afterAll(() => h.close());

const scimError = (res: { status: number; headers: Record<string, string>; body: unknown }, status: number, scimType?: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
  expect(res.body).toMatchObject({ schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}) });
};
const problem = (res: { status: number; headers: Record<string, string>; body: unknown }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status, detail: expect.any(String) });
};
const postUser = (raw: string | Buffer) => h.http.post('/scim/v2/Users').set(auth()).set('content-type', SCIM).send(raw);
const list = (query: Record<string, string>) => h.http.get('/scim/v2/Users').query(query).set(auth());

describe('strings the store cannot hold', () => {
  it('U+0000 in a body is 400 invalidValue, and nothing is created', async () => {
    scimError(await postUser(JSON.stringify({ schemas: [USER], userName: 'nul\u0000@x.test' })), 400, 'invalidValue');
    scimError(await postUser(JSON.stringify({ schemas: [USER], userName: 'k@x.test', 'a\u0000': 1 })), 400, 'invalidValue');
    expect((await list({ filter: 'userName sw "nul"' })).body.totalResults).toBe(0);
  });

  it('a lone surrogate in a body is 400', async () => {
    scimError(await postUser(`{"schemas":["${USER}"],"userName":"a\\ud800b@x.test"}`), 400, 'invalidValue');
    scimError(await postUser(`{"schemas":["${USER}"],"userName":"a\\udc00@x.test"}`), 400, 'invalidValue');
  });

  it('a surrogate pair (an emoji) is a character and is stored', async () => {
    const res = await postUser(`{"schemas":["${USER}"],"userName":"smile\\ud83d\\ude00@x.test"}`);
    expect(res.status).toBe(201);
    expect(res.body.userName).toBe('smile\u{1F600}@x.test');
  });

  it('invalid UTF-8 in a body is 400, not replacement characters', async () => {
    const body = Buffer.concat([Buffer.from(`{"schemas":["${USER}"],"userName":"bad`), Buffer.from([0xff, 0xfe]), Buffer.from('@x.test"}')]);
    scimError(await postUser(body), 400, 'invalidSyntax');
    expect((await list({ filter: 'userName sw "bad"' })).body.totalResults).toBe(0);
  });

  it('U+0000 in a PATCH value is 400 and the user is unchanged', async () => {
    const created = await postUser(JSON.stringify({ schemas: [USER], userName: 'patched@x.test', displayName: 'Before' }));
    const res = await h.http
      .patch(`/scim/v2/Users/${created.body.id}`)
      .set(auth())
      .set('content-type', SCIM)
      .send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'x\u0000' }] });
    scimError(res, 400, 'invalidValue');
    expect((await h.http.get(`/scim/v2/Users/${created.body.id}`).set(auth())).body.displayName).toBe('Before');
  });

  it('U+0000 in a filter value, raw or escaped, is 400 invalidFilter', async () => {
    // Raw, it travels as %00 and the URL itself is refused; escaped, the filter is.
    scimError(await list({ filter: 'userName eq "a\u0000"' }), 400);
    scimError(await list({ filter: 'userName eq "a\\u0000"' }), 400, 'invalidFilter');
    scimError(await list({ filter: 'userName eq "a\\ud800"' }), 400, 'invalidFilter');
  });

  it('%00 or a non-UTF-8 escape in the URL is 400 on both APIs', async () => {
    scimError(await h.http.get('/scim/v2/Users/%00').set(auth()), 400, 'invalidValue');
    scimError(await h.http.get('/scim/v2/Users?attributes=%FF').set(auth()), 400, 'invalidSyntax');
    problem(await h.http.get('/admin/v1/tenants/a%00b').set('authorization', operator), 400);
  });

  it('U+0000 in an admin body is a problem+json 400', async () => {
    problem(await h.http.post('/admin/v1/tenants').set('authorization', operator).send({ slug: 'nulname', name: 'x\u0000' }), 400);
    expect((await h.http.get('/admin/v1/tenants/nulname').set('authorization', operator)).status).toBe(404);
  });
});

describe('filters and list parameters', () => {
  it('a value ending in an escaped backslash simply works', async () => {
    const created = await postUser(JSON.stringify({ schemas: [USER], userName: 'DOMAIN\\' }));
    expect(created.status).toBe(201);
    const res = await list({ filter: 'userName eq "DOMAIN\\\\"' });
    expect(res.status).toBe(200);
    expect(res.body.Resources.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
  });

  it('a date in year 0 is 400 invalidFilter; year 1 works', async () => {
    scimError(await list({ filter: 'meta.lastModified gt "0000-01-01T00:00:00Z"' }), 400, 'invalidFilter');
    scimError(await list({ filter: 'meta.lastModified gt "0001-01-01T00:00:00+14:00"' }), 400, 'invalidFilter');
    expect((await list({ filter: 'meta.lastModified gt "0001-01-01T00:00:00Z"' })).status).toBe(200);
  });

  it('startIndex beyond the integer range is 400, hex is not a number, a big one in range is an empty page', async () => {
    scimError(await list({ startIndex: '99999999999999999999' }), 400, 'invalidValue');
    scimError(await list({ startIndex: '2147483648' }), 400, 'invalidValue');
    scimError(await list({ startIndex: '0x10' }), 400, 'invalidValue');
    scimError(await list({ count: '0x10' }), 400, 'invalidCount');
    scimError(await list({ count: '1e2' }), 400, 'invalidCount');
    const far = await list({ startIndex: '2147483647' });
    expect(far.status).toBe(200);
    expect(far.body.Resources).toEqual([]);
    const search = await h.http.post('/scim/v2/Users/.search').set(auth()).set('content-type', SCIM).send({ startIndex: 1e20 });
    scimError(search, 400, 'invalidValue');
  });
});

describe('Bulk', () => {
  it('a version that cannot be an If-Match header is 400, not a 500', async () => {
    const created = await postUser(JSON.stringify({ schemas: [USER], userName: 'bulkver@x.test' }));
    const res = await h.http
      .post('/scim/v2/Bulk')
      .set(auth())
      .set('content-type', SCIM)
      .send({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [{ method: 'PATCH', path: `/Users/${created.body.id}`, version: 'W/"\u00e9\u{10000}"', data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] } }],
      });
    scimError(res, 400, 'invalidSyntax');
  });
});

describe('ids spelled in upper case', () => {
  // A UUID names the same resource in either case; PostgreSQL prints it in lower case.
  it('work on every route of a user and a group with members, and answer the id in lower case', async () => {
    const user = await postUser(JSON.stringify({ schemas: [USER], userName: 'upper.case@x.test' }));
    expect(user.status).toBe(201);
    const group = await h.http
      .post('/scim/v2/Groups')
      .set(auth())
      .set('content-type', SCIM)
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Upper case', members: [{ value: user.body.id.toUpperCase() }] });
    expect(group.status).toBe(201);
    expect(group.body.members).toEqual([expect.objectContaining({ value: user.body.id })]);
    const representation = { ...auth(), 'content-type': SCIM, prefer: 'return=representation' };
    for (const [endpoint, id] of [
      ['Groups', group.body.id as string],
      ['Users', user.body.id as string],
    ] as const) {
      const upper = `/scim/v2/${endpoint}/${id.toUpperCase()}`;
      const got = await h.http.get(upper).set(auth());
      expect(got.status, `GET ${endpoint}`).toBe(200);
      expect(got.body.id).toBe(id);
      const patched = await h.http
        .patch(upper)
        .set(representation)
        .send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'externalId', value: `ext-${endpoint}` }] });
      expect(patched.status, `PATCH ${endpoint}`).toBe(200);
      expect(patched.body).toMatchObject({ id, externalId: `ext-${endpoint}` });
      const put = await h.http.put(upper).set(representation).send({ ...got.body, externalId: `put-${endpoint}` });
      expect(put.status, `PUT ${endpoint}`).toBe(200);
      expect(put.body).toMatchObject({ id, externalId: `put-${endpoint}` });
      if (endpoint === 'Groups') expect(put.body.members).toEqual([expect.objectContaining({ value: user.body.id })]);
    }
    // The change feed names each resource as the store does: every event of both carries the id in lower case.
    const events = await query<{ resource_id: string; id: string }>(
      h.db.db,
      "select resource_id, payload -> 'resource' ->> 'id' as id from change_events where resource_id = any($1::uuid[]) and payload ? 'resource'",
      [`{${group.body.id},${user.body.id}}`],
    );
    expect(events.length).toBeGreaterThanOrEqual(6);
    for (const event of events) expect(event.id).toBe(event.resource_id);
    for (const id of [group.body.id as string, user.body.id as string]) {
      const endpoint = id === group.body.id ? 'Groups' : 'Users';
      expect((await h.http.delete(`/scim/v2/${endpoint}/${id.toUpperCase()}`).set(auth())).status, `DELETE ${endpoint}`).toBe(204);
      expect((await h.http.get(`/scim/v2/${endpoint}/${id}`).set(auth())).status).toBe(404);
    }
  });
});

describe('protocol details', () => {
  it.each([
    ['PUT', '/scim/v2/Users', 'GET, POST'],
    ['DELETE', '/scim/v2/Groups', 'GET, POST'],
    ['POST', '/scim/v2/Users/2819c223-7f76-453a-919d-413861904646', 'GET, PUT, PATCH, DELETE'],
    ['GET', '/scim/v2/Bulk', 'POST'],
    ['GET', '/scim/v2/.search', 'POST'],
    ['GET', '/scim/v2/Users/.search', 'POST'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const res = await h.http[method.toLowerCase() as 'get'](path).set(auth());
    scimError(res, 405);
    expect(res.headers.allow).toBe(allow);
  });

  it('a wrong method on an admin route is a problem+json 405 with Allow', async () => {
    const res = await h.http.put('/admin/v1/tenants').set('authorization', operator).send({});
    problem(res, 405);
    expect(res.headers.allow).toBe('GET, POST, HEAD');
  });

  it('an unsupported Content-Type is 415', async () => {
    scimError(await h.http.post('/scim/v2/Users').set(auth()).set('content-type', 'text/plain').send('{}'), 415);
    problem(await h.http.post('/admin/v1/tenants').set('authorization', operator).set('content-type', 'text/xml').send('<a/>'), 415);
  });

  it('an unknown Content-Encoding is 415 naming identity', async () => {
    const body = JSON.stringify({ schemas: [USER], userName: 'zipped@x.test' });
    const res = await h.http.post('/scim/v2/Users').set(auth()).set('content-type', SCIM).set('content-encoding', 'br-x').send(body);
    scimError(res, 415);
    expect(res.headers['accept-encoding']).toBe('identity');
    problem(await h.http.post('/admin/v1/tenants').set('authorization', operator).set('content-encoding', 'gzip').send('{}'), 415);
    expect((await h.http.post('/scim/v2/Users').set(auth()).set('content-type', SCIM).set('content-encoding', 'identity').send(body)).status).toBe(201);
  });

  it('a 413 on a chunked body closes the connection', async () => {
    const server = h.server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const outcome = await new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/scim/v2/Users', headers: { ...auth(), 'content-type': SCIM, 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
      // Well past the 4 KB limit, in pieces, as a streaming client sends it.
      for (let i = 0; i < 8; i++) req.write('x'.repeat(1024));
      req.end();
    });
    server.close();
    expect(outcome.status).toBe(413);
    expect(outcome.connection).toBe('close');
    expect(JSON.parse(outcome.body)).toMatchObject({ schemas: [ERROR], status: '413' });
  });
});

