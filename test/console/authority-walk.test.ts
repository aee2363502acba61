import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URN } from '../../scim/schemas/urns.js';
import { createConsoleSession } from '../../src/auth/console-sessions.js';
import { createScimToken } from '../../src/auth/scim-tokens.js';
import { createConnection, syncConnection, updateConnection } from '../../src/connections/service.js';
import { rows } from '../../src/db/client.js';
import { browserAvailable, openBrowser, type Browser } from '../support/browser.js';
import { consoleClient } from '../support/console-client.js';
import { tabReach } from '../support/keyboard.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { bambooConnectionBody } from '../support/sync-fixture.js';

const COST_CODE = `${URN.tenantUser}:costCode`;
const TIMES = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

/**
 * Source of authority in the console: a tenant admin declares an attribute, names owners and
 * policies (the service's refusals shown next to the form), reads the conflicts an identity
 * provider's writes to HR-owned fields left, per tenant and per person with the person's locks.
 * An auditor reads the same pages without a way to change them; another tenant's admin sees none.
 */
describe.runIf(browserAvailable)('console in a browser: source of authority, attributes, conflicts', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let person: { id: string; userName: string; title: string };
  let connectionId: string;
  beforeAll(async () => {
    server = await startConsoleServer();
    const conn = await createConnection(server.connections, server.acme.id, bambooConnectionBody(server.fake));
    connectionId = conn.id;
    await updateConnection(server.connections, server.acme.id, conn.id, { onboarding: 'auto' });
    await syncConnection(server.connections, server.acme.id, conn.id, { mode: 'apply' });
    const [managed] = await rows<{ id: string; user_name: string; title: string }>(
      server.db.db,
      sql`select id, user_name, doc->>'title' as title from users where tenant_id = ${server.acme.id} and management = 'managed' and doc->>'title' is not null order by user_name limit 1`,
    );
    person = { id: managed!.id, userName: managed!.user_name, title: managed!.title };
    // Okta pushes a title to a person HR manages: kept out (the default policy for SCIM is ignore) and recorded as a conflict.
    const token = await createScimToken(server.db.db, server.acme.id, { name: 'Okta' });
    const patched = await fetch(`${server.url}/scim/v2/Users/${person.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token.secret}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'title', value: 'Chief Vibes Officer' }] }),
    });
    expect(patched.status).toBeLessThan(300);
    browser = await openBrowser('authority-walk');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const authority = async () => (await (await server.adminFetch('/tenants/acme/authority')).json()) as { rules: { path: string; owner: string }[]; policies: Record<string, string> };

  it('an admin declares an attribute, gives it an owner, and reads the conflicts, per tenant and per person', { timeout: 120_000 }, async () => {
    const { page, screen } = browser;
    await page.goto((await server.setupLink('acme', { intent: 'all' })).url);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/console/t/acme`);

    // Attributes: a reserved name is the service's 400, next to the form with what was typed; then a good one.
    await page.getByRole('navigation').getByRole('link', { name: 'Your attributes' }).click();
    await page.getByLabel(/^Name/).fill('userName');
    await page.getByRole('button', { name: 'Declare' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/userName/);
    expect(await page.getByLabel(/^Name/).inputValue()).toBe('userName');
    await page.getByLabel(/^Name/).fill('costCode');
    await page.getByLabel('Description').fill('Finance cost code');
    await page.getByRole('button', { name: 'Declare' }).click();
    expect(await page.getByRole('status').textContent()).toContain(COST_CODE);
    expect(await page.locator('main table').textContent()).toContain('Finance cost code');
    await screen('attributes');

    // Owners: an unknown attribute is refused whole, the draft stays; then the owner is saved with a policy.
    await page.getByRole('navigation').getByRole('link', { name: 'Source of authority' }).click();
    expect(await page.locator('main').textContent()).toContain('These are the defaults');
    await page.getByLabel(/^Attribute \(e\.g\./).fill('nosuchThing');
    await page.getByLabel('Owner', { exact: true }).selectOption('scim');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('unknown attribute nosuchThing');
    expect(await page.getByLabel(/^Attribute \(e\.g\./).inputValue()).toBe('nosuchThing');
    expect((await authority()).rules.some((r) => /nosuch/i.test(r.path))).toBe(false);
    await page.getByLabel(/^Attribute \(e\.g\./).fill(COST_CODE);
    await page.getByLabel(/^Admins/).selectOption('ignore');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Saved');
    const saved = await authority();
    expect(saved.rules).toContainEqual({ path: COST_CODE, owner: 'scim' });
    expect(saved.policies.manual).toBe('ignore');
    // The HR fields keep their default owner, shown by the connection's HR system.
    expect(await page.getByLabel('Owner of title').locator('option:checked').textContent()).toContain('HR');
    await screen('authority');

    // Removing an attribute a rule names is refused, with the reason.
    await page.getByRole('navigation').getByRole('link', { name: 'Your attributes' }).click();
    await page.getByRole('button', { name: 'Remove costCode' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/rule names costCode/);

    // Conflicts for the tenant: the owner's value, what Okta said, who owns it.
    await page.getByRole('navigation').getByRole('link', { name: 'Conflicts' }).click();
    const table = (await page.locator('main table').textContent())!;
    expect(table).toContain(person.userName);
    expect(table).toContain('Chief Vibes Officer');
    expect(table).toContain(person.title);
    expect(table).toContain('token “Okta”');
    await screen('conflicts');
    // Filtered by a person (user name, any case), and by one who does not exist.
    await page.getByLabel(/^Person/).fill(person.userName.toUpperCase());
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.locator('main tbody tr').count()).toBe(1);
    await page.getByLabel(/^Person/).fill('nobody@acme.test');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('nobody@acme.test');
    expect(await page.locator('main tbody tr').count()).toBe(0);

    // The person's page: their conflict, and which fields are locked to which source for them.
    await page.getByRole('link', { name: 'Everyone' }).click();
    await page.locator('main tbody').getByRole('link', { name: person.userName }).click();
    await page.waitForURL(`${server.url}/console/t/acme/people/${person.id}`);
    const personText = (await page.locator('main').textContent())!;
    expect(personText).toContain('Chief Vibes Officer');
    const locks = page.getByRole('region').first();
    const lockText = (await locks.textContent())!;
    expect(lockText).toContain('title');
    expect(lockText).toContain(`BambooHR (connection ${connectionId.slice(0, 8)}`);
    expect(lockText).toContain('costCode (your attribute)');
    expect(lockText).toContain('Identity provider (SCIM)');
    await screen('person');

    // The people list leads to the same page.
    await page.getByRole('navigation').getByRole('link', { name: 'People' }).click();
    await page.locator('main tbody a').first().waitFor();
    expect(await page.locator(`main tbody a[href$="/people/${person.id}"]`).count()).toBe(1);

    // Every change is in the audit log under the signed-in actor.
    const actions = await rows<{ action: string }>(server.db.db, sql`select action from audit_log where tenant_id = ${server.acme.id} and actor like 'admin:setup-link:%'`);
    for (const action of ['schema.attribute.declare', 'authority.update']) expect(actions.map((a) => a.action)).toContain(action);
  });

  it('an attribute is declared and removed with the keyboard alone', { timeout: 60_000 }, async () => {
    const { page } = browser;
    await page.goto(`${server.url}/console/t/acme/attributes`);
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate('document.activeElement.id')) === 'attr-name';
    }
    expect(reached).toBe(true);
    await page.keyboard.type('badge');
    await page.keyboard.press('Enter');
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain(`${URN.tenantUser}:badge`);
    reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate('document.activeElement.getAttribute("aria-label")')) === 'Remove badge';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('Removed badge.').waitFor();
    expect(await page.locator('main table').textContent()).not.toContain('badge');
  });

  it('every control on the new pages is reached with Tab', { timeout: 60_000 }, async () => {
    const { page } = browser;
    for (const path of ['/authority', '/attributes', '/conflicts', `/people/${person.id}`]) {
      await page.goto(`${server.url}/console/t/acme${path}`);
      const { reached, controls } = await tabReach(page);
      expect(controls, path).toBeGreaterThan(0);
      expect(reached, path).toBe(controls);
    }
  });

  it('an auditor reads every page and can change nothing', { timeout: 60_000 }, async () => {
    const { secret } = await createConsoleSession(server.db.db, { role: 'auditor', subject: 'oidc:audrey', tenantId: server.acme.id, intent: 'all', returnUrl: null }, TIMES);
    const auditor = await openBrowser('authority-auditor');
    try {
      await auditor.context.addCookies([{ name: 'rollcall_console', value: secret, domain: '127.0.0.1', path: '/console' }]);
      const base = `${server.url}/console/t/acme`;
      for (const [name, path] of [
        ['authority-read-only', '/authority'],
        ['attributes-read-only', '/attributes'],
        ['conflicts-auditor', '/conflicts'],
        ['person-auditor', `/people/${person.id}`],
      ] as const) {
        expect((await auditor.page.goto(`${base}${path}`))!.status(), path).toBe(200);
        await auditor.screen(name);
        // No form but sign-out and the conflicts filter (a GET).
        expect(await auditor.page.locator('main form[method="post"]').count(), path).toBe(0);
      }
      await auditor.page.goto(`${base}/authority`);
      expect(await auditor.page.locator('main').textContent()).toContain('an admin of the organisation changes them');
      expect(await auditor.page.locator('main table').textContent()).toContain('costCode (your attribute)');
    } finally {
      await auditor.close();
    }
    // Posting anyway (with the session's own CSRF token) is refused by the admin API's access check.
    const client = consoleClient(server.url);
    client.cookie = `rollcall_console=${secret}`;
    await client.get('/console/t/acme/authority');
    expect(client.csrf).toBeDefined();
    const before = await authority();
    for (const [path, form] of [
      ['/console/t/acme/authority', { 'new.path': 'nickName', 'new.owner': 'scim', 'policy.scim': 'reject' }],
      ['/console/t/acme/authority/reset', {}],
      ['/console/t/acme/attributes', { name: 'sneaky', type: 'string' }],
      ['/console/t/acme/attributes/costCode/remove', {}],
    ] as const) {
      const res = await client.post(path, form);
      expect(res.status, path).toBe(403);
    }
    expect(await authority()).toEqual(before);
    const attrs = (await (await server.adminFetch('/tenants/acme/schema/attributes')).json()) as { items: { name: string }[] };
    expect(attrs.items.map((a) => a.name)).toEqual(['costCode']);
  });

  it("another tenant's admin sees none of it, not even by the person's id", async () => {
    const globex = consoleClient(server.url);
    await globex.signIn((await server.setupLink('globex', { intent: 'all' })).url);
    for (const path of ['/console/t/acme/authority', '/console/t/acme/conflicts', '/console/t/acme/attributes', `/console/t/acme/people/${person.id}`, `/console/t/globex/people/${person.id}`]) {
      const res = await globex.get(path);
      expect(res.status, path).toBe(404);
      expect(res.html).not.toContain(person.userName);
    }
    // Its own pages show its own, empty, settings.
    const own = await globex.get('/console/t/globex/conflicts');
    expect(own.status).toBe(200);
    expect(own.html).toContain('No conflicts.');
    expect(own.html).not.toContain('Chief Vibes Officer');
    const posted = await globex.post('/console/t/acme/authority', { 'new.path': 'nickName', 'new.owner': 'scim' });
    expect(posted.status).toBe(404);
    // An identity-provider link opens the conflicts, without links to People, which it does not open.
    const idp = consoleClient(server.url);
    await idp.signIn((await server.setupLink('acme', { intent: 'idp' })).url);
    const idpConflicts = await idp.get('/console/t/acme/conflicts');
    expect(idpConflicts.status).toBe(200);
    expect(idpConflicts.html).toContain(person.userName);
    expect(idpConflicts.html).not.toContain(`/people/${person.id}`);
    // A team-sync link opens none of these pages.
    const teams = consoleClient(server.url);
    await teams.signIn((await server.setupLink('acme', { intent: 'teams' })).url);
    for (const path of ['/console/t/acme/authority', '/console/t/acme/conflicts', '/console/t/acme/attributes']) expect((await teams.get(path)).status, path).toBe(404);
  });
});
