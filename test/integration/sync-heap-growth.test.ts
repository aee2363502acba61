import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, syncConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { heapGrowth } from '../../src/memory.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { faults } from '../fakes/shared/faults.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { bambooConnectionBody, syncDeps } from '../support/sync-fixture.js';

/**
 * The heap's growth limit (HEAP_GROWTH_PERCENT) holds while a run that may be large is in
 * progress, and only then: a first run's size is unknown, so it counts as large; the next run of
 * the same 200-person company is small, and leaves V8 its own heuristics.
 */
let database: TestDatabase;
let fake: FakeBambooHr;
let deps: ConnectionDeps;
let tenantId: string;
let connectionId: string;

/** Runs the connection now and says whether the limit held while it ran. */
async function limitedDuringRun(): Promise<boolean> {
  let during: boolean | undefined;
  const result = await syncConnection(deps, tenantId, connectionId, { mode: 'apply', onStart: () => (during = heapGrowth.limited()) });
  expect(result.run.state).toBe('succeeded');
  return during!;
}

describe('heap growth limit during sync runs', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBambooHr({ company: generateCompany({ seed: 21, size: 200 }) });
    deps = syncDeps(database.db, fake);
    tenantId = (await createTenant(database.db, 'heap-growth')).id;
    connectionId = (await createConnection(deps, tenantId, bambooConnectionBody(fake, { onboarding: 'auto' }))).id;
    await query(database.db, `update connections set status = 'connected' where id = $1`, [connectionId]);
    heapGrowth.configure(10);
  });
  afterAll(async () => {
    heapGrowth.configure(0);
    await fake?.close();
    await database?.drop();
  });

  it('a first run holds the limit while it runs and gives it back', async () => {
    expect(heapGrowth.limited()).toBe(false);
    expect(await limitedDuringRun()).toBe(true);
    expect(heapGrowth.limited()).toBe(false);
  });

  it('a run of a company known to be small leaves the heap to V8', async () => {
    expect(await limitedDuringRun()).toBe(false);
    expect(heapGrowth.limited()).toBe(false);
  });

  it('a run that fails gives the limit back too', async () => {
    await query(database.db, `update connections set snapshot_employees = null where id = $1`, [connectionId]);
    fake.faults.next(50, faults.serverError(500), 'report');
    let during: boolean | undefined;
    const result = await syncConnection(deps, tenantId, connectionId, { mode: 'apply', onStart: () => (during = heapGrowth.limited()) });
    fake.faults.clear();
    expect(result.run.state).toBe('failed');
    expect(during).toBe(true);
    expect(heapGrowth.limited()).toBe(false);
  });
});
