import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ProviderName } from '../../connectors/index.js';
import { readRawPath } from '../../connectors/raw-fields.js';
import { cleanText } from '../../connectors/values.js';
import { URN } from '../../scim/schemas/urns.js';
import { createScimToken } from '../../src/auth/scim-tokens.js';
import { createConnection, syncConnection } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { BASE_MAPPING } from '../../src/mapping/defaults.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { generateCompany as generateHibob } from '../fakes/hibob/generate.js';
import { createVirtualClock, hibobFor } from '../fakes/hibob/harness.js';
import { badgeField, costCodeField } from '../fakes/hibob/render.js';
import { startFakeHibob } from '../fakes/hibob/server.js';
import { customFieldsOf, fakeCostCodes } from '../fakes/shared/custom-fields.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { providersUnderTest, type ProviderUnderTest } from '../support/providers-under-test.js';

/**
 * Custom HR fields, per connector with custom fields: each fake account has a badge and a cost
 * code field, kept where that vendor keeps them, and the connector returns them in `raw` at
 * the path the README names for it. Expected values come from the fake's own records.
 */
const SIZE = 60;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Every variant is the same connector code on another account shape: one of each will do. */
const withCustomFields = providersUnderTest.filter(([name]) => !name.includes('('));

/** The connector a connection to this provider runs with, built the way a sync builds it. */
function connectorOf(provider: ProviderUnderTest): Connector {
  const body = provider.body as { provider: ProviderName; credentials: unknown; baseUrl?: string; settings?: Record<string, unknown> };
  const factory = provider.deps(h.db.db).connectors;
  if (!factory) throw new Error(`${provider.name} has no connector factory`);
  return factory(body.provider, body.credentials, {
    ...(body.baseUrl ? { baseUrl: body.baseUrl } : {}),
    ...(body.settings ? { settings: body.settings } : {}),
  });
}

/** remote id → [badge, cost code] as found at the paths; "" and absent both read as null. */
async function readCustomFields(connector: Connector, paths: { badge: string; costCode: string }, rawFields?: string[]) {
  const found = new Map<string, [string | null, string | null]>();
  for await (const page of connector.employees(rawFields ? { rawFields } : {})) {
    for (const e of page.employees) found.set(e.remoteId, [cleanText(readRawPath(e.raw, paths.badge)), cleanText(readRawPath(e.raw, paths.costCode))]);
  }
  return found;
}

describe.each(withCustomFields)('%s: custom HR fields in raw', (name, start) => {
  let provider: ProviderUnderTest;
  beforeAll(async () => {
    provider = await start(SIZE, 23);
  });
  afterAll(async () => {
    await provider?.close();
  });

  it('has custom fields, or says it has none', () => {
    const none = ['payfit', 'lucca v5', 'workday'];
    expect(provider.customFields === undefined).toBe(none.includes(name));
  });

  it('returns each person\'s custom values at the documented paths when a mapping asks for them', async ({ skip }) => {
    if (!provider.customFields) return skip();
    const paths = provider.customFields;
    const found = await readCustomFields(connectorOf(provider), paths, [paths.badge, paths.costCode]);
    const people = provider.people().filter((p) => found.has(p.id));
    expect(people.length).toBeGreaterThan(SIZE / 2);
    const expected = people.map((p): [string, [string | null, string]] => [p.id, [customFieldsOf(p.id).badge, customFieldsOf(p.id).costCode]]);
    expect(people.map((p) => [p.id, found.get(p.id)])).toEqual(expected);
    // The fixture is not degenerate: some people have no badge, and cost codes repeat.
    expect(expected.some(([, [badge]]) => badge === null)).toBe(true);
    expect(new Set(expected.map(([, [, code]]) => code)).size).toBeLessThan(expected.length);
  });

  it('reads custom fields only when a mapping asks for them, where that costs something', async ({ skip }) => {
    if (!provider.customFields) return skip();
    const paths = provider.customFields;
    const found = await readCustomFields(connectorOf(provider), paths);
    const values = [...found.values()].flat().filter((v) => v !== null);
    // Where the request must name them (or the connector keys them on request), nothing comes unasked.
    if (paths.presentUnasked) expect(values.length).toBeGreaterThan(0);
    else expect(values).toEqual([]);
  });
});

