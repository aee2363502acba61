import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthGuard } from '../../src/auth/auth-failures.js';
import { createConsoleOidc, OidcSignInError } from '../../src/auth/console-oidc.js';
import { createEgress } from '../../src/egress/index.js';
import { createLogger } from '../../src/log.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { testEgress } from '../support/egress.js';
import { ROLE_CLAIM, startOidcProvider, TENANT_CLAIM, type TestOidcProvider } from '../support/oidc-provider.js';
import { CookieJar, visit, walkToCallback } from '../support/oidc-walk.js';

/**
 * Console sign-in against a real OpenID provider on loopback, over plain HTTP: who gets which
 * session, and every way a callback can be wrong (each a clear page, no session, counted).
 * Each test comes from its own client address (X-Forwarded-For behind a trusted proxy), so the
 * failed-authentication limit of one does not spill into another.
 */
describe('console sign-in with OpenID Connect', () => {
  let server: ConsoleServer;
  let idp: TestOidcProvider;
  let address = 10;
  const nextClient = () => `198.51.100.${address++}`;
  const logLines: string[] = [];
  const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));
  /** The reason and detail of the last refusal logged. */
  const lastRefusal = () => {
    const line = logLines.map((l) => JSON.parse(l) as { msg: string; reason?: string; detail?: string }).filter((l) => l.msg === 'console sign-in refused').at(-1);
    return line && { reason: line.reason, detail: line.detail };
  };

  beforeAll(async () => {
    server = await startConsoleServer({
      log,
      trustProxy: true,
      authGuard: createAuthGuard({ maxFailures: 3, windowMs: 600_000 }),
      oidc: async (url) => {
        idp = await startOidcProvider({
          redirectUris: [`${url}/console/auth/callback`],
          accounts: {
            olga: { [ROLE_CLAIM]: 'operator', email: 'olga@corp.example' },
            alice: { [ROLE_CLAIM]: 'admin', [TENANT_CLAIM]: 'acme', email: 'alice@acme.example' },
            audrey: { [ROLE_CLAIM]: ['auditor'], [TENANT_CLAIM]: 'acme' },
            nobody: { email: 'nobody@corp.example' },
            guest: { [ROLE_CLAIM]: 'guest', [TENANT_CLAIM]: 'acme' },
            orphan: { [ROLE_CLAIM]: 'admin' },
            initech: { [ROLE_CLAIM]: 'admin', [TENANT_CLAIM]: 'initech' },
          },
        });
        return createConsoleOidc({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, roleClaim: ROLE_CLAIM, tenantClaim: TENANT_CLAIM, fetch: testEgress.fetch, name: 'Test IdP' });
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });
  afterAll(() => {
    // Nothing a sign-in carries reaches the log: no code, token, state, nonce or client secret.
    const all = logLines.join('\n');
    expect(all).not.toContain(idp.clientSecret);
    expect(all).not.toMatch(/eyJ[\w-]{10,}/);
    expect(all).not.toMatch(/code=|state=|nonce=/);
    expect(logLines.length).toBeGreaterThan(0);
  });

  /** Opens the callback as the browser would; the answer and Rollcall's jar afterwards. */
  const finish = async (callback: URL, jar: CookieJar, client: string) => {
    const res = await visit(callback, jar, { client });
    return { status: res.status, location: res.headers.get('location'), html: await res.text(), setCookie: res.headers.getSetCookie() };
  };
  const title = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
  const noSession = (setCookie: string[]) => expect(setCookie.filter((c) => c.startsWith('rollcall_console='))).toEqual([]);

  it('the signed-out page offers "Sign in with Test IdP"', async () => {
    const res = await visit(`${server.url}/console`, new CookieJar());
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<a class="button" href="/console/auth/start">Sign in with Test IdP</a>');
  });

  it('start: PKCE S256, state and nonce, the registered redirect URI, and a sealed HttpOnly cookie for the callback path', async () => {
    const jar = new CookieJar();
    const res = await visit(`${server.url}/console/auth/start`, jar, { client: nextClient() });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(idp.issuer);
    const q = to.searchParams;
    expect(Object.fromEntries([...q].filter(([k]) => ['response_type', 'client_id', 'redirect_uri', 'scope', 'code_challenge_method'].includes(k)))).toEqual({
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: `${server.url}/console/auth/callback`,
      scope: 'openid profile email',
      code_challenge_method: 'S256',
    });
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(q.get('nonce')!.length).toBeGreaterThanOrEqual(32);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('rollcall_oidc='))!;
    expect(cookie).toMatch(/Path=\/console\/auth/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=600/);
    // Sealed: neither the state, the nonce nor the verifier can be read from it.
    expect(cookie).not.toContain(q.get('state')!);
    expect(cookie).not.toContain(q.get('nonce')!);
  });

  it('an operator gets an operator session: every tenant', async () => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, 'olga', { client });
    expect(walk.callback.pathname).toBe('/console/auth/callback');
    const done = await finish(walk.callback, walk.rollcall, client);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/console');
    const session = done.setCookie.find((c) => c.startsWith('rollcall_console='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\/console/);
    expect(session).not.toMatch(/Secure/); // plain http here; the https case is below
    // The pending sign-in is used up.
    expect(walk.rollcall.cookies.has('rollcall_oidc')).toBe(false);
    const home = await visit(`${server.url}/console`, walk.rollcall);
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(html).toContain('/console/t/acme');
    expect(html).toContain('/console/t/globex');
    expect(html).toContain('Operator');
  });

  it("a tenant's admin lands on that tenant only; another tenant's URL is 404", async () => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, 'alice', { client });
    const done = await finish(walk.callback, walk.rollcall, client);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/console/t/acme');
    expect((await visit(`${server.url}/console/t/acme`, walk.rollcall)).status).toBe(200);
    expect((await visit(`${server.url}/console/t/globex`, walk.rollcall)).status).toBe(404);
    expect((await visit(`${server.url}/console/t/globex/hr`, walk.rollcall)).status).toBe(404);
    // A change made in this session is audited under the provider's id for the person.
    const tokensPage = await (await visit(`${server.url}/console/t/acme/tokens`, walk.rollcall)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(tokensPage)![1]!;
    const created = await visit(`${server.url}/console/t/acme/tokens`, walk.rollcall, { form: { name: 'made after OIDC sign-in', scope: 'scim:write', _csrf: csrf } });
    expect(created.status).toBe(200);
    expect(await created.text()).toContain('made after OIDC sign-in');
    const audit = (await (await server.adminFetch('/tenants/acme/audit?actor=admin:oidc:alice')).json()) as { items: { action: string }[] };
    expect(audit.items.length).toBeGreaterThan(0);
  });

  it('an auditor (role given as a one-element array, as Entra sends app roles) gets a read-only session of the tenant', async () => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, 'audrey', { client });
    const done = await finish(walk.callback, walk.rollcall, client);
    expect(done.location).toBe('/console/t/acme');
    const page = await (await visit(`${server.url}/console/t/acme`, walk.rollcall)).text();
    expect(page).toContain('Auditor');
  });

  it.each([
    ['nobody', 'no role claim'],
    ['guest', 'a role Rollcall does not know'],
    ['orphan', 'admin without a tenant claim'],
    ['initech', 'a tenant this Rollcall does not serve'],
  ])('%s (%s): "Not allowed", no session', async (account) => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, account, { client });
    const done = await finish(walk.callback, walk.rollcall, client);
    expect(done.status).toBe(403);
    expect(title(done.html)).toBe('Not allowed');
    expect(done.html).toContain('Sign in with Test IdP');
    noSession(done.setCookie);
  });

  it('the provider says access_denied (the person pressed Cancel): a clear page, no session', async () => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, 'alice', { client, cancel: true });
    expect(walk.callback.searchParams.get('error')).toBe('access_denied');
    const done = await finish(walk.callback, walk.rollcall, client);
    expect(done.status).toBe(401);
    expect(title(done.html)).toBe('Sign-in was not completed');
    expect(done.html).toContain('access_denied');
    // The provider's own description is its text, not ours to show.
    expect(done.html).not.toContain('cancelled the sign-in');
    noSession(done.setCookie);
  });

  it("state mismatch: a code meant for another browser's sign-in is refused before it is redeemed", async () => {
    const client = nextClient();
    // The attacker's own sign-in, stopped at the callback...
    const theirs = await walkToCallback(server.url, 'olga', { client: nextClient() });
    // ...delivered to a victim who has started a sign-in of their own.
    const victim = await walkToCallback(server.url, 'alice', { client });
    const done = await finish(theirs.callback, victim.rollcall, client);
    expect(done.status).toBe(400);
    expect(title(done.html)).toBe('This sign-in does not match');
    expect(lastRefusal()).toEqual({ reason: 'state_mismatch' });
    noSession(done.setCookie);
    // Not redeemed: the attacker's code still works in the browser it belongs to.
    const ok = await finish(theirs.callback, theirs.rollcall, nextClient());
    expect(ok.status).toBe(303);
  });

  it('missing PKCE verifier: a callback without the pending sign-in is refused, and the code alone is worth nothing at the provider', async () => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, 'olga', { client });
    const done = await finish(walk.callback, new CookieJar(), client);
    expect(done.status).toBe(400);
    expect(title(done.html)).toBe('This sign-in has expired');
    noSession(done.setCookie);
    // The code was bound to Rollcall's S256 challenge: redeemed without the verifier, the provider refuses it.
    const token = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${idp.clientId}:${idp.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: walk.callback.searchParams.get('code')!, redirect_uri: `${server.url}/console/auth/callback` }),
    });
    expect(token.status).toBe(400);
    expect(((await token.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('a replayed code: the provider refuses it the second time, and the page says so', async () => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, 'olga', { client });
    const copy = walk.rollcall.clone(); // what an attacker who copied the cookie and the URL holds
    expect((await finish(walk.callback, walk.rollcall, client)).status).toBe(303);
    const again = await finish(walk.callback, copy, client);
    expect(again.status).toBe(401);
    expect(title(again.html)).toBe('The sign-in code was refused');
    expect(lastRefusal()).toEqual({ reason: 'code_refused', detail: 'invalid_grant' });
    noSession(again.setCookie);
    // And the same URL in the same browser: the pending sign-in is gone.
    const same = await finish(walk.callback, walk.rollcall, nextClient());
    expect(same.status).toBe(400);
  });

  it('nonce mismatch: an ID token minted for another request is refused', async () => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, 'olga', { client, changeRequest: (url) => url.searchParams.set('nonce', 'a-nonce-this-browser-never-made') });
    const done = await finish(walk.callback, walk.rollcall, client);
    expect(done.status).toBe(401);
    expect(title(done.html)).toBe('The sign-in could not be verified');
    expect(lastRefusal()).toEqual({ reason: 'id_token_invalid', detail: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED nonce' });
    noSession(done.setCookie);
  });

  describe('ID tokens that must not pass (the provider answers with a changed one)', () => {
    afterAll(() => idp.tamperIdTokens(undefined));
    it.each([
      ['wrong audience', { claims: (c: Record<string, unknown>) => ({ ...c, aud: 'another-app' }) }, 'OAUTH_JWT_CLAIM_COMPARISON_FAILED aud'],
      ['an audience list without Rollcall', { claims: (c: Record<string, unknown>) => ({ ...c, aud: ['another-app', 'a-third-app'] }) }, 'OAUTH_JWT_CLAIM_COMPARISON_FAILED aud'],
      ['wrong issuer', { claims: (c: Record<string, unknown>) => ({ ...c, iss: 'https://evil.example' }) }, 'OAUTH_JWT_CLAIM_COMPARISON_FAILED iss'],
      [
        'expired',
        { claims: (c: Record<string, unknown>) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }) },
        'OAUTH_JWT_TIMESTAMP_CHECK_FAILED exp',
      ],
      ['signed by a stranger', { foreignKey: true }, 'OAUTH_INVALID_RESPONSE JWT signature verification failed'],
      [
        'the operator role added after signing',
        { claims: (c: Record<string, unknown>) => ({ ...c, [ROLE_CLAIM]: 'operator' }), foreignKey: true },
        'OAUTH_INVALID_RESPONSE JWT signature verification failed',
      ],
    ])('%s → "could not be verified", no session', async (_name, change, logged) => {
      idp.tamperIdTokens(change);
      const client = nextClient();
      const walk = await walkToCallback(server.url, 'alice', { client });
      const done = await finish(walk.callback, walk.rollcall, client);
      expect(done.status).toBe(401);
      expect(title(done.html)).toBe('The sign-in could not be verified');
      expect(lastRefusal()).toEqual({ reason: 'id_token_invalid', detail: logged });
      expect(done.html).not.toMatch(/at \w+ \(|node_modules|eyJ/); // no stack, no token
      noSession(done.setCookie);
    });
  });

  it('refused callbacks count as failed authentications: past the limit even a good one is 429', async () => {
    const client = nextClient();
    for (let i = 0; i < 3; i++) {
      const walk = await walkToCallback(server.url, 'nobody', { client });
      expect((await finish(walk.callback, walk.rollcall, client)).status).toBe(403);
    }
    const good = await walkToCallback(server.url, 'olga', { client });
    const res = await visit(good.callback, good.rollcall, { client });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(title(await res.text())).toBe('Too many failed sign-ins');
    noSession(res.headers.getSetCookie());
    // Another address is not held back.
    const other = nextClient();
    const fine = await walkToCallback(server.url, 'olga', { client: other });
    expect((await finish(fine.callback, fine.rollcall, other)).status).toBe(303);
  });

  it('over https the session cookie is Secure', async () => {
    const client = nextClient();
    const walk = await walkToCallback(server.url, 'olga', { client });
    // The same callback as seen behind a TLS-terminating proxy: the app's URL is https.
    const callback = new URL(walk.callback);
    callback.protocol = 'https:';
    const res = await server.fetch(new Request(callback, { headers: { ...walk.rollcall.header(), 'x-forwarded-for': client } }));
    // The pending sign-in was made for the http redirect URI, so this is the same sign-in finished over https.
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('rollcall_console='))).toMatch(/Secure/);
  });

  it("discovery goes through the egress policy: with loopback not allowed, the provider is never asked", async () => {
    const strict = createConsoleOidc({ issuer: idp.issuer, clientId: idp.clientId, roleClaim: ROLE_CLAIM, tenantClaim: TENANT_CLAIM, fetch: createEgress().fetch });
    const error = await strict.start(`${server.url}/console/auth/callback`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).reason).toBe('unreachable');
    expect((error as OidcSignInError).detail).toBe('discovery: egress refused');
  });
});
