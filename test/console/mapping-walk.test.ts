import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSession } from '../../src/auth/console-sessions.js';
import { createConnection } from '../../src/connections/service.js';
import { browserAvailable, openBrowser, type Browser } from '../support/browser.js';
import { consoleClient } from '../support/console-client.js';
import { tabReach } from '../support/keyboard.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { bambooConnectionBody } from '../support/sync-fixture.js';

const TIMES = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

/**
 * An HR connection's attribute mapping in the console: the default shown, an edit previewed
 * against people read from the fake BambooHR (nothing saved), a refusal shown next to the form,
 * then saved as a version. An auditor reads it without a form; another tenant sees nothing.
 */
describe.runIf(browserAvailable)('console in a browser: attribute mapping', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let connectionId: string;
  beforeAll(async () => {
    server = await startConsoleServer();
    connectionId = (await createConnection(server.connections, server.acme.id, bambooConnectionBody(server.fake))).id;
    browser = await openBrowser('mapping-walk');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const versions = async () => ((await (await server.adminFetch(`/tenants/acme/connections/${connectionId}/mapping/versions`)).json()) as { items: { version: number }[] }).items;
  const titleRow = async (page: Browser['page']) => {
    const inputs = page.locator('input[name$=".attribute"]');
    for (let i = 0; i < (await inputs.count()); i++) if ((await inputs.nth(i).inputValue()) === 'title') return i;
    throw new Error('no title row');
  };

  it('default → edit → preview against BambooHR → refusal → save as version 1', { timeout: 120_000 }, async () => {
    const { page, screen } = browser;
    await page.goto((await server.setupLink('acme', { intent: 'hr' })).url);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/console/t/acme/hr`);
    await page.goto(`${server.url}/console/t/acme/hr/${connectionId}`);
    await page.getByRole('link', { name: 'Attribute mapping' }).click();
    await page.getByRole('heading', { name: 'The default mapping for BambooHR' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('None saved');
    await screen('mapping-default');

    // Title becomes an expression over the employee; the preview reads real people and saves nothing.
    const row = await titleRow(page);
    await page.getByLabel(`Source kind ${row + 1}`, { exact: true }).selectOption('expression');
    await page.getByLabel(`Source ${row + 1}`, { exact: true }).fill('$uppercase(jobTitle)');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Preview' }).waitFor();
    const table = page.locator('section[aria-labelledby="preview-title"] table');
    const headers = await table.locator('th').allTextContents();
    expect(headers[0]).toBe('Person');
    const titleColumn = headers.indexOf('title') + 1;
    expect(titleColumn).toBeGreaterThan(1);
    const titles = await table.locator(`tbody tr td:nth-child(${titleColumn})`).allTextContents();
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.some((t) => /[A-Z]{3,}/.test(t) && t === t.toUpperCase())).toBe(true);
    expect(await versions()).toEqual([]);
    // The form keeps the edit.
    expect(await page.getByLabel(`Source ${row + 1}`, { exact: true }).inputValue()).toBe('$uppercase(jobTitle)');
    await screen('mapping-preview');

    // An unknown attribute and a broken expression: the service's words next to the form, the draft kept, nothing saved.
    const blank = await page.locator('input[name$=".attribute"]').evaluateAll((xs) => xs.findIndex((x) => (x as unknown as { value: string }).value === ''));
    await page.locator(`input[name="m.${blank}.attribute"]`).fill('nosuchAttribute');
    await page.locator(`input[name="m.${blank}.text"]`).fill('jobTitle');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('nosuchAttribute');
    expect(await page.locator('input[name$=".attribute"]').evaluateAll((xs) => xs.map((x) => (x as unknown as { value: string }).value))).toContain('nosuchAttribute');
    const bad = await page.locator('input[name$=".attribute"]').evaluateAll((xs) => xs.findIndex((x) => (x as unknown as { value: string }).value === 'nosuchAttribute'));
    await page.locator(`input[name="m.${bad}.attribute"]`).fill('');
    await page.getByLabel(`Source ${row + 1}`, { exact: true }).fill('$uppercase(');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/title.*expression/i);
    expect(await versions()).toEqual([]);

    await page.getByLabel(`Source ${row + 1}`, { exact: true }).fill('$uppercase(jobTitle)');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Save this mapping' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Saved as version 1');
    expect((await versions()).map((v) => v.version)).toEqual([1]);
    expect(await page.locator('main').textContent()).toContain('Version 1 (in force)');
    await screen('mapping-saved');
    const saved = (await (await server.adminFetch(`/tenants/acme/connections/${connectionId}/mapping`)).json()) as { mapping: { attributes: { attribute: string; source: Record<string, string> }[] } };
    expect(saved.mapping.attributes.find((a) => a.attribute === 'title')!.source).toEqual({ kind: 'expression', expression: '$uppercase(jobTitle)' });

    // Every row, link and button of the page is reached with Tab.
    const keyboard = await tabReach(page);
    expect(keyboard.reached).toBe(keyboard.controls);

    // Saving the same mapping again is no new version.
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Save this mapping' }).click();
    expect(await page.getByRole('status').textContent()).toContain('No change');
    expect((await versions()).map((v) => v.version)).toEqual([1]);
  });

  it('an auditor reads the mapping and its versions and cannot save one', { timeout: 60_000 }, async () => {
    const { secret } = await createConsoleSession(server.db.db, { role: 'auditor', subject: 'oidc:audrey', tenantId: server.acme.id, intent: 'all', returnUrl: null }, TIMES);
    const auditor = await openBrowser('mapping-auditor');
    try {
      await auditor.context.addCookies([{ name: 'rollcall_console', value: secret, domain: '127.0.0.1', path: '/console' }]);
      expect((await auditor.page.goto(`${server.url}/console/t/acme/hr/${connectionId}/mapping?version=1`))!.status()).toBe(200);
      await auditor.screen('mapping-read-only');
      expect(await auditor.page.locator('main form[method="post"]').count()).toBe(0);
      expect(await auditor.page.locator('main').textContent()).toContain('$uppercase(jobTitle)');
    } finally {
      await auditor.close();
    }
    const client = consoleClient(server.url);
    client.cookie = `rollcall_console=${secret}`;
    await client.get(`/console/t/acme/hr/${connectionId}/mapping`);
    const res = await client.post(`/console/t/acme/hr/${connectionId}/mapping/save`, { mapping: JSON.stringify({ attributes: [] }) });
    expect(res.status).toBe(403);
    expect((await versions()).map((v) => v.version)).toEqual([1]);
  });

  it("another tenant's admin gets a 404 for the mapping, by either slug", async () => {
    const globex = consoleClient(server.url);
    await globex.signIn((await server.setupLink('globex', { intent: 'all' })).url);
    for (const path of [`/console/t/acme/hr/${connectionId}/mapping`, `/console/t/globex/hr/${connectionId}/mapping`]) {
      const res = await globex.get(path);
      expect(res.status, path).toBe(404);
      expect(res.html).not.toContain('jobTitle');
    }
    await globex.get('/console/t/globex/hr');
    expect(globex.csrf).toBeDefined();
    expect((await globex.post(`/console/t/globex/hr/${connectionId}/mapping/save`, { mapping: JSON.stringify({ attributes: [] }) })).status).toBe(404);
    expect((await versions()).map((v) => v.version)).toEqual([1]);
  });
});
