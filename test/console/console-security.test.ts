import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, syncConnection } from '../../src/connections/service.js';
import { createEndpoint } from '../../src/events/webhooks/endpoints.js';
import { createScimToken, listScimTokens } from '../../src/auth/scim-tokens.js';
import { rows } from '../../src/db/client.js';
import { ASSET_VERSION } from '../../src/console/layout.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { consoleClient } from '../support/console-client.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { TEST_SECRET_KEY } from '../support/keys.js';
import { bambooConnectionBody } from '../support/sync-fixture.js';

/** Setup links, sessions, the tenant wall, intents, CSRF and the page headers, over plain HTTP. */
describe('console sign-in and walls', () => {
  let server: ConsoleServer;
  const globex: Record<string, string> = {};
  beforeAll(async () => {
    server = await startConsoleServer();
    // Another tenant's things, whose ids an acme admin will try in URLs.
    const conn = await createConnection(server.connections, server.globex.id, bambooConnectionBody(server.fake));
    globex.connection = conn.id;
    globex.run = (await syncConnection(server.connections, server.globex.id, conn.id, { mode: 'preview' })).run.id;
    globex.token = (await createScimToken(server.db.db, server.globex.id, { name: 'globex idp' })).id;
    globex.webhook = (await createEndpoint(server.db.db, TEST_SECRET_KEY, server.globex.id, { url: 'http://127.0.0.1:9/hook' })).endpoint.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a setup link opens once: a second use is a clear page, not an error dump', async () => {
    const link = await server.setupLink('acme', { intent: 'hr' });
    const visitor = consoleClient(server.url);
    const shown = await visitor.get(new URL(link.url).pathname + new URL(link.url).search);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Continue');
    // Showing the page redeems nothing (link previews in chat apps fetch it too).
    expect((await visitor.get(new URL(link.url).pathname + new URL(link.url).search)).status).toBe(200);
    expect(await visitor.signIn(link.url)).toEqual({ status: 303, location: '/console/t/acme/hr' });
    const again = consoleClient(server.url);
    const second = await again.post('/console/setup', { token: new URL(link.url).searchParams.get('token')! }, { csrf: null });
    expect(second.status).toBe(410);
    expect(second.html).toContain('This link has been used');
    expect(second.headers.get('set-cookie')).toBeNull();
    const bogus = await again.post('/console/setup', { token: 'rc_link_nope' }, { csrf: null });
    expect(bogus.status).toBe(404);
    expect(bogus.html).toContain('This link is not valid');
  });

  it('a setup link expires: default 5 minutes, at most 24 hours, then a clear page', async () => {
    const link = await server.setupLink('acme');
    const lifetime = new Date(link.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(240_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);
    const tooLong = await server.adminFetch('/tenants/acme/setup-links', { method: 'POST', body: JSON.stringify({ lifetimeSeconds: 86_401 }) });
    expect(tooLong.status).toBe(400);
    const script = await server.adminFetch('/tenants/acme/setup-links', { method: 'POST', body: JSON.stringify({ returnUrl: 'javascript:alert(1)' }) });
    expect(script.status).toBe(400);
    await server.db.db.execute(sql`update console_links set expires_at = now() - interval '1 second' where id = ${link.id}`);
    const visitor = consoleClient(server.url);
    const page = await visitor.get(new URL(link.url).pathname + new URL(link.url).search);
    expect(page.status).toBe(410);
    expect(page.html).toContain('This link has expired');
    expect((await visitor.signIn(link.url)).status).toBe(410);
    // The secret is stored hashed only.
    const stored = await rows<{ secret_hash: string }>(server.db.db, sql`select secret_hash from console_links where id = ${link.id}`);
    expect(stored[0]!.secret_hash).not.toContain(new URL(link.url).searchParams.get('token')!);
    expect(stored[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a tenant admin's link cannot be made for, or reach, another tenant", async () => {
    const acmeAdmin = await bearerFor({ role: 'admin', tenant: 'acme' });
    const forGlobex = await fetch(`${server.url}/admin/v1/tenants/globex/setup-links`, { method: 'POST', headers: { authorization: acmeAdmin, 'content-type': 'application/json' }, body: '{}' });
    expect(forGlobex.status).toBe(403);
    const visitor = consoleClient(server.url);
    await visitor.signIn((await server.setupLink('acme')).url);
    expect((await visitor.get('/console/t/acme')).status).toBe(200);
    for (const path of ['/console/t/globex', '/console/t/globex/people', '/console/t/globex/idp', '/console/t/no-such-tenant']) {
      const res = await visitor.get(path);
      expect(res.status, path).toBe(404);
      expect(res.html).not.toContain('Globex');
    }
  });

  it("another tenant's id in any console URL is a 404, and nothing changes", async () => {
    const visitor = consoleClient(server.url);
    await visitor.signIn((await server.setupLink('acme')).url);
    await visitor.get('/console/t/acme');
    for (const path of [`/console/t/acme/hr/${globex.connection}`, `/console/t/acme/hr/${globex.connection}/setup`, `/console/t/acme/runs/${globex.run}`, `/console/t/acme/runs/${globex.run}/progress`, `/console/t/acme/webhooks/${globex.webhook}`, '/console/t/acme/runs/not-a-uuid']) {
      const res = await visitor.get(path);
      expect(res.status, path).toBe(404);
      expect(res.html).not.toContain(globex.connection);
    }
    for (const path of [`/console/t/acme/tokens/${globex.token}/revoke`, `/console/t/acme/hr/${globex.connection}/sync`, `/console/t/acme/webhooks/${globex.webhook}/delete`, `/console/t/acme/teams/${globex.connection}/disable`]) {
      const res = await visitor.post(path, {});
      expect(res.status, path).toBe(404);
    }
    const tokens = await listScimTokens(server.db.db, server.globex.id);
    expect(tokens.find((t) => t.id === globex.token)!.state).toBe('active');
  });

  it('a link for one intent does not open the others', async () => {
    const visitor = consoleClient(server.url);
    expect((await visitor.signIn((await server.setupLink('acme', { intent: 'idp' })).url)).location).toBe('/console/t/acme/idp');
    expect((await visitor.get('/console/t/acme/idp')).status).toBe(200);
    expect((await visitor.get('/console/t/acme/tokens')).status).toBe(200);
    for (const path of ['/console/t/acme/hr', '/console/t/acme/hr/new', '/console/t/acme/people', '/console/t/acme/teams', '/console/t/acme/webhooks', '/console/t/acme/audit', '/console/t/acme/feed']) {
      expect((await visitor.get(path)).status, path).toBe(404);
    }
    expect((await visitor.post('/console/t/acme/hr/new/bamboohr', {})).status).toBe(404);
  });

  it('every state change needs the CSRF token of its own session', async () => {
    const a = consoleClient(server.url);
    const b = consoleClient(server.url);
    await a.signIn((await server.setupLink('acme')).url);
    await b.signIn((await server.setupLink('acme')).url);
    await a.get('/console/t/acme/tokens');
    await b.get('/console/t/acme/tokens');
    expect(a.csrf).toBeDefined();
    expect(a.csrf).not.toBe(b.csrf);
    const count = async () => (await listScimTokens(server.db.db, server.acme.id)).filter((t) => t.name === 'csrf probe').length;
    const before = await count();
    expect((await a.post('/console/t/acme/tokens', { name: 'csrf probe' }, { csrf: null })).status).toBe(403);
    expect((await a.post('/console/t/acme/tokens', { name: 'csrf probe' }, { csrf: b.csrf! })).status).toBe(403);
    expect((await a.post('/console/sign-out', {}, { csrf: 'x' })).status).toBe(403);
    expect(await count()).toBe(before);
    const ok = await a.post('/console/t/acme/tokens', { name: 'csrf probe' });
    expect(ok.status).toBe(200);
    expect(await count()).toBe(before + 1);
    // The same check for htmx requests, which send it as a header.
    const viaHeader = await fetch(`${server.url}/console/t/acme/tokens`, { method: 'POST', headers: { cookie: a.cookie!, 'x-csrf-token': a.csrf!, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=csrf+probe' });
    expect(viaHeader.status).toBe(200);
  });

  it('pages carry a strict CSP and the session cookie is HttpOnly, SameSite=Lax, scoped to /console', async () => {
    const link = await server.setupLink('acme');
    const token = new URL(link.url).searchParams.get('token')!;
    const res = await fetch(`${server.url}/console/setup`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/console/);
    expect(cookie).not.toMatch(/Secure/i); // plain http on loopback; over https it is Secure (below)
    const page = await fetch(`${server.url}/console/t/acme`, { headers: { cookie: cookie.split(';')[0]! } });
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    // No inline script or style anywhere: every <script> has a src from this origin.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc="\/console\/static\/)/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
    const overHttps = await server.fetch(
      new Request('https://rollcall.test/console/setup', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${new URL((await server.setupLink('acme')).url).searchParams.get('token')}` }),
    );
    expect(overHttps.status).toBe(303);
    expect(overHttps.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const htmx = await fetch(`${server.url}/console/static/${ASSET_VERSION}/htmx.min.js`);
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain('htmx');
  });

  it('sign-out ends the session; an idle session ends by itself', async () => {
    const a = consoleClient(server.url);
    await a.signIn((await server.setupLink('acme')).url);
    await a.get('/console/t/acme');
    expect((await a.post('/console/sign-out', {})).status).toBe(200);
    expect((await a.get('/console/t/acme')).status).toBe(401);
    const b = consoleClient(server.url);
    await b.signIn((await server.setupLink('acme')).url);
    expect((await b.get('/console/t/acme')).status).toBe(200);
    await server.db.db.execute(sql`update console_sessions set last_seen_at = now() - interval '31 minutes'`);
    const idle = await b.get('/console/t/acme');
    expect(idle.status).toBe(401);
    expect(idle.html).toContain('not signed in');
  });

  it('an operator login link signs in to every tenant; it too works once', async () => {
    const { createConsoleLink } = await import('../../src/auth/console-links.js');
    const link = await createConsoleLink(server.db.db, { kind: 'operator', tenantId: null, intent: 'all', lifetimeSeconds: 300, createdBy: 'cli:test' });
    // A setup link's page does not take an operator link, nor the other way round.
    const wrongDoor = consoleClient(server.url);
    expect((await wrongDoor.post('/console/setup', { token: link.secret }, { csrf: null })).status).toBe(404);
    const op = consoleClient(server.url);
    expect(await op.signIn(`${server.url}/console/login?token=${link.secret}`)).toEqual({ status: 303, location: '/console' });
    const home = await op.get('/console');
    expect(home.html).toContain('Acme Corp');
    expect(home.html).toContain('Globex');
    expect((await op.get('/console/t/globex')).status).toBe(200);
    expect((await consoleClient(server.url).signIn(`${server.url}/console/login?token=${link.secret}`)).status).toBe(410);
  });
});
