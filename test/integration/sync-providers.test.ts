import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/index.js';
import type { PersonioSettingsInput } from '../../connectors/personio/schema.js';
import type { ConnectorFactory } from '../../src/connections/connector-for.js';
import { createConnection, syncConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { generateCompany as generateHibob } from '../fakes/hibob/generate.js';
import { hibobFor } from '../fakes/hibob/harness.js';
import { defaultServiceUser, startFakeHibob } from '../fakes/hibob/server.js';
import { createVirtualClock } from '../fakes/personio/clock.js';
import { generateCompany as generatePersonio } from '../fakes/personio/generate.js';
import { personioFor, today } from '../fakes/personio/harness.js';
import { defaultClient, startFakePersonio } from '../fakes/personio/server.js';
import { faults, type FaultPlan } from '../fakes/shared/faults.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_SECRET_KEY } from '../support/keys.js';

/** Personio (v1, v2) and HiBob through the sync engine: connect with settings, preview, apply, a retried 429, a failed run, the safety stop. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

interface Provider {
  faults: FaultPlan;
  /** The fault plan's name for the people list. */
  list: string;
  body: Record<string, unknown>;
  /** Removes everyone: an HR system answering with no one. */
  empty(): void;
  factory: ConnectorFactory;
  close(): Promise<void>;
}

async function personio(apiVersion: 'v1' | 'v2'): Promise<Provider> {
  const clock = createVirtualClock();
  const fake = await startFakePersonio({ company: generatePersonio({ seed: 11, size: 200 }), now: clock.now });
  return {
    body: { provider: 'personio', baseUrl: fake.url, credentials: { clientId: defaultClient.id, clientSecret: defaultClient.secret }, settings: { apiVersion } },
    faults: fake.faults,
    list: apiVersion === 'v1' ? 'v1.employees' : 'v2.persons',
    empty: () => fake.company.list().forEach((p) => fake.company.remove(p.id)),
    factory: (_p, _c, deps) => personioFor(fake, clock, deps.settings as PersonioSettingsInput) as Connector,
    close: () => fake.close(),
  };
}

async function hibob(): Promise<Provider> {
  const clock = createVirtualClock();
  const fake = await startFakeHibob({ company: generateHibob({ seed: 11, size: 200 }), now: clock.now });
  return {
    body: { provider: 'hibob', baseUrl: fake.url, credentials: { serviceUserId: defaultServiceUser.id, token: defaultServiceUser.token } },
    faults: fake.faults,
    list: 'search',
    empty: () => fake.company.list().forEach((p) => fake.company.remove(p.id)),
    factory: () => hibobFor(fake, clock) as Connector,
    close: () => fake.close(),
  };
}

const providers: Array<[string, () => Promise<Provider>]> = [
  ['personio v1', () => personio('v1')],
  ['personio v2', () => personio('v2')],
  ['hibob', hibob],
];

describe.each(providers)('%s through the sync engine', (name, start) => {
  it('connects, previews, applies, retries a 429 and fails a run on 500s without changing anyone, holds an empty company', async () => {
    const provider = await start();
    try {
      const tenantId = (await createTenant(database.db, `providers-${name.replace(/\W/g, '-')}`)).id;
      const deps: ConnectionDeps = { db: database.db, secretKey: TEST_SECRET_KEY, owner: 'test-replica', leaseSeconds: 60, connectors: provider.factory, now: () => today, batchSize: 100 };
      const connection = await createConnection(deps, tenantId, { ...provider.body, onboarding: 'review' });
      const preview = await syncConnection(deps, tenantId, connection.id, { mode: 'preview' });
      expect(preview.run.state).toBe('succeeded');
      const created = preview.plan!.counts.create ?? 0;
      expect(created).toBeGreaterThan(100);
      const applied = await syncConnection(deps, tenantId, connection.id, { mode: 'apply' });
      expect(applied.run.state).toBe('succeeded');
      expect(applied.run.counts).toMatchObject({ create: created, applied: created, failed: 0 });
      const again = await syncConnection(deps, tenantId, connection.id, { mode: 'apply' });
      expect(again.run.counts).toMatchObject({ create: 0, update: 0, archive: 0, release: 0 });

      // A 429 with Retry-After is waited out within the run.
      provider.faults.next(1, faults.tooManyRequests(1), provider.list);
      const retried = await syncConnection(deps, tenantId, connection.id, { mode: 'apply' });
      expect(retried.run.state).toBe('succeeded');
      expect(retried.run.counts).toMatchObject({ create: 0, archive: 0, release: 0 });

      // A 500 on every try fails the run and changes nobody.
      provider.faults.next(50, faults.serverError(500), provider.list);
      const failed = await syncConnection(deps, tenantId, connection.id, { mode: 'apply' }).then((r) => r.run.state, () => 'failed');
      expect(failed).toBe('failed');
      provider.faults.clear();
      const after = await syncConnection(deps, tenantId, connection.id, { mode: 'apply' });
      expect(after.run.counts).toMatchObject({ create: 0, update: 0, archive: 0, release: 0 });

      // An empty company is held by the safety stop, not applied.
      provider.empty();
      const held = await syncConnection(deps, tenantId, connection.id, { mode: 'apply' });
      expect(held.run.state).toBe('held');
      expect(held.run.held).toMatchObject({ reason: expect.stringContaining('returned no employees') });
    } finally {
      await provider.close();
    }
  });
});
