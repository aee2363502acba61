import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../../src/admin/router.js';
import { signAdminToken } from '../../src/auth/admin-jwt.js';
import { rows } from '../../src/db/client.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { adminFixtures, bearerFor, routeKey, send, USER_SCHEMA } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startServerProcess } from '../support/server-process.js';
import { fakeNow, fastBambooHr } from '../support/sync-fixture.js';

let h: Harness;
let fx: ReturnType<typeof adminFixtures>;
let fake: FakeBambooHr;
beforeAll(async () => {
  fake = await startFakeBambooHr({ company: scenarioCompany() });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake) } });
  fx = adminFixtures(h, fake);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

interface AuditRow {
  tenant_id: string | null;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  request_id: string | null;
  created_at: Date | string;
}

/** What each changing route must record; a new changing route fails here until it is listed. */
const EXPECTED: Record<string, { action: string; target: (p: Record<string, string>, body: Record<string, unknown>, sent: Record<string, unknown>) => string | null }> = {
  'POST /tenants': { action: 'tenant.create', target: (_, __, sent) => String(sent.slug) },
  'PATCH /tenants/:slug': { action: 'tenant.rename', target: (p) => p.slug! },
  'DELETE /tenants/:slug': { action: 'tenant.delete', target: (p) => p.slug! },
  'POST /tenants/:slug/tokens': { action: 'token.create', target: (_, body) => String(body.id) },
  'POST /tenants/:slug/tokens/:id/rotate': { action: 'token.rotate', target: (p) => p.id! },
  'POST /tenants/:slug/setup-links': { action: 'setup_link.create', target: (_, body) => String(body.id) },
  'DELETE /tenants/:slug/tokens/:id': { action: 'token.revoke', target: (p) => p.id! },
  'DELETE /tenants/:slug/users/:id': { action: 'user.delete', target: (p) => p.id! },
  'PATCH /tenants/:slug/groups/:id': { action: 'group.update', target: (p) => p.id! },
  'DELETE /tenants/:slug/groups/:id': { action: 'group.delete', target: (p) => p.id! },
  'PATCH /tenants/:slug/connections/:id/team-sync': { action: 'connection.team_sync.configure', target: (p) => p.id! },
  'POST /tenants/:slug/connections/:id/team-sync/preview': { action: 'connection.team_sync.preview', target: (p) => p.id! },
  'POST /tenants/:slug/connections/:id/team-sync/enable': { action: 'connection.team_sync.enable', target: (p) => p.id! },
  'POST /tenants/:slug/connections/:id/team-sync/disable': { action: 'connection.team_sync.disable', target: (p) => p.id! },
  'POST /tenants/:slug/connections': { action: 'connection.create', target: (_, body) => String(body.id) },
  'PATCH /tenants/:slug/connections/:id': { action: 'connection.configure', target: (p) => p.id! },
  'POST /tenants/:slug/connections/:id/disconnect': { action: 'connection.disconnect', target: (p) => p.id! },
  'POST /tenants/:slug/connections/:id/preview': { action: 'connection.preview', target: (p) => p.id! },
  'POST /tenants/:slug/connections/:id/sync': { action: 'connection.sync', target: (p) => p.id! },
  'POST /tenants/:slug/runs/:id/approve': { action: 'run.approve', target: (p) => p.id! },
  'POST /tenants/:slug/runs/:id/reject': { action: 'run.reject', target: (p) => p.id! },
  'POST /tenants/:slug/users/:id/invite': { action: 'user.invite', target: (p) => p.id! },
  'POST /tenants/:slug/users/:id/accept': { action: 'user.accept', target: (p) => p.id! },
  // One entry for the whole request, its counts in the detail: no single target.
  'POST /tenants/:slug/candidates/invite': { action: 'user.invite', target: () => null },
  'POST /tenants/:slug/webhooks': { action: 'webhook.create', target: (_, body) => String(body.id) },
  'PATCH /tenants/:slug/webhooks/:id': { action: 'webhook.update', target: (p) => p.id! },
  'DELETE /tenants/:slug/webhooks/:id': { action: 'webhook.delete', target: (p) => p.id! },
  'POST /tenants/:slug/webhooks/:id/test': { action: 'webhook.test', target: (p) => p.id! },
  'POST /tenants/:slug/webhooks/:id/replay': { action: 'webhook.replay', target: (p) => p.id! },
  'POST /tenants/:slug/webhooks/:id/rotate-secret': { action: 'webhook.rotate_secret', target: (p) => p.id! },
  'POST /admin-tokens/revoke': { action: 'admin-token.revoke', target: (_, body) => String(body.jti) },
  'POST /tenants/:slug/schema/attributes': { action: 'schema.attribute.declare', target: (_, body) => String(body.name) },
  'DELETE /tenants/:slug/schema/attributes/:name': { action: 'schema.attribute.remove', target: (p) => p.name! },
  'PATCH /tenants/:slug/authority': { action: 'authority.update', target: (p) => p.slug! },
  'DELETE /tenants/:slug/authority': { action: 'authority.reset', target: (p) => p.slug! },
  'PUT /tenants/:slug/connections/:id/mapping': { action: 'connection.mapping.save', target: (p) => p.id! },
  'POST /tenants/:slug/connections/:id/mapping/preview': { action: 'connection.mapping.preview', target: (p) => p.id! },
};

