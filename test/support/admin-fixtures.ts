import { randomUUID } from 'node:crypto';
import type { AdminRoute } from '../../src/admin/route.js';
import { signAdminToken, type Role } from '../../src/auth/admin-jwt.js';
import { createScimToken } from '../../src/auth/scim-tokens.js';
import { inviteCandidate, listCandidates } from '../../src/connections/people.js';
import { createConnection, listConnections, syncConnection } from '../../src/connections/service.js';
import { disableTeamSync, enableTeamSync, getTeamSync } from '../../src/connections/team-sync.js';
import { declareTenantAttribute } from '../../src/directory/extension/attributes.js';
import { createEndpoint } from '../../src/events/webhooks/endpoints.js';
import { finishRun, startRun } from '../../src/sync/runs.js';
import { findTenant } from '../../src/tenants/tenants.js';
import type { FakeBambooHr } from '../fakes/bamboohr/server.js';
import { SCIM, TEST_SECRET_KEY, type Harness } from './harness.js';
import { bambooConnectionBody } from './sync-fixture.js';

/** Who calls the admin API in tests: a role, and the tenant it is bound to (none for operators). */
export interface Caller {
  label: string;
  role: Role;
  tenant?: string;
}

export const CALLERS: Caller[] = [
  { label: 'operator', role: 'operator' },
  { label: 'admin of acme', role: 'admin', tenant: 'acme' },
  { label: 'auditor of acme', role: 'auditor', tenant: 'acme' },
  { label: 'admin of globex', role: 'admin', tenant: 'globex' },
];

export const bearerFor = async (c: Pick<Caller, 'role' | 'tenant'>, subject = `${c.role}-${c.tenant ?? 'all'}`) =>
  `Bearer ${await signAdminToken(TEST_SECRET_KEY, { subject, role: c.role, ...(c.tenant ? { tenant: c.tenant } : {}), ttlSeconds: 600 })}`;

