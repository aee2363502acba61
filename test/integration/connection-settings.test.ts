import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ConnectorDeps } from '../../connectors/index.js';
import { connectorFor, type ConnectorFactory } from '../../src/connections/connector-for.js';
import { createConnection, findConnection, updateConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_SECRET_KEY } from '../support/keys.js';

/**
 * Provider settings from connect to connector: checked by the provider's schema, stored,
 * shown, and handed to the connector factory on every run.
 */
let database: TestDatabase;
let tenantId: string;
const seen: Array<{ provider: string; deps: ConnectorDeps }> = [];

/** Accepts any credentials, and records what each connector was built with. */
const recording: ConnectorFactory = (provider, _credentials, deps) => {
  seen.push({ provider, deps });
  return { name: provider, validate: async () => ({ ok: true, warnings: [] }) } as unknown as Connector;
};

beforeAll(async () => {
  database = await createTestDatabase();
  tenantId = (await createTenant(database.db, 'connection-settings')).id;
});
afterAll(async () => {
  await database?.drop();
});

const deps = (): ConnectionDeps => ({ db: database.db, secretKey: TEST_SECRET_KEY, owner: 'test-replica', leaseSeconds: 60, connectors: recording });
const personio = { provider: 'personio', credentials: { clientId: 'id', clientSecret: 'secret' } };

describe('connection settings', () => {
  it('stores Personio settings, shows them, and builds connectors with them', async () => {
    seen.length = 0;
    const view = await createConnection(deps(), tenantId, { ...personio, settings: { apiVersion: 'v2', ibanAttribute: 'IBAN' } });
    expect(view.settings).toEqual({ apiVersion: 'v2', ibanAttribute: 'IBAN' });
    expect(seen[0]?.deps.settings).toEqual({ apiVersion: 'v2', ibanAttribute: 'IBAN' });

    const updated = await updateConnection(deps(), tenantId, view.id, { settings: { apiVersion: 'v1', ibanAttribute: 'dynamic_99' } });
    expect(updated.settings).toEqual({ apiVersion: 'v1', ibanAttribute: 'dynamic_99' });
    seen.length = 0;
    connectorFor(await findConnection(database.db, tenantId, view.id), TEST_SECRET_KEY, recording);
    expect(seen[0]).toMatchObject({ provider: 'personio', deps: { settings: { apiVersion: 'v1', ibanAttribute: 'dynamic_99' } } });
  });

  it('refuses settings the provider does not know, naming the field, and stores nothing', async () => {
    await expect(createConnection(deps(), tenantId, { ...personio, settings: { apiVersion: 'v3' } })).rejects.toMatchObject({
      code: 'invalid_value',
      message: expect.stringMatching(/settings\.apiVersion/),
    });
    const hibob = await createConnection(deps(), tenantId, { provider: 'hibob', credentials: { serviceUserId: 'SERVICE-1', token: 't' } });
    expect(hibob.settings).toEqual({});
    await expect(updateConnection(deps(), tenantId, hibob.id, { settings: { environment: 'staging' } })).rejects.toMatchObject({
      message: expect.stringMatching(/settings\.environment/),
    });
    expect((await findConnection(database.db, tenantId, hibob.id)).settings).toEqual({});
  });
});