describe('HiBob: custom fields sent flat, nested, or both', () => {
  it.each(['nested', 'flat', 'both', 'mixed'] as const)('reads them at the same path from %s keys', async (style) => {
    const clock = createVirtualClock();
    const fake = await startFakeHibob({ company: generateHibob({ seed: 5, size: 20 }), render: { style } });
    try {
      const paths = [badgeField, `humanReadable.${costCodeField}`];
      const found = new Map<string, unknown[]>();
      for await (const page of hibobFor(fake, clock).employees({ rawFields: paths })) {
        for (const e of page.employees) found.set(e.remoteId, paths.map((p) => cleanText(readRawPath(e.raw, p))));
      }
      expect(found.size).toBe(20);
      for (const [id, values] of found) expect(values).toEqual([customFieldsOf(id).badge, customFieldsOf(id).costCode]);
    } finally {
      await fake.close();
    }
  });
});

describe.each(withCustomFields)('%s: a custom HR field mapped into a tenant attribute, filtered over SCIM', (name, start) => {
  let provider: ProviderUnderTest;
  const slug = `cf-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  let tenantId = '';
  let scimToken = '';
  beforeAll(async () => {
    provider = await start(SIZE, 29);
    tenantId = (await createTenant(h.db.db, slug)).id;
    scimToken = (await createScimToken(h.db.db, tenantId, { name: 'custom fields' })).secret;
  });
  afterAll(async () => {
    await provider?.close();
  });

  const users = (filter: string) => h.http.get('/scim/v2/Users').query({ filter, count: '1000' }).set('authorization', `Bearer ${scimToken}`);
  const userNames = (res: { body: { Resources?: Array<{ userName: string }> } }) => (res.body.Resources ?? []).map((r) => r.userName).sort();

  it('declares the attributes, maps the custom fields into them, syncs, and a SCIM filter finds exactly the right people', async ({ skip }) => {
    if (!provider.customFields) return skip();
    const paths = provider.customFields;
    const admin = await bearerFor({ role: 'admin', tenant: slug });
    for (const attribute of [{ name: 'badge', type: 'string', caseExact: true }, { name: 'costCode', type: 'string' }]) {
      const res = await h.http.post(`/admin/v1/tenants/${slug}/schema/attributes`).set('authorization', admin).send(attribute);
      expect(res.status, res.text).toBe(201);
    }
    const deps = provider.deps(h.db.db);
    const connection = await createConnection(deps, tenantId, { ...provider.body, onboarding: 'auto' });
    const mapping = {
      attributes: [
        ...BASE_MAPPING,
        { attribute: `${URN.tenantUser}:badge`, source: { kind: 'raw', path: paths.badge } },
        { attribute: `${URN.tenantUser}:costCode`, source: { kind: 'raw', path: paths.costCode } },
      ],
    };
    const saved = await h.http.put(`/admin/v1/tenants/${slug}/connections/${connection.id}/mapping`).set('authorization', admin).send(mapping);
    expect(saved.status, saved.text).toBe(200);
    const { run } = await syncConnection(deps, tenantId, connection.id, { mode: 'apply' });
    expect(run.state, JSON.stringify(run)).toBe('succeeded');

    // Who got a user is the sync's business (scenario tests): here, what their custom fields became.
    const managed = await query<{ user_name: string; remote_id: string }>(h.db.db, 'select user_name, remote_id from users where tenant_id = $1 and remote_id is not null', [tenantId]);
    expect(managed.length).toBeGreaterThan(SIZE / 2);
    const code = fakeCostCodes.find((c) => managed.some((u) => customFieldsOf(u.remote_id).costCode === c))!;
    const expected = managed.filter((u) => customFieldsOf(u.remote_id).costCode === code).map((u) => u.user_name).sort();
    expect(expected.length).toBeLessThan(managed.length);
    const byCode = await users(`${URN.tenantUser}:costCode eq "${code}"`);
    expect(byCode.status, byCode.text).toBe(200);
    expect(userNames(byCode)).toEqual(expected);

    const holder = managed.find((u) => customFieldsOf(u.remote_id).badge !== null)!;
    const badge = customFieldsOf(holder.remote_id).badge!;
    const byBadge = await users(`${URN.tenantUser}:badge eq "${badge}"`);
    expect(userNames(byBadge)).toEqual([holder.user_name]);
    expect(byBadge.body.Resources[0][URN.tenantUser]).toMatchObject({ badge, costCode: customFieldsOf(holder.remote_id).costCode });
    // The badge is case-exact, as declared; and people HR left without one have none.
    expect(userNames(await users(`${URN.tenantUser}:badge eq "${badge.toLowerCase()}"`))).toEqual(badge === badge.toLowerCase() ? [holder.user_name] : []);
    const without = managed.filter((u) => customFieldsOf(u.remote_id).badge === null).map((u) => u.user_name).sort();
    expect(userNames(await users(`not (${URN.tenantUser}:badge pr)`))).toEqual(without);
  });
});