export const routeKey = (r: Pick<AdminRoute, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`;

/** One concrete request for a route: its parameters, body, query, and the statuses that mean success. */
export interface Call {
  params: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
  /** Undefined for a route without a fixture: then only "not 401/403" can be asserted. */
  success?: number[];
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/**
 * Fixtures per route, so each call is valid and succeeds when authorised. Destructive routes get a
 * fresh target each time (a token to rotate or revoke, a user to delete), so calls stay independent.
 * Connection routes need an HR system: a fake BambooHR the harness's connectors point at.
 */
/** Declares `name` (a string) in the tenant's own extension, straight in the store as the admin route does. */
async function createTenantAttribute(h: Harness, slug: string, name: string) {
  await declareTenantAttribute(h.db.db, (await findTenant(h.db.db, slug)).id, { name, type: 'string', multiValued: false, caseExact: false, description: '' });
}

export function adminFixtures(h: Harness, bamboo?: FakeBambooHr) {
  const scimTokens = new Map<string, string>();
  const tenantId = async (slug: string) => (await findTenant(h.db.db, slug)).id;
  const scimTokenOf = async (slug: string) => {
    if (!scimTokens.has(slug)) scimTokens.set(slug, (await createScimToken(h.db.db, await tenantId(slug), { name: 'fixture' })).secret);
    return scimTokens.get(slug)!;
  };
  const freshToken = async (slug: string) => (await createScimToken(h.db.db, await tenantId(slug), { name: 'fixture target' })).id;
  const freshUser = async (slug: string) => {
    const res = await h.http
      .post('/scim/v2/Users')
      .set('authorization', `Bearer ${await scimTokenOf(slug)}`)
      .set('content-type', SCIM)
      .send({ schemas: [USER_SCHEMA], userName: `u-${randomUUID()}@${slug}.test` });
    if (res.status !== 201) throw new Error(`fixture user: ${res.status} ${res.text}`);
    return res.body.id as string;
  };
  const freshGroup = async (slug: string) => {
    const res = await h.http
      .post('/scim/v2/Groups')
      .set('authorization', `Bearer ${await scimTokenOf(slug)}`)
      .set('content-type', SCIM)
      .send({ schemas: [GROUP_SCHEMA], displayName: `g-${randomUUID()}` });
    if (res.status !== 201) throw new Error(`fixture group: ${res.status} ${res.text}`);
    return res.body.id as string;
  };

  const fake = () => {
    if (!bamboo) throw new Error('connection fixtures need a fake BambooHR: adminFixtures(h, fake)');
    return bamboo;
  };
  const freshConnection = async (slug: string) => (await createConnection(h.connections, await tenantId(slug), bambooConnectionBody(fake()))).id;
  /** One connection per tenant for the routes that leave it usable (configure, preview, sync, reads). */
  const shared = new Map<string, string>();
  const sharedConnection = async (slug: string) => {
    if (!shared.has(slug)) shared.set(slug, await freshConnection(slug));
    return shared.get(slug)!;
  };
  /** A run of the shared connection in the given state, recorded as the sync engine records one. */
  const aRun = async (slug: string, state: 'succeeded' | 'held') => {
    const run = await startRun(h.db.db, { tenantId: await tenantId(slug), connectionId: await sharedConnection(slug), mode: 'apply', trigger: 'manual' });
    await finishRun(h.db.db, run.id, { state, ...(state === 'held' ? { held: { reason: 'fixture' } } : {}) });
    return run.id;
  };
  /** A candidate of the tenant; when none is left, the shared connection syncs, after a few hires if need be. */
  let hires = 0;
  const candidate = async (slug: string): Promise<string> => {
    const id = await tenantId(slug);
    for (let attempt = 0; attempt < 3; attempt++) {
      const [found] = await listCandidates(h.db.db, id, null, 1);
      if (found) return found.id;
      if (attempt > 0) for (let i = 0; i < 5; i++, hires++) fake().company.hire({ firstName: 'Fix', lastName: `Ture${hires}`, workEmail: `fixture.${hires}@acme.test` });
      await syncConnection(h.connections, id, await sharedConnection(slug), { mode: 'apply' });
    }
    throw new Error(`no candidate for ${slug}`);
  };
  /** A connection of its own that may turn team sync on: one per tenant may have it, so others stop first. */
  const readyForTeamSync = async (slug: string) => {
    const tenant = await tenantId(slug);
    for (const c of await listConnections(h.db.db, tenant)) {
      if (c.status !== 'disconnected' && (await getTeamSync(h.db.db, tenant, c.id)).enabled) await disableTeamSync(h.connections, tenant, c.id, { kind: 'admin', id: 'fixture' });
    }
    return freshConnection(slug);
  };
  /** A connection of its own with team sync on (enabling replaces the tenant's groups: never the shared one). */
  const withTeamSync = async (slug: string) => {
    const id = await readyForTeamSync(slug);
    await enableTeamSync(h.connections, await tenantId(slug), id, { confirm: true }, 'fixture', { kind: 'admin', id: 'fixture' });
    return id;
  };
  const invited = async (slug: string) => {
    const id = await candidate(slug);
    await inviteCandidate(h.db.db, await tenantId(slug), id, { kind: 'admin', id: 'fixture' });
    return id;
  };

  /** A webhook endpoint; the URL is a loopback port nothing listens on, so a test send fails at once. */
  const freshWebhook = async (slug: string) => (await createEndpoint(h.db.db, TEST_SECRET_KEY, await tenantId(slug), { url: 'http://127.0.0.1:9/hook' })).endpoint.id;
  const sharedWebhooks = new Map<string, string>();
  const sharedWebhook = async (slug: string) => {
    if (!sharedWebhooks.has(slug)) sharedWebhooks.set(slug, await freshWebhook(slug));
    return sharedWebhooks.get(slug)!;
  };

  /** An attribute of the tenant's own extension, declared through the admin API as an admin would. */
  let declared = 0;
  const freshAttribute = async (slug: string) => {
    const name = `fixture${++declared}`;
    await createTenantAttribute(h, slug, name);
    return name;
  };

  const table: Record<string, (slug: string) => Promise<Call>> = {
    'GET /me': async () => ({ params: {}, success: [200] }),
    'GET /tenants': async () => ({ params: {}, success: [200] }),
    'POST /tenants': async () => ({ params: {}, body: { slug: `t-${randomUUID().slice(0, 8)}`, name: 'Fixture' }, success: [201] }),
    'GET /tenants/:slug': async (slug) => ({ params: { slug }, success: [200] }),
    'PATCH /tenants/:slug': async (slug) => ({ params: { slug }, body: { name: `Renamed ${slug}` }, success: [200] }),
    // A tenant with users refuses deletion without force (409): authorised, yet nothing is lost.
    'DELETE /tenants/:slug': async (slug) => ({ params: { slug }, success: [204, 409] }),
    'GET /tenants/:slug/tokens': async (slug) => ({ params: { slug }, success: [200] }),
    'POST /tenants/:slug/tokens': async (slug) => ({ params: { slug }, body: { name: 'fixture', scopes: ['scim:read'] }, success: [201] }),
    'POST /tenants/:slug/tokens/:id/rotate': async (slug) => ({ params: { slug, id: await freshToken(slug) }, body: { overlapSeconds: 60 }, success: [201] }),
    'DELETE /tenants/:slug/tokens/:id': async (slug) => ({ params: { slug, id: await freshToken(slug) }, success: [204] }),
    'GET /tenants/:slug/users': async (slug) => ({ params: { slug }, query: { count: '1000' }, success: [200] }),
    'GET /tenants/:slug/groups': async (slug) => ({ params: { slug }, query: { count: '1000' }, success: [200] }),
    'PATCH /tenants/:slug/groups/:id': async (slug) => ({ params: { slug, id: await freshGroup(slug) }, body: { displayName: `r-${randomUUID()}` }, success: [200] }),
    'DELETE /tenants/:slug/groups/:id': async (slug) => ({ params: { slug, id: await freshGroup(slug) }, success: [204] }),
    'DELETE /tenants/:slug/users/:id': async (slug) => ({ params: { slug, id: await freshUser(slug) }, success: [204] }),
    'GET /tenants/:slug/audit': async (slug) => ({ params: { slug }, query: { limit: '500' }, success: [200] }),
    'GET /audit': async () => ({ params: {}, query: { limit: '500' }, success: [200] }),
    'POST /tenants/:slug/connections': async (slug) => ({ params: { slug }, body: bambooConnectionBody(fake()), success: [201] }),
    'GET /tenants/:slug/connections': async (slug) => ({ params: { slug }, success: [200] }),
    'GET /tenants/:slug/connections/:id': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, success: [200] }),
    'PATCH /tenants/:slug/connections/:id': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, body: { scheduleMinutes: 120 }, success: [200] }),
    'GET /tenants/:slug/connections/:id/values': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, success: [200] }),
    'POST /tenants/:slug/setup-links': async (slug) => ({ params: { slug }, body: { intent: 'hr', returnUrl: 'https://app.example.test/done' }, success: [201] }),
    'POST /tenants/:slug/connections/:id/disconnect': async (slug) => ({ params: { slug, id: await freshConnection(slug) }, body: { mode: 'clean' }, success: [200] }),
    'POST /tenants/:slug/connections/:id/preview': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, success: [200] }),
    'POST /tenants/:slug/connections/:id/sync': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, query: { wait: 'true' }, success: [200] }),
    'GET /tenants/:slug/connections/:id/runs': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, success: [200] }),
    'GET /tenants/:slug/runs/:id': async (slug) => ({ params: { slug, id: await aRun(slug, 'succeeded') }, query: { operations: 'true' }, success: [200] }),
    'POST /tenants/:slug/runs/:id/approve': async (slug) => ({ params: { slug, id: await aRun(slug, 'held') }, query: { wait: 'true' }, success: [200] }),
    'POST /tenants/:slug/runs/:id/reject': async (slug) => ({ params: { slug, id: await aRun(slug, 'held') }, success: [200] }),
    'GET /tenants/:slug/connections/:id/team-sync': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, success: [200] }),
    'PATCH /tenants/:slug/connections/:id/team-sync': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, body: { nameTemplate: "{manager}'s team" }, success: [200] }),
    'POST /tenants/:slug/connections/:id/team-sync/preview': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, body: {}, success: [200] }),
    'POST /tenants/:slug/connections/:id/team-sync/enable': async (slug) => ({ params: { slug, id: await readyForTeamSync(slug) }, body: { confirm: true }, success: [200] }),
    'POST /tenants/:slug/connections/:id/team-sync/disable': async (slug) => ({ params: { slug, id: await withTeamSync(slug) }, success: [200] }),
    'GET /tenants/:slug/candidates': async (slug) => ({ params: { slug }, query: { limit: '1000' }, success: [200] }),
    'GET /tenants/:slug/connections/:id/candidates': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, success: [200] }),
    'GET /tenants/:slug/people': async (slug) => ({ params: { slug }, query: { lifecycle: 'candidate', limit: '10' }, success: [200] }),
    'POST /tenants/:slug/candidates/invite': async (slug) => ({ params: { slug }, body: { ids: [await candidate(slug), randomUUID()] }, success: [200] }),
    'GET /tenants/:slug/runs/:id/operations': async (slug) => ({ params: { slug, id: await aRun(slug, 'succeeded') }, query: { limit: '10' }, success: [200] }),
    'POST /tenants/:slug/users/:id/invite': async (slug) => ({ params: { slug, id: await candidate(slug) }, success: [200] }),
    'POST /tenants/:slug/users/:id/accept': async (slug) => ({ params: { slug, id: await invited(slug) }, success: [200] }),
    'GET /tenants/:slug/events': async (slug) => ({ params: { slug }, query: { limit: '1000' }, success: [200] }),
    'GET /tenants/:slug/webhooks': async (slug) => ({ params: { slug }, success: [200] }),
    'POST /tenants/:slug/webhooks': async (slug) => ({ params: { slug }, body: { url: 'http://127.0.0.1:9/new', events: ['user.archived'] }, success: [201] }),
    'GET /tenants/:slug/webhooks/:id': async (slug) => ({ params: { slug, id: await sharedWebhook(slug) }, success: [200] }),
    'PATCH /tenants/:slug/webhooks/:id': async (slug) => ({ params: { slug, id: await sharedWebhook(slug) }, body: { description: 'fixture' }, success: [200] }),
    'DELETE /tenants/:slug/webhooks/:id': async (slug) => ({ params: { slug, id: await freshWebhook(slug) }, success: [204] }),
    'POST /tenants/:slug/webhooks/:id/test': async (slug) => ({ params: { slug, id: await sharedWebhook(slug) }, success: [200] }),
    'GET /tenants/:slug/webhooks/:id/deliveries': async (slug) => ({ params: { slug, id: await sharedWebhook(slug) }, success: [200] }),
    'POST /tenants/:slug/webhooks/:id/replay': async (slug) => ({ params: { slug, id: await sharedWebhook(slug) }, body: {}, success: [200] }),
    'POST /admin-tokens/revoke': async () => ({ params: {}, body: { jti: randomUUID() }, success: [200] }),
    'GET /tenants/:slug/schema/attributes': async (slug) => ({ params: { slug }, success: [200] }),
    'POST /tenants/:slug/schema/attributes': async (slug) => ({ params: { slug }, body: { name: `declared${++declared}`, type: 'string' }, success: [201] }),
    'DELETE /tenants/:slug/schema/attributes/:name': async (slug) => ({ params: { slug, name: await freshAttribute(slug) }, success: [204] }),
    'GET /tenants/:slug/authority': async (slug) => ({ params: { slug }, success: [200] }),
    'PATCH /tenants/:slug/authority': async (slug) => ({ params: { slug }, body: { policies: { scim: 'ignore' } }, success: [200] }),
    'DELETE /tenants/:slug/authority': async (slug) => ({ params: { slug }, success: [200] }),
    'GET /tenants/:slug/connections/:id/mapping': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, success: [200] }),
    'PUT /tenants/:slug/connections/:id/mapping': async (slug) => ({
      params: { slug, id: await sharedConnection(slug) },
      body: { attributes: [{ attribute: 'title', source: { kind: 'field', field: 'jobTitle' } }, { attribute: 'nickName', source: { kind: 'expression', expression: `"n-" & firstName` } }] },
      success: [200],
    }),
    'GET /tenants/:slug/connections/:id/mapping/versions': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, success: [200] }),
    'POST /tenants/:slug/connections/:id/mapping/preview': async (slug) => ({ params: { slug, id: await sharedConnection(slug) }, body: { sample: 2 }, success: [200] }),
    'GET /tenants/:slug/conflicts': async (slug) => ({ params: { slug }, success: [200] }),
    'GET /tenants/:slug/users/:id/conflicts': async (slug) => ({ params: { slug, id: await freshUser(slug) }, success: [200] }),
    'POST /tenants/:slug/webhooks/:id/rotate-secret': async (slug) => ({ params: { slug, id: await sharedWebhook(slug) }, body: { overlapSeconds: 60 }, success: [201] }),
  };

  return {
    scimTokenOf,
    freshUser,
    freshGroup,
    has: (r: AdminRoute) => routeKey(r) in table,
    /** A call for any route; a route added without a fixture still gets plausible parameters. */
    call: async (r: AdminRoute, slug: string): Promise<Call> => {
      const fixture = table[routeKey(r)];
      if (fixture) return fixture(slug);
      return { params: { ...(r.path.includes(':slug') ? { slug } : {}), ...(r.path.includes(':id') ? { id: randomUUID() } : {}) }, body: {} };
    },
  };
}

export const pathOf = (r: AdminRoute, params: Record<string, string>) =>
  `/admin/v1${r.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`))}`;

/** Sends a call over HTTP with the given Authorization header (or none). */
export function send(h: Harness, r: AdminRoute, call: Call, authorization?: string, requestId?: string) {
  let req = h.http[r.method](pathOf(r, call.params));
  if (authorization) req = req.set('authorization', authorization);
  if (requestId) req = req.set('x-request-id', requestId);
  if (call.query) req = req.query(call.query);
  return call.body === undefined ? req : req.set('content-type', 'application/json').send(call.body as object);
}
