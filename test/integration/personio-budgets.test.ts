import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudgetRegistry, type BudgetStore, type Connector } from '../../connectors/index.js';
import type { PersonioSettingsInput } from '../../connectors/personio/schema.js';
import type { ConnectorFactory } from '../../src/connections/connector-for.js';
import { createConnection, syncConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { createDbBudgetStore } from '../../src/db/request-budgets.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { createSettlingClock, maxInWindow, type SettlingClock } from '../fakes/personio/clock.js';
import { generateCompany } from '../fakes/personio/generate.js';
import { personioFor, today } from '../fakes/personio/harness.js';
import { defaultClient, startFakePersonio, type FakePersonio } from '../fakes/personio/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testConnectionDeps } from '../support/sync-fixture.js';

/**
 * Personio limits each credential to 300 requests a minute in bursts of at most 15 a second,
 * however many runs, previews and checks use it, and on however many replicas. Two replicas
 * (two processes' budget registries on one database) run back to back and at once; the fake's
 * own request log is the judge, and the fake enforces the limits, so a 429 would show too.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const dataEndpoints = ['v2.persons', 'v2.employments', 'v2.org-units'] as const;

async function startFake(clock: SettlingClock) {
  return startFakePersonio({
    company: generateCompany({ seed: 21, size: 150 }),
    now: clock.now,
    limits: { v2: { limit: 300, burst: { limit: 15, windowMs: 1000 } }, auth: { limit: 60 } },
  });
}

function replica(fake: FakePersonio, clock: SettlingClock, owner: string, shared: boolean): ConnectionDeps {
  // Time stands still while a request or a reservation is on its way, as it nearly does for real.
  const heldFetch: typeof fetch = (input, init) => clock.during(() => fetch(input, init));
  const store = createDbBudgetStore(database.db);
  const heldStore: BudgetStore = { reserve: (...args) => clock.during(() => store.reserve(...args)) };
  const factory: ConnectorFactory = (_p, _c, deps) =>
    personioFor(fake, clock, deps.settings as PersonioSettingsInput, { fetch: heldFetch, ...(deps.budgets ? { budgets: deps.budgets } : {}) }) as Connector;
  return {
    ...testConnectionDeps(database.db, factory, () => today),
    owner,
    ...(shared ? { budgets: createBudgetRegistry(heldStore) } : {}),
  };
}

async function connect(deps: ConnectionDeps, fake: FakePersonio, name: string) {
  const tenantId = (await createTenant(database.db, name)).id;
  const body = { provider: 'personio', baseUrl: fake.url, credentials: { clientId: defaultClient.id, clientSecret: defaultClient.secret }, settings: { apiVersion: 'v2' }, onboarding: 'review' };
  return { tenantId, id: (await createConnection(deps, tenantId, body)).id };
}

/** Two applies and a preview at once (on two replicas), then an apply right after them. */
async function burstOfRuns(fake: FakePersonio, clock: SettlingClock, slug: string, shared: boolean) {
  const one = replica(fake, clock, `${slug}-replica-1`, shared);
  const two = replica(fake, clock, `${slug}-replica-2`, shared);
  const a = await connect(one, fake, `${slug}-a`);
  const b = await connect(two, fake, `${slug}-b`);
  const c = await connect(one, fake, `${slug}-c`);
  const runs = await Promise.all([
    syncConnection(one, a.tenantId, a.id, { mode: 'apply' }),
    syncConnection(two, b.tenantId, b.id, { mode: 'apply' }),
    syncConnection(one, c.tenantId, c.id, { mode: 'preview' }),
  ]);
  runs.push(await syncConnection(two, b.tenantId, b.id, { mode: 'apply' }));
  const data = dataEndpoints.flatMap((e) => fake.arrivals[e]);
  return {
    states: runs.map((r) => r.run.state),
    requests: data.length,
    perSecond: maxInWindow(data, 1000),
    perMinute: maxInWindow(data, 60_000),
    authPerMinute: maxInWindow([...fake.arrivals['v2.token']], 60_000),
    throttled: fake.requests.filter((r) => r.status === 429).length,
  };
}

describe('Personio request budgets per credential', () => {
  it('two replicas running two applies and a preview back to back stay within 15 a second and 300 a minute', async () => {
    const clock = createSettlingClock();
    const fake = await startFake(clock);
    try {
      const result = await burstOfRuns(fake, clock, 'shared', true);
      expect(result.states).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      // Enough traffic to matter: well past one minute's allowance.
      expect(result.requests).toBeGreaterThan(600);
      expect(result.perSecond).toBeLessThanOrEqual(15);
      expect(result.perMinute).toBeLessThanOrEqual(300);
      expect(result.authPerMinute).toBeLessThanOrEqual(60);
      expect(result.throttled).toBe(0);
    } finally {
      await fake.close();
    }
  });

  it('the same runs on budgets of their own go over the limit (what the shared budget prevents)', async () => {
    const clock = createSettlingClock();
    const fake = await startFake(clock);
    try {
      const result = await burstOfRuns(fake, clock, 'separate', false);
      expect(result.perSecond > 15 || result.throttled > 0).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
