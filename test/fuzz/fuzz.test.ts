import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Test } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../../src/admin/router.js';
import type { AdminRoute } from '../../src/admin/route.js';
import { groupResourceType, userResourceType } from '../../scim/schemas/resource-types.js';
import type { ResourceTypeDef } from '../../scim/schemas/types.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { adminFixtures, bearerFor, pathOf, routeKey, type Call } from '../support/admin-fixtures.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';
import { fakeNow, fastBambooHr } from '../support/sync-fixture.js';
import { bulkBody, json, listParams, mutate, patchBody, rawBody, resource, text } from './arbitraries.js';
import { defects } from './well-formed.js';

/**
 * Property-based tests of the whole service over HTTP: generated SCIM resources, PATCH operations,
 * filters, paths, list parameters, Bulk requests and admin API bodies (valid, near-valid, garbage)
 * never get a 5xx, and every 4xx carries a well-formed error body. `npm test` runs FUZZ_RUNS cases
 * per property (default 40); `npm run fuzz` runs many more. A failure prints the seed and the
 * shrunk request, to replay with FUZZ_SEED.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const TIMEOUT = Math.max(30_000, RUNS * 1_500);
const params = { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true };

let h: Harness;
let fake: FakeBambooHr;
let operator: string;
const ids: Record<'User' | 'Group', string[]> = { User: [], Group: [] };
/** One valid call per admin route with a body, made once (fixtures create connections, run syncs). */
const adminCalls = new Map<string, Call>();
let cases = 0;
let found = 0;

const TYPES = [userResourceType, groupResourceType];
const auth = () => ({ authorization: `Bearer ${h.token}` });

/** Sends, then fails the property with the request when the answer has a defect. */
async function check(api: 'scim' | 'admin', label: string, request: Test, sent?: unknown) {
  cases++;
  const res = await request;
  const wrong = defects(api, res, label.split(' ')[0]);
  if (wrong.length > 0) {
    found++;
    const shown = sent === undefined ? '' : ` body ${JSON.stringify(sent)?.slice(0, 500)}`;
    throw new Error(`${label}${shown} → ${res.status}: ${wrong.join('; ')}; response ${String(res.text).slice(0, 300)}`);
  }
  return res;
}

/** A path segment from any text; a lone surrogate, which encodeURIComponent refuses, travels as the escape a careless client would send. */
const segment = (t: string) => {
  try {
    return encodeURIComponent(t) || 'x';
  } catch {
    return `%ED%A0%80${encodeURIComponent(t.replace(/[\ud800-\udfff]/g, ''))}`;
  }
};

const idOf = (rt: ResourceTypeDef) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(null).map(() => ids[rt.id as 'User' | 'Group'][0] ?? randomUUID()) },
    { weight: 2, arbitrary: fc.nat().map((n) => ids[rt.id as 'User' | 'Group'][n % Math.max(1, ids[rt.id as 'User' | 'Group'].length)] ?? randomUUID()) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: text.map((t) => segment(t.slice(0, 40))) },
  );
const typeArb = fc.constantFrom(...TYPES);
const asQuery = (p: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
/** JSON text as a client sends it; lone surrogates and U+0000 travel as escapes. */
const send = (req: Test, body: unknown) => req.set('content-type', SCIM).send(JSON.stringify(body) ?? 'null');

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: scenarioCompany() });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake) } });
  operator = await bearerFor({ role: 'operator' });
  for (const rt of TYPES) {
    const key = rt.id === 'User' ? 'userName' : 'displayName';
    for (let i = 0; i < 3; i++) {
      const res = await send(h.http.post(`/scim/v2${rt.endpoint}`).set(auth()), { schemas: [rt.schema.id], [key]: `seed-${i}-${randomUUID()}` });
      expect(res.status).toBe(201);
      ids[rt.id as 'User' | 'Group'].push(res.body.id);
    }
  }
  const fx = adminFixtures(h, fake);
  for (const route of adminRoutes.filter((r) => r.body)) adminCalls.set(routeKey(route), await fx.call(route, 'acme'));
}, 120_000);
afterAll(async () => {
  // The count of cases is what the README's figures quote.
  process.stdout.write(`fuzz: ${cases} requests, ${found} defects\n`);
  await h?.close();
  await fake?.close();
});