const changing = adminRoutes.filter((r) => r.method !== 'get').map((route) => ({ name: routeKey(route), route }));

describe('every changing admin route leaves one audit row', () => {
  it.each(changing)('$name', async ({ route }) => {
    const expected = EXPECTED[routeKey(route)];
    expect(expected, `no expected audit entry for ${routeKey(route)}`).toBeDefined();
    // A tenant of its own per route: deleting it is harmless and its rows are easy to tell apart.
    const tenant = await createTenant(h.db.db, `aud-${randomUUID().slice(0, 8)}`);
    const role = route.access === 'operator' ? ({ role: 'operator' } as const) : ({ role: 'admin', tenant: tenant.slug } as const);
    const call = await fx.call(route, tenant.slug);
    const started = Date.now();
    const res = await send(h, route, call, await bearerFor(role, 'jane'));
    expect(call.success, res.text).toContain(res.status);
    expect([200, 201, 204]).toContain(res.status);
    const requestId = res.headers['x-request-id'];
    expect(requestId).toMatch(/^[\w.-]+$/);

    const found = await rows<AuditRow>(h.db.db, sql`select * from audit_log where request_id = ${requestId}`);
    expect(found).toHaveLength(1);
    const row = found[0]!;
    const sent = (call.body ?? {}) as Record<string, unknown>;
    const createdTenant = expected!.action === 'tenant.create' ? (await rows<{ id: string }>(h.db.db, sql`select id from tenants where slug = ${sent.slug}`))[0]!.id : undefined;
    expect(row).toMatchObject({
      actor: `${role.role}:jane`,
      action: expected!.action,
      target: expected!.target(call.params, res.body ?? {}, sent),
      // A deleted tenant's entry stands alone; a created one is named in its own entry.
      // A revoked admin token belongs to no tenant either.
      tenant_id: expected!.action === 'tenant.delete' || expected!.action === 'admin-token.revoke' ? null : (createdTenant ?? tenant.id),
    });
    const at = new Date(row.created_at).getTime();
    expect(at).toBeGreaterThanOrEqual(started - 2_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 2_000);
  });

  it('a change that fails is not recorded; a client request id is kept', async () => {
    const admin = await bearerFor({ role: 'admin', tenant: 'acme' });
    const token = await h.http.post('/admin/v1/tenants/acme/tokens').set('authorization', admin).set('x-request-id', 'client-req-1').send({ name: 'x' });
    expect(token.headers['x-request-id']).toBe('client-req-1');
    expect(await rows(h.db.db, sql`select 1 from audit_log where request_id = 'client-req-1' and action = 'token.create'`)).toHaveLength(1);
    await h.http.post(`/admin/v1/tenants/acme/tokens/${token.body.id}/rotate`).set('authorization', admin).send({});
    const again = await h.http.post(`/admin/v1/tenants/acme/tokens/${token.body.id}/rotate`).set('authorization', admin).set('x-request-id', 'client-req-2').send({});
    expect(again.status).toBe(409);
    expect(await rows(h.db.db, sql`select 1 from audit_log where request_id = 'client-req-2'`)).toEqual([]);
  });
});

describe('audit list', () => {
  it('filters by action and actor, pages newest first with before, and stays within the tenant', async () => {
    const operator = await bearerFor({ role: 'operator' }, 'pager-op');
    await h.http.post('/admin/v1/tenants').set('authorization', operator).send({ slug: 'pager' });
    const admin = await bearerFor({ role: 'admin', tenant: 'pager' }, 'pager-admin');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await h.http.post('/admin/v1/tenants/pager/tokens').set('authorization', admin).send({ name: `t${i}` })).body.id);
    await h.http.patch('/admin/v1/tenants/pager').set('authorization', admin).send({ name: 'Pager' });
    await h.http.post('/admin/v1/tenants/acme/tokens').set('authorization', await bearerFor({ role: 'admin', tenant: 'acme' })).send({ name: 'elsewhere' });

    const pages: { id: number; action: string; target: string }[][] = [];
    let before: number | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const res = await h.http
        .get('/admin/v1/tenants/pager/audit')
        .query({ action: 'token.create', limit: 2, ...(before ? { before } : {}) })
        .set('authorization', admin);
      expect(res.status).toBe(200);
      pages.push(res.body.items);
      before = res.body.nextBefore;
      if (!before) break;
      expect(before).toBe(res.body.items.at(-1).id);
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const items = pages.flat();
    expect(items.map((e) => e.action)).toEqual(Array(5).fill('token.create'));
    expect(items.map((e) => e.target)).toEqual([...created].reverse());
    expect(items.map((e) => e.id)).toEqual([...items.map((e) => e.id)].sort((a, b) => b - a));

    const renamed = await h.http.get('/admin/v1/tenants/pager/audit').query({ action: 'tenant.rename' }).set('authorization', admin);
    expect(renamed.body.items).toHaveLength(1);
    expect(renamed.body.items[0]).toMatchObject({ actor: 'admin:pager-admin', target: 'pager', detail: { to: 'Pager' } });
    const byActor = await h.http.get('/admin/v1/tenants/pager/audit').query({ actor: 'admin:pager-admin' }).set('authorization', admin);
    expect(byActor.body.items).toHaveLength(6);
    const everywhere = await h.http.get('/admin/v1/audit').query({ action: 'token.create', limit: 500 }).set('authorization', operator);
    expect(everywhere.body.items.some((e: { detail: { name: string } }) => e.detail.name === 'elsewhere')).toBe(true);
    expect(everywhere.body.items.length).toBeGreaterThan(5);
  });
});

