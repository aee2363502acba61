import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleOidc } from '../../src/auth/console-oidc.js';
import { browserAvailable, openBrowser, type Browser } from '../support/browser.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { testEgress } from '../support/egress.js';
import { ROLE_CLAIM, startOidcProvider, TENANT_CLAIM, type TestOidcProvider } from '../support/oidc-provider.js';

/** The whole sign-in in Chromium: Rollcall's page, the provider's login page, back with a session. */
describe.runIf(browserAvailable)('console in a browser: sign in with the identity provider', () => {
  let server: ConsoleServer;
  let idp: TestOidcProvider;
  let browser: Browser;
  const cspViolations: string[] = [];
  beforeAll(async () => {
    server = await startConsoleServer({
      oidc: async (url) => {
        idp = await startOidcProvider({
          redirectUris: [`${url}/console/auth/callback`],
          accounts: { olga: { [ROLE_CLAIM]: 'operator' }, alice: { [ROLE_CLAIM]: 'admin', [TENANT_CLAIM]: 'acme' }, nobody: { email: 'nobody@corp.example' } },
        });
        return createConsoleOidc({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, roleClaim: ROLE_CLAIM, tenantClaim: TENANT_CLAIM, fetch: testEgress.fetch, name: 'Okta' });
      },
    });
    browser = await openBrowser('oidc-walk');
    browser.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  });

  const signIn = async (account: string) => {
    const { page } = browser;
    await page.goto(`${server.url}/console`);
    await page.getByRole('link', { name: 'Sign in with Okta' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.getByLabel('Account').fill(account);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('an operator signs in and sees every tenant', { timeout: 60_000 }, async () => {
    const { page, screen } = browser;
    await page.goto(`${server.url}/console`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Rollcall console');
    await screen('sign-in');
    await signIn('olga');
    await page.waitForURL(`${server.url}/console`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tenants');
    expect(await page.locator('main').getByRole('link').allTextContents()).toEqual(['Acme Corp', 'Globex']);
    const cookie = (await browser.context.cookies(`${server.url}/console`)).find((c) => c.name === 'rollcall_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' });
    // The pending sign-in is gone once used.
    expect((await browser.context.cookies(`${server.url}/console/auth/callback`)).some((c) => c.name === 'rollcall_oidc')).toBe(false);
    await screen('operator-tenants');
  });

  it("a tenant's admin lands on their tenant only; another tenant's URL is 404", { timeout: 60_000 }, async () => {
    const { page } = browser;
    // A fresh browser as far as both sites know: no Rollcall session, no session at the provider.
    await browser.context.clearCookies();
    await signIn('alice');
    await page.waitForURL(`${server.url}/console/t/acme`);
    expect(await page.locator('header').textContent()).toContain('Acme Corp');
    const other = await page.goto(`${server.url}/console/t/globex`);
    expect(other!.status()).toBe(404);
    const list = await page.goto(`${server.url}/console`);
    expect(list!.url()).toBe(`${server.url}/console/t/acme`);
  });

  it('an account without a Rollcall role sees "Not allowed" and gets no session', { timeout: 60_000 }, async () => {
    const { page, screen } = browser;
    await browser.context.clearCookies();
    await signIn('nobody');
    await page.waitForURL(`${server.url}/console/auth/callback?**`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not allowed');
    await screen('not-allowed');
    expect((await browser.context.cookies(`${server.url}/console`)).some((c) => c.name === 'rollcall_console')).toBe(false);
    expect(cspViolations).toEqual([]);
  });
});
