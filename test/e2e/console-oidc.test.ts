import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listenOidcProvider, ROLE_CLAIM, type ListeningOidcProvider } from '../support/oidc-provider.js';
import { CookieJar, visit, walkToCallback } from '../support/oidc-walk.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * The server as operators run it, configured by environment alone (ADMIN_JWT_* plus CONSOLE_OIDC_*,
 * loopback allowed through EGRESS_ALLOWED), signing in against a provider in this process.
 */
describe('console sign-in with OpenID Connect, server process', () => {
  let idp: ListeningOidcProvider;
  let server: ServerProcess;
  beforeAll(async () => {
    idp = await listenOidcProvider({ accounts: { olga: { [ROLE_CLAIM]: 'operator' }, nobody: {} } });
    server = await startServerProcess({
      env: {
        ADMIN_JWT_ISSUER: idp.issuer,
        ADMIN_JWT_AUDIENCE: 'rollcall-admin-api',
        ADMIN_JWKS_URL: `${idp.issuer}/jwks`,
        CONSOLE_OIDC_CLIENT_ID: idp.clientId,
        CONSOLE_OIDC_CLIENT_SECRET: idp.clientSecret,
        CONSOLE_OIDC_NAME: 'Test IdP',
        SYNC_POLL_SECONDS: '0',
        WEBHOOK_POLL_SECONDS: '0',
      },
    });
    idp.serve([`${server.baseUrl}/console/auth/callback`]);
  });
  afterAll(async () => {
    await server?.stop();
    await idp?.close();
  });

  it('the button, then an operator session', async () => {
    const page = await (await visit(`${server.baseUrl}/console`, new CookieJar())).text();
    expect(page).toContain('Sign in with Test IdP');
    const walk = await walkToCallback(server.baseUrl, 'olga');
    const done = await visit(walk.callback, walk.rollcall);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/console');
    const home = await visit(`${server.baseUrl}/console`, walk.rollcall);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('/console/t/default');
  });

  it('a refusal is logged with its reason, and no secret is', async () => {
    const walk = await walkToCallback(server.baseUrl, 'nobody');
    const done = await visit(walk.callback, walk.rollcall);
    expect(done.status).toBe(403);
    // The log line reaches the pipe in its own time.
    await vi.waitFor(() => expect(server.output()).toContain('console sign-in refused'), { timeout: 10_000, interval: 100 });
    const output = server.output();
    expect(output).toMatch(/"reason":"no_role","detail":"rollcall_role".*"msg":"console sign-in refused"/);
    expect(output).not.toContain(idp.clientSecret);
    expect(output).not.toContain(walk.callback.searchParams.get('code')!);
  });
});
