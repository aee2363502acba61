import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminRoute } from '../../src/admin/route.js';
import { adminRoutes } from '../../src/admin/router.js';
import { signAdminToken } from '../../src/auth/admin-jwt.js';
import { rows } from '../../src/db/client.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { adminFixtures, bearerFor, CALLERS, GROUP_SCHEMA, routeKey, send, type Caller } from '../support/admin-fixtures.js';
import { SCIM, startHarness, TEST_SECRET_KEY, type Harness } from '../support/harness.js';
import { fakeNow, fastBambooHr } from '../support/sync-fixture.js';

let h: Harness;
let fx: ReturnType<typeof adminFixtures>;
let fake: FakeBambooHr;

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: scenarioCompany() });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake) } });
  fx = adminFixtures(h, fake);
  // Both tenants hold users and a group, so lists have something to leak and deletion without force is refused.
  for (const slug of ['acme', 'globex']) {
    await fx.freshUser(slug);
    const group = await h.http
      .post('/scim/v2/Groups')
      .set('authorization', `Bearer ${await fx.scimTokenOf(slug)}`)
      .set('content-type', SCIM)
      .send({ schemas: [GROUP_SCHEMA], displayName: `${slug} staff` });
    expect(group.status).toBe(201);
  }
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

/**
 * Routes outside any tenant that tenant roles may call, because each answers for the caller's
 * tenant only or holds nothing of any tenant (the provider catalogue).
 */
const SELF_SCOPED = new Set(['GET /me', 'GET /tenants', 'GET /providers']);
/** Routes on a tenant that even that tenant's admins may not call. */
const OPERATOR_ONLY_ON_TENANT = new Set(['DELETE /tenants/:slug']);

/** The policy, stated independently of the routes' own `access` declarations. */
function allowed(route: AdminRoute, caller: Caller, slug: string | undefined): boolean {
  if (caller.role === 'operator') return true;
  if (slug === undefined) return SELF_SCOPED.has(routeKey(route));
  if (OPERATOR_ONLY_ON_TENANT.has(routeKey(route)) || caller.tenant !== slug) return false;
  return route.method === 'get' || caller.role === 'admin';
}

/** Ids belonging to every tenant except `slug`: none of them may appear in what a role on `slug` reads. */
async function foreignIds(slug: string): Promise<string[]> {
  const found = await rows<{ id: string }>(
    h.db.db,
    sql`select t.id::text as id from tenants t where t.slug <> ${slug}
        union all select u.id::text from users u join tenants t on t.id = u.tenant_id where t.slug <> ${slug}
        union all select g.id::text from groups g join tenants t on t.id = g.tenant_id where t.slug <> ${slug}
        union all select s.id::text from scim_tokens s join tenants t on t.id = s.tenant_id where t.slug <> ${slug}
        union all select c.id::text from connections c join tenants t on t.id = c.tenant_id where t.slug <> ${slug}
        union all select r.id::text from sync_runs r join tenants t on t.id = r.tenant_id where t.slug <> ${slug}
        union all select w.id::text from webhook_endpoints w join tenants t on t.id = w.tenant_id where t.slug <> ${slug}`,
  );
  return found.map((r) => r.id);
}

const matrix = adminRoutes.flatMap((route) =>
  CALLERS.flatMap((caller) =>
    (route.path.includes(':slug') ? ['acme', 'globex'] : [undefined]).map((slug) => ({
      name: `${caller.label}: ${routeKey(route)}${slug ? ` on ${slug}` : ''} → ${allowed(route, caller, slug) ? 'allowed' : '403'}`,
      route,
      caller,
      slug,
    })),
  ),
);

describe('admin API authorisation matrix', () => {
  let seq = 0;
  it.each(matrix)('$name', async ({ route, caller, slug }) => {
    const call = await fx.call(route, slug ?? caller.tenant ?? 'acme');
    const requestId = `authz-${++seq}-${Date.now()}`;
    const res = await send(h, route, call, await bearerFor(caller), requestId);
    if (allowed(route, caller, slug)) {
      expect([401, 403], res.text).not.toContain(res.status);
      if (call.success) expect(call.success, res.text).toContain(res.status);
      if (caller.tenant && route.method === 'get') {
        for (const id of await foreignIds(caller.tenant)) expect(res.text, `leaks ${id}`).not.toContain(id);
      }
      return;
    }
    expect(res.status, res.text).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
    expect(res.body.detail).toEqual(expect.any(String));
    expect(res.body.detail.length).toBeGreaterThan(0);
    // A refused call must not have acted: nothing was audited under its request id.
    const audited = await rows(h.db.db, sql`select 1 from audit_log where request_id = ${requestId}`);
    expect(audited).toEqual([]);
  });

  it('every route that changes something is closed to auditors of every tenant', () => {
    for (const route of adminRoutes.filter((r) => r.method !== 'get')) {
      for (const slug of ['acme', 'globex', undefined]) expect(allowed(route, { label: 'a', role: 'auditor', tenant: 'acme' }, slug)).toBe(false);
      expect(route.access, routeKey(route)).not.toMatch(/^(any|tenant-read)$/);
    }
  });

  it('a role on one tenant cannot probe whether another tenant exists', async () => {
    const res = await h.http.get('/admin/v1/tenants/no-such-tenant').set('authorization', await bearerFor({ role: 'admin', tenant: 'acme' }));
    expect(res.status).toBe(403);
  });
});

describe('admin authentication', () => {
  const otherKey = Buffer.alloc(32, 9);
  const headers: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['a garbage bearer', async () => 'Bearer garbage'],
    ['a Basic credential', async () => 'Basic b3BlcmF0b3I6cGFzcw=='],
    ['a SCIM token', async () => `Bearer ${h.token}`],
    ['a JWT signed with another installation key', async () => `Bearer ${await signAdminToken(otherKey, { subject: 'x', role: 'operator', ttlSeconds: 600 })}`],
    ['an expired admin JWT', async () => `Bearer ${await signAdminToken(TEST_SECRET_KEY, { subject: 'x', role: 'operator', ttlSeconds: -60 })}`],
    [
      'a JWT without an audience',
      async () => `Bearer ${await new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('rollcall').setExpirationTime('5m').sign(new Uint8Array(32))}`,
    ],
  ];
  const cases = adminRoutes.flatMap((route) => headers.map(([what, header]) => ({ name: `${routeKey(route)} with ${what} → 401`, route, header })));

  it.each(cases)('$name', async ({ route, header }) => {
    const call = await fx.call(route, 'acme');
    const res = await send(h, route, call, await header());
    expect(res.status, res.text).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.body).toMatchObject({ status: 401, code: 'unauthorized', detail: expect.any(String) });
  });
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1, served without credentials, and lists every admin route', async () => {
    const res = await h.http.get('/admin/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.adminJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
    let operations = 0;
    for (const path of Object.values(doc.paths) as Record<string, unknown>[]) operations += Object.keys(path).length;
    expect(operations).toBe(adminRoutes.length);
    for (const route of adminRoutes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[route.method];
      expect(op, `${routeKey(route)} missing`).toBeDefined();
      expect(op.summary).toBe(route.summary);
      expect(Object.keys(op.responses)).toContain(String(route.status ?? 200));
      expect(op.responses['403']).toBeDefined();
      expect(op.security).toEqual([{ adminJwt: [] }]);
      const declared = op.parameters.filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name);
      expect(declared.sort()).toEqual([...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]).sort());
      if (route.body) expect(op.requestBody.content['application/json'].schema).toMatchObject({ type: 'object' });
    }
  });
});
