import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, findConnection, syncConnection, updateConnection } from '../../src/connections/service.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { hibobUnderTest, type ProviderUnderTest } from '../support/providers-under-test.js';
import { bambooConnectionBody } from '../support/sync-fixture.js';

/**
 * Credentials never follow a changed host. A tenant admin may point a connection at its provider's
 * own hosts; anything else needs the operator's HR_ALLOWED_BASE_URLS (the suite allows loopback
 * there, for its fakes). Moving a connection (base URL, or a setting that picks the host) needs
 * the credentials again, validated at the new place before anything is stored. The connectors
 * here are the real ones, sending through the egress policy.
 */
let h: Harness;
let fake: FakeBambooHr;
let moved: FakeBambooHr;
let admin = '';

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: scenarioCompany() });
  moved = await startFakeBambooHr({ company: scenarioCompany() });
  h = await startHarness();
  admin = await bearerFor({ role: 'admin', tenant: 'acme' });
});
afterAll(async () => {
  await h.close();
  await fake.close();
  await moved.close();
});

const acme = '/admin/v1/tenants/acme/connections';
const credentials = () => ({ companyDomain: fake.company.domain, apiKey: defaultKey });

describe('where a connection may send its credentials', () => {
  it.each([
    ['https://attacker.test/api/acme', /not one of the provider's .*HR_ALLOWED_BASE_URLS/],
    ['https://acme.bamboohr.com.attacker.test/api', /not one of the provider's/],
    ['http://acme.bamboohr.com/api/gateway.php/acme', /https on the standard port/],
    ['https://acme.bamboohr.com:8443/api', /https on the standard port/],
    ['https://user:secret@acme.bamboohr.com/api', /must not contain credentials/],
  ])('refuses base URL %s with 400, storing nothing', async (baseUrl, why) => {
    const res = await h.http.post(acme).set('authorization', admin).send({ ...bambooConnectionBody(fake), baseUrl });
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_value', detail: expect.stringMatching(why) });
    expect(res.text).not.toContain(defaultKey);
    expect((await h.http.get(acme).set('authorization', admin)).body).toEqual([]);
  });

  it("moving a connection needs the credentials again, and validates them at the new place", async () => {
    const created = await h.http.post(acme).set('authorization', admin).send(bambooConnectionBody(fake));
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    moved.resetCounts();

    // Elsewhere without credentials: refused, unchanged, and the new place never hears of it.
    const bare = await h.http.patch(`${acme}/${id}`).set('authorization', admin).send({ baseUrl: bambooConnectionBody(moved).baseUrl });
    expect(bare.status, bare.text).toBe(400);
    expect(bare.body).toMatchObject({ code: 'invalid_value', reason: 'credentials_required', detail: expect.stringContaining('baseUrl') });
    expect(moved.requests).toHaveLength(0);
    expect((await h.http.get(`${acme}/${id}`).set('authorization', admin)).body.baseUrl).toBe(bambooConnectionBody(fake).baseUrl);

    // Not even with credentials to a host no one allowed.
    const away = await h.http.patch(`${acme}/${id}`).set('authorization', admin).send({ baseUrl: 'https://attacker.test/api', credentials: credentials() });
    expect(away.status, away.text).toBe(400);

    // With them: checked against the new place first, then stored.
    const ok = await h.http.patch(`${acme}/${id}`).set('authorization', admin).send({ baseUrl: bambooConnectionBody(moved).baseUrl, credentials: credentials() });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.baseUrl).toBe(bambooConnectionBody(moved).baseUrl);
    expect(moved.requests.length).toBeGreaterThan(0);

    // Settings that do not move it need nothing; neither does repeating the same base URL.
    const same = await h.http.patch(`${acme}/${id}`).set('authorization', admin).send({ baseUrl: bambooConnectionBody(moved).baseUrl, scheduleMinutes: 60 });
    expect(same.status, same.text).toBe(200);
  });

  it('a run stops before any request once the operator takes its base URL off the allow-list', async () => {
    const created = await createConnection(h.connections, h.tenantId, bambooConnectionBody(fake));
    fake.resetCounts();
    const narrowed = { ...h.connections, allowedBaseUrls: [] };
    await expect(syncConnection(narrowed, h.tenantId, created.id, { mode: 'preview' })).rejects.toMatchObject({ code: 'invalid_value', detail: expect.stringContaining('HR_ALLOWED_BASE_URLS') });
    expect(fake.requests).toHaveLength(0);
    expect((await findConnection(h.db.db, h.tenantId, created.id)).status).toBe('error');
  });
});

describe('a setting that picks the host', () => {
  let hibob: ProviderUnderTest;
  beforeAll(async () => {
    hibob = await hibobUnderTest(5, 7);
  });
  afterAll(() => hibob.close());

  it("HiBob's environment moves the connection: credentials again, or 400", async () => {
    const deps = hibob.deps(h.db.db);
    const created = await createConnection(deps, h.tenantId, hibob.body);
    await expect(updateConnection(deps, h.tenantId, created.id, { settings: { environment: 'sandbox' } })).rejects.toMatchObject({
      code: 'invalid_value',
      detail: expect.stringContaining('settings.environment'),
    });
    // The default spelled out is the same place.
    await expect(updateConnection(deps, h.tenantId, created.id, { settings: { environment: 'production' } })).resolves.toMatchObject({ settings: { environment: 'production' } });
    const withCredentials = await updateConnection(deps, h.tenantId, created.id, { settings: { environment: 'sandbox' }, credentials: hibob.body.credentials });
    expect(withCredentials.settings).toEqual({ environment: 'sandbox' });
  });
});