describe('SCIM', () => {
  it('POST resources', async () => {
    await fc.assert(
      fc.asyncProperty(typeArb.chain((rt) => fc.tuple(fc.constant(rt), resource(rt))), async ([rt, body]) => {
        const res = await check('scim', `POST ${rt.endpoint}`, send(h.http.post(`/scim/v2${rt.endpoint}`).set(auth()), body), body);
        if (res.status === 201) ids[rt.id as 'User' | 'Group'].push(res.body.id);
      }),
      params,
    );
  }, TIMEOUT);

  it('PUT resources', async () => {
    await fc.assert(
      fc.asyncProperty(typeArb.chain((rt) => fc.tuple(fc.constant(rt), idOf(rt), resource(rt))), async ([rt, id, body]) => {
        await check('scim', `PUT ${rt.endpoint}/${id}`, send(h.http.put(`/scim/v2${rt.endpoint}/${id}`).set(auth()), body), body);
      }),
      params,
    );
  }, TIMEOUT);

  it('PATCH operations and paths', async () => {
    await fc.assert(
      fc.asyncProperty(typeArb.chain((rt) => fc.tuple(fc.constant(rt), idOf(rt), patchBody(rt), fc.boolean())), async ([rt, id, body, representation]) => {
        const req = h.http.patch(`/scim/v2${rt.endpoint}/${id}`).set(auth()).set('prefer', representation ? 'return=representation' : 'return=minimal');
        await check('scim', `PATCH ${rt.endpoint}/${id}`, send(req, body), body);
      }),
      params,
    );
  }, TIMEOUT);

  it('GET lists: filters, paging, sorting, projection', async () => {
    await fc.assert(
      fc.asyncProperty(typeArb.chain((rt) => fc.tuple(fc.constant(rt), listParams(rt))), async ([rt, p]) => {
        const query = asQuery(p);
        await check('scim', `GET ${rt.endpoint}?${new URLSearchParams(query)}`, h.http.get(`/scim/v2${rt.endpoint}`).query(query).set(auth()));
      }),
      params,
    );
  }, TIMEOUT);

  it('POST .search, per type and across types', async () => {
    await fc.assert(
      fc.asyncProperty(
        typeArb.chain((rt) => fc.tuple(fc.constantFrom(`${rt.endpoint}/.search`, '/.search'), fc.oneof(listParams(rt), json))),
        async ([path, body]) => {
          await check('scim', `POST ${path}`, send(h.http.post(`/scim/v2${path}`).set(auth()), body), body);
        },
      ),
      params,
    );
  }, TIMEOUT);

  it('POST /Bulk', async () => {
    await fc.assert(
      fc.asyncProperty(bulkBody(() => [...ids.User.slice(0, 3), ...ids.Group.slice(0, 3)]), async (body) => {
        await check('scim', 'POST /Bulk', send(h.http.post('/scim/v2/Bulk').set(auth()), body), body);
      }),
      params,
    );
  }, TIMEOUT);

  it('any method on any SCIM path, with odd headers and raw bodies', async () => {
    const paths = fc.oneof(
      fc.constantFrom('/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/User', '/Schemas', `/Schemas/${userResourceType.schema.id}`, '/Users', '/Groups', '/Bulk', '/.search', '/Users/.search', '/users', '/Me'),
      typeArb.chain((rt) => idOf(rt).map((id) => `${rt.endpoint}/${id}`)),
      text.map((t) => `/${segment(t.slice(0, 30))}`),
    );
    const headers = fc.record(
      {
        'content-type': fc.constantFrom(SCIM, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'multipart/form-data', 'application/scim+json; charset=latin1'),
        'content-encoding': fc.constantFrom('gzip', 'identity', 'br', 'x-nonsense'),
        'if-match': fc.constantFrom('W/"1"', '*', '"nonsense', 'W/""'),
        'if-none-match': fc.constantFrom('W/"1"', '*'),
        prefer: fc.constantFrom('return=minimal', 'return=representation', 'nonsense'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('get', 'post', 'put', 'patch', 'delete', 'head', 'options'), paths, headers, fc.option(rawBody), async (method, path, hs, body) => {
        let req = (h.http as unknown as Record<string, (p: string) => Test>)[method]!(`/scim/v2${path}`).set(auth());
        for (const [k, v] of Object.entries(hs)) req = req.set(k, v);
        if (body && method !== 'get' && method !== 'head') req = req.send(body);
        await check('scim', `${method.toUpperCase()} ${path} ${JSON.stringify(hs)}`, req, body?.toString('latin1'));
      }),
      params,
    );
  }, TIMEOUT);
});

describe('admin API', () => {
  const bodyRoutes = adminRoutes.filter((r) => r.body);
  const queryRoutes = adminRoutes.filter((r) => r.query && r.method === 'get');

  it('every route with a body covers it', () => {
    expect(bodyRoutes.length).toBeGreaterThan(10);
    for (const r of bodyRoutes) expect(adminCalls.has(routeKey(r)), routeKey(r)).toBe(true);
  });

  it('bodies of every route that takes one', async () => {
    const call = fc.constantFrom(...bodyRoutes).chain((route) => {
      const valid = adminCalls.get(routeKey(route))!;
      return fc.tuple(fc.constant(route), fc.constant(valid), fc.oneof({ weight: 4, arbitrary: mutate(valid.body) }, { weight: 1, arbitrary: rawBody }));
    });
    await fc.assert(
      fc.asyncProperty(call, async ([route, valid, body]: [AdminRoute, Call, unknown]) => {
        const path = pathOf(route, valid.params);
        const req = (h.http as unknown as Record<string, (p: string) => Test>)[route.method]!(path).set('authorization', operator);
        const sent = Buffer.isBuffer(body) ? req.set('content-type', 'application/json').send(body) : req.set('content-type', 'application/json').send(JSON.stringify(body) ?? 'null');
        await check('admin', `${route.method.toUpperCase()} ${path}`, sent, Buffer.isBuffer(body) ? body.toString('latin1') : body);
      }),
      { ...params, numRuns: RUNS * 2 },
    );
  }, TIMEOUT * 2);

  it('query parameters of every listing route', async () => {
    const call = fc.tuple(fc.constantFrom(...queryRoutes), fc.dictionary(fc.constantFrom('limit', 'count', 'after', 'before', 'cursor', 'filter', 'state', 'type', 'since', 'operations', 'search', 'q'), text, { maxKeys: 3 }));
    await fc.assert(
      fc.asyncProperty(call, async ([route, query]) => {
        const path = pathOf(route, { slug: "acme", id: ids.User[0]! });
        await check('admin', `GET ${path}?${new URLSearchParams(query)}`, h.http.get(path).query(query).set('authorization', operator));
      }),
      params,
    );
  }, TIMEOUT);
});
