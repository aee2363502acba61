import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, syncConnection, updateConnection } from '../../src/connections/service.js';
import { createEndpoint } from '../../src/events/webhooks/endpoints.js';
import { browserAvailable, openBrowser, type Browser } from '../support/browser.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { TEST_SECRET_KEY } from '../support/keys.js';
import { bambooConnectionBody } from '../support/sync-fixture.js';

/**
 * Every screen on a phone-sized window (360 px): photographed and axe-checked, with no CSP
 * violation reported by the browser; and a task done with the keyboard alone.
 */
describe.runIf(browserAvailable)('console screens at 360 px, keyboard only, under the CSP', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let connectionId: string;
  let runId: string;
  let webhookId: string;
  let personId: string;
  const violations: string[] = [];
  beforeAll(async () => {
    server = await startConsoleServer();
    const conn = await createConnection(server.connections, server.acme.id, bambooConnectionBody(server.fake));
    connectionId = conn.id;
    await updateConnection(server.connections, server.acme.id, conn.id, { onboarding: 'auto' });
    runId = (await syncConnection(server.connections, server.acme.id, conn.id, { mode: 'apply' })).run.id;
    personId = ((await (await server.adminFetch('/tenants/acme/users?count=1')).json()) as { items: { id: string }[] }).items[0]!.id;
    webhookId = (await createEndpoint(server.db.db, TEST_SECRET_KEY, server.acme.id, { url: 'http://127.0.0.1:9/hook?key=receiver-own-secret' })).endpoint.id;
    browser = await openBrowser('screens', { width: 360, height: 800 });
    browser.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('each screen passes axe at 360 px wide', { timeout: 120_000 }, async () => {
    const { page, screen } = browser;
    await page.goto((await server.setupLink('acme', { returnUrl: 'https://spend.example.test/' })).url);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/console/t/acme`);
    const base = `${server.url}/console/t/acme`;
    const screens: [string, string][] = [
      ['overview', ''],
      ['idp', '/idp'],
      ['tokens', '/tokens'],
      ['hr-systems', '/hr'],
      ['connect-pick', '/hr/new'],
      ['connect-bamboohr', '/hr/new/bamboohr'],
      ['connection', `/hr/${connectionId}`],
      ['run', `/runs/${runId}`],
      ['people', '/people'],
      ['people-filtered', '/people?lifecycle=active&search=a'],
      ['add-people', '/people/add'],
      ['teams', '/teams'],
      ['webhooks', '/webhooks'],
      ['deliveries', `/webhooks/${webhookId}`],
      ['audit', '/audit'],
      ['feed', '/feed'],
      ['authority', '/authority'],
      ['attributes', '/attributes'],
      ['conflicts', '/conflicts'],
      ['person', `/people/${personId}`],
      ['mapping', `/hr/${connectionId}/mapping`],
    ];
    for (const [name, path] of screens) {
      const res = await page.goto(`${base}${path}`);
      expect(res!.status(), path).toBe(200);
      await screen(name);
      // Nothing wider than the screen except inside scrollable tables.
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, `${name} overflows`).toBeLessThanOrEqual(0);
    }
    // A receiver's own key in its URL is never shown.
    await page.goto(`${base}/webhooks`);
    expect(await page.content()).not.toContain('receiver-own-secret');
    // The people list shows the HR source and pages.
    await page.goto(`${base}/people`);
    expect(await page.locator('main').textContent()).toContain('Added via BambooHR');
    expect(violations).toEqual([]);
  });

  it('the CSP holds in the browser: an injected inline script does not run', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console/t/acme/tokens`);
    const ran = await page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.body.append(s); return window.__injected ?? null; })()`);
    expect(ran).toBeNull();
    expect(violations.some((v) => /script/i.test(v))).toBe(true);
  });

  it('a token is created with the keyboard alone', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/console/t/acme/tokens`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate('document.activeElement.id')) === 'name';
    }
    expect(reached).toBe(true);
    await page.keyboard.type('keyboard token');
    await page.keyboard.press('Enter');
    await page.locator('#new-token').waitFor();
    expect(await page.locator('main').textContent()).toContain('keyboard token');
  });
});
