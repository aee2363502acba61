import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ProviderName } from '../../connectors/index.js';
import { readRawPath } from '../../connectors/raw-fields.js';
import { cleanText } from '../../connectors/values.js';
import { customFieldsOf } from '../fakes/shared/custom-fields.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { providersUnderTest, type ProviderUnderTest } from '../support/providers-under-test.js';

/**
 * Custom HR fields, per connector with custom fields: each fake account has a badge and a cost
 * code field, kept where that vendor keeps them, and the connector returns them in `raw` at
 * the path the README names for it. Expected values come from the fake's own records.
 */
const SIZE = 60;
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** Every variant is the same connector code on another account shape: one of each will do. */
const withCustomFields = providersUnderTest.filter(([name]) => !name.includes('('));

/** The connector a connection to this provider runs with, built the way a sync builds it. */
function connectorOf(provider: ProviderUnderTest): Connector {
  const body = provider.body as { provider: ProviderName; credentials: unknown; baseUrl?: string; settings?: Record<string, unknown> };
  const factory = provider.deps(database.db).connectors;
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
    const none = ['payfit', 'lucca v5', 'workday', 'deel', 'remote'];
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
