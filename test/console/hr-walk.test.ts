import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { defaultKey } from '../fakes/bamboohr/server.js';
import { browserAvailable, openBrowser, type Browser } from '../support/browser.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';

/**
 * The walk an HR admin takes after the app on top hands them a setup link: connect BambooHR (the
 * project's fake, over loopback), scope it, preview, apply, invite the candidates in bulk, set up
 * team sync, and decide a run the safety stop held. Every screen is photographed and axe-checked.
 */
describe.runIf(browserAvailable)('console in a browser: connect an HR system', () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await openBrowser('hr-walk');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('setup link → BambooHR → scope → preview → apply → people → bulk invite → team sync → held run approved', { timeout: 120_000 }, async () => {
    const { page, screen } = browser;
    const link = await server.setupLink('acme', { intent: 'all', returnUrl: 'https://spend.example.test/settings' });
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/console/t/acme`);
    await screen('overview-empty');

    await page.getByRole('link', { name: 'Connect an HR system' }).first().click();
    await screen('pick-system');
    await page.getByRole('link', { name: 'BambooHR' }).click();
    // A wrong key: the connector's own message, next to the form, and the key is not echoed.
    await page.getByLabel('Company domain').fill(server.fake.company.domain);
    await page.getByLabel('API key').fill('wrong-key-123');
    await page.getByText('Advanced').click();
    await page.getByLabel(/API address/).fill(server.fake.baseUrl('subdomain'));
    await page.getByRole('button', { name: 'Check and connect' }).click();
    const refusal = await page.getByRole('alert').textContent();
    expect(refusal).toMatch(/key|credential|401|denied|refused/i);
    expect(await page.content()).not.toContain('wrong-key-123');
    await screen('credentials-refused');

    await page.getByLabel('API key').fill(defaultKey);
    await page.getByRole('button', { name: 'Check and connect' }).click();
    await page.waitForURL(/\/hr\/[0-9a-f-]{36}\/setup$/);
    const connectionId = /hr\/([0-9a-f-]{36})\/setup/.exec(page.url())![1]!;
    // Scope values come from the HR system itself.
    for (const place of ['Berlin', 'Kraków', 'Salt Lake City, Utah', 'Tokyo']) await page.getByLabel(new RegExp(`^${place}`)).waitFor();
    await screen('setup');
    for (const place of ['Berlin', 'Kraków', 'Salt Lake City, Utah']) await page.getByLabel(new RegExp(`^${place}`)).check();
    await page.getByLabel('Wait for me to invite them (Add people)').check();
    await page.getByLabel(/Safety stop/).fill('10');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Preview', level: 1 }).waitFor();
    const previewText = (await page.locator('main').textContent())!;
    expect(previewText).toContain('New people');
    expect(previewText).toContain('charlotte.abbott@acme.test');
    expect(previewText).not.toContain('misaki.yamada@acme.test'); // Tokyo is out of scope
    // Nothing is written by a preview.
    expect(await rows(server.db.db, sql`select 1 from users where tenant_id = ${server.acme.id}`)).toEqual([]);
    await screen('preview');

    await page.getByRole('button', { name: 'Save & apply' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByText('succeeded').first().waitFor({ timeout: 30_000 });
    await screen('run-applied');

    await page.getByRole('navigation').getByRole('link', { name: 'People' }).click();
    const peopleText = (await page.locator('main').textContent())!;
    expect(peopleText).toContain('Added via BambooHR');
    expect(peopleText).toContain('Managed by HR');
    await screen('people');

    await page.getByRole('link', { name: 'Add people' }).click();
    const candidates = await page.locator('input[name=ids]').count();
    expect(candidates).toBeGreaterThan(5);
    await page.getByLabel('Select all').check();
    await screen('add-people');
    await page.getByRole('button', { name: 'Invite selected' }).click();
    expect(await page.getByRole('status').textContent()).toContain(`${candidates} invited`);
    const invited = await rows<{ n: number }>(server.db.db, sql`select count(*)::int as n from users where tenant_id = ${server.acme.id} and lifecycle = 'invited'`);
    expect(invited[0]!.n).toBe(candidates);

    await page.getByRole('navigation').getByRole('link', { name: 'Team sync' }).click();
    await screen('team-sync');
    await page.getByRole('button', { name: 'Preview teams' }).click();
    const chart = (await page.locator('.org').textContent())!;
    expect(chart).toContain('Unassigned');
    expect(chart).toContain('Reviewer: Jennifer Caldwell');
    await screen('team-preview');
    await page.getByRole('button', { name: 'Complete setup' }).click();
    expect(await page.getByRole('status').textContent()).toMatch(/Team sync is on: \d+ teams/);
    await screen('team-sync-on');

    // HR lets seven people go at once: more than the threshold (10 %, at least 5 people), so the next run is held.
    for (const id of ['12', '15', '22', '24', '25', '27', '30']) server.fake.company.terminate(id, '2026-01-15');
    await page.goto(`${server.url}/console/t/acme/hr/${connectionId}`);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('heading', { name: 'Held by the safety stop' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('main').textContent()).toContain('Archived');
    await screen('run-held');
    await page.getByRole('button', { name: 'Approve and apply' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByText('succeeded').first().waitFor({ timeout: 30_000 });
    await screen('run-approved');
    const archived = await rows<{ n: number }>(server.db.db, sql`select count(*)::int as n from users where tenant_id = ${server.acme.id} and lifecycle = 'archived'`);
    expect(archived[0]!.n).toBeGreaterThanOrEqual(5);

    // Every write is in the audit log under the signed-in actor (the setup link).
    const actors = await rows<{ actor: string; action: string }>(server.db.db, sql`select actor, action from audit_log where tenant_id = ${server.acme.id} and actor like 'admin:setup-link:%'`);
    const actions = new Set(actors.map((a) => a.action));
    for (const action of ['connection.create', 'connection.preview', 'connection.configure', 'connection.sync', 'user.invite', 'connection.team_sync.enable', 'run.approve']) expect(actions).toContain(action);

    await page.goto(`${server.url}/console/t/acme`);
    await screen('overview');
  });
});
