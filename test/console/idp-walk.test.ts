import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, openBrowser, type Browser } from '../support/browser.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';

describe.runIf(browserAvailable)('console in a browser: connect an identity provider', () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await openBrowser('idp-walk');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('setup link → create token → the SCIM request (and a refused one) shows in the live list', async () => {
    const { page, screen } = browser;
    const link = await server.setupLink('acme', { intent: 'idp', returnUrl: 'https://spend.example.test/settings/directory' });
    await page.goto(link.url);
    await screen('setup-link');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/console/t/acme/idp`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connect an identity provider');
    expect(await page.getByRole('link', { name: 'Done' }).getAttribute('href')).toBe('https://spend.example.test/settings/directory');
    // The intent limits the navigation: no HR, no webhooks; who owns which field (and what the
    // identity provider said that another source owns) is part of connecting one.
    expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual(['Overview', 'Identity provider', 'Tokens', 'Source of authority', 'Conflicts', 'Your attributes']);
    expect(await page.locator('#scim-base').textContent()).toBe(`${server.url}/scim/v2`);
    await screen('idp');

    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.locator('#new-token').textContent())!.trim();
    expect(secret).toMatch(/^rc_scim_/);
    await screen('token-created');

    const ok = await fetch(`${server.url}/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    // A token of this tenant, revoked: its 401 is this tenant's to see.
    const revoked = await server.adminFetch('/tenants/acme/tokens', { method: 'POST', body: JSON.stringify({ name: 'old' }) }).then((r) => r.json() as Promise<{ id: string; secret: string }>);
    await server.adminFetch(`/tenants/acme/tokens/${revoked.id}`, { method: 'DELETE' });
    expect((await fetch(`${server.url}/scim/v2/Groups`, { headers: { authorization: `Bearer ${revoked.secret}` } })).status).toBe(401);

    // The list refreshes itself (htmx polling); no reload.
    await page.locator('#recent').getByText('/scim/v2/Users').waitFor({ timeout: 10_000 });
    await page.locator('#recent').getByText('401 (token refused)').waitFor({ timeout: 10_000 });
    const text = await page.locator('#recent').textContent();
    expect(text).toContain('GET');
    expect(text).not.toContain(secret);
    await screen('requests-live');

    // The secret is not shown again.
    await page.goto(`${server.url}/console/t/acme/idp`);
    expect(await page.content()).not.toContain(secret);
  });
});