describe('secrets never reach logs or the audit log', () => {
  it('a real server at LOG_LEVEL=trace issuing, rotating and using tokens with passwords logs none of them', { timeout: 120_000 }, async () => {
    const keyHex = randomBytes(32).toString('hex');
    const server = await startServerProcess({ env: { LOG_LEVEL: 'trace', ROLLCALL_SECRET_KEY: keyHex } });
    let stopped: Promise<unknown> | undefined;
    const stop = () => (stopped ??= server.stop());
    const secrets: string[] = [];
    const passwords = Array.from({ length: 6 }, (_, i) => `Pw${i}-${randomBytes(9).toString('base64url')}`);
    try {
      const jwt = await signAdminToken(Buffer.from(keyHex, 'hex'), { subject: 'ops', role: 'operator', ttlSeconds: 600 });
      secrets.push(jwt);
      const call = async (method: string, path: string, body?: unknown, bearer = jwt) => {
        const res = await fetch(`${server.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/scim+json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : {} };
      };
      expect((await call('POST', '/admin/v1/tenants', { slug: 'logs' })).status).toBe(201);
      const writer = (await call('POST', '/admin/v1/tenants/logs/tokens', { name: 'okta' })).body;
      const reader = (await call('POST', '/admin/v1/tenants/logs/tokens', { name: 'app', scopes: ['scim:read'] })).body;
      const rotated = (await call('POST', `/admin/v1/tenants/logs/tokens/${writer.id}/rotate`, { overlapSeconds: 60 })).body;
      secrets.push(writer.secret, reader.secret, rotated.secret);
      expect(secrets.every((s) => typeof s === 'string' && s.length > 20)).toBe(true);

      const user = (p: string, extra = {}) => ({ schemas: [USER_SCHEMA], userName: 'pat@logs.test', password: p, ...extra });
      const created = await call('POST', '/scim/v2/Users', user(passwords[0]!), rotated.secret);
      expect(created.status).toBe(201);
      expect((await call('PUT', `/scim/v2/Users/${created.body.id}`, user(passwords[1]!), writer.secret)).status).toBe(200);
      const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'password', value: passwords[2] }] };
      expect((await call('PATCH', `/scim/v2/Users/${created.body.id}`, patch, rotated.secret)).status).toBeLessThan(300);
      expect((await call('POST', '/scim/v2/Users', user(passwords[3]!), rotated.secret)).status).toBe(409);
      expect((await call('POST', '/scim/v2/Users', user(passwords[4]!, { active: 'perhaps' }), rotated.secret)).status).toBe(400);
      expect((await call('POST', '/scim/v2/Users', user(passwords[5]!, { userName: 'ro@logs.test' }), reader.secret)).status).toBe(403);
      await call('DELETE', `/admin/v1/tenants/logs/tokens/${reader.id}`);
      expect((await call('GET', '/scim/v2/Users', undefined, reader.secret)).status).toBe(401);
      expect((await call('GET', '/scim/v2/Users', undefined, server.token)).status).toBe(200);
      const audit = await fetch(`${server.baseUrl}/admin/v1/audit?limit=500`, { headers: { authorization: `Bearer ${jwt}` } }).then((r) => r.text());
      expect(audit).toContain('token.rotate');

      await stop();
      const logs = server.output();
      // The logs were really captured, at the verbose level, request by request.
      expect(logs).toContain('"path":"/scim/v2/Users"');
      expect(logs).toContain('"path":"/admin/v1/tenants/logs/tokens"');
      // The first-start token went to its 0600 file (stderr is no terminal here), never to the output.
      expect(server.token).toMatch(/^rc_scim_/);
      expect(logs).not.toContain(server.token);
      for (const secret of [...secrets, server.token.slice(14)]) {
        expect(logs.replace(server.token, ''), 'a token in the logs').not.toContain(secret.slice(14));
        expect(audit, 'a token in the audit log').not.toContain(secret.slice(14));
      }
      for (const password of passwords) {
        expect(logs, 'a password in the logs').not.toContain(password);
        expect(audit, 'a password in the audit log').not.toContain(password);
      }
    } finally {
      await stop();
    }
  });
});
