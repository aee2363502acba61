import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/database.js';
import { testAllowedBaseUrls, testEgress } from '../support/egress.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { bambooConnectionBody } from '../support/sync-fixture.js';

/**
 * A small fleet shared by two real server processes, each running several syncs at once on one
 * PostgreSQL: every connection runs exactly once, never two replicas on one connection, and each
 * replica stays within its database pool. (The embedded store admits one process: PostgreSQL only.)
 */
const secretHex = randomBytes(32).toString('hex');
const REPLICAS = 2;
const CONCURRENCY = 3;
const POOL = 6;
const CONNECTIONS = 12;
let database: TestDatabase;
let fake: FakeBambooHr;
const servers: ServerProcess[] = [];

const deps = (): ConnectionDeps => ({ db: database.db, secretKey: Buffer.from(secretHex, 'hex'), owner: 'test', leaseSeconds: 60, egress: testEgress, allowedBaseUrls: testAllowedBaseUrls });

interface Run {
  connection_id: string;
  state: string;
  started_at: Date | string;
  finished_at: Date | string | null;
}

describe.skipIf(!testDatabaseUrl)('a fleet of HR connections across server processes', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBambooHr({ company: generateCompany({ seed: 5, size: 50 }) });
  });
  afterAll(async () => {
    for (const server of servers) await server.stop().catch(() => {});
    await fake?.close();
    await database?.drop();
  });

  it(`${REPLICAS} replicas × SYNC_CONCURRENCY=${CONCURRENCY}: each connection runs once, one replica at a time, within each pool`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const tenantId = (await createTenant(database.db, `fleet-${i}`)).id;
      ids.push((await createConnection(deps(), tenantId, bambooConnectionBody(fake, { onboarding: 'auto' }))).id);
    }
    // Backends of this test's own pool, open before the replicas start and counted out below.
    const sampler = postgres(database.url!, { max: 1, onnotice: () => {}, connection: { application_name: 'fleet-sampler' } });
    const dbName = new URL(database.url!).pathname.slice(1);
    const rollcallBackends = async () => Number((await sampler<{ n: string }[]>`select count(*)::int as n from pg_stat_activity where datname = ${dbName} and application_name = 'rollcall'`)[0]!.n);
    const baseline = await rollcallBackends();
    let most = 0;
    let sampling = true;
    const samples = (async () => {
      while (sampling) {
        most = Math.max(most, (await rollcallBackends()) - baseline);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    fake.resetCounts();
    // A slow HR API: runs overlap, and a replica polls many times while another's run is under way.
    fake.latencyMs = 300;
    try {
      for (let i = 0; i < REPLICAS; i++) {
        const server = await startServerProcess({
          expectToken: false,
          env: { DATABASE_URL: database.url!, ROLLCALL_SECRET_KEY: secretHex, SYNC_POLL_SECONDS: '0.2', SYNC_LEASE_SECONDS: '5', SYNC_CONCURRENCY: String(CONCURRENCY), DB_POOL_SIZE: String(POOL) },
        });
        servers.push(server);
      }
      await query(database.db, `update connections set status = 'connected', next_run_at = now() where id = any($1::uuid[])`, [ids]);
      const deadline = Date.now() + 120_000;
      let runs: Run[] = [];
      while (Date.now() < deadline) {
        runs = await query<Run>(database.db, 'select connection_id, state, started_at, finished_at from sync_runs where connection_id = any($1::uuid[])', [ids]);
        if (runs.filter((r) => r.state === 'succeeded').length === CONNECTIONS) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // Time for a second claim of anything, had a lease not held.
      await new Promise((r) => setTimeout(r, 1_500));
      runs = await query<Run>(database.db, 'select connection_id, state, started_at, finished_at from sync_runs where connection_id = any($1::uuid[])', [ids]);
      expect(runs.filter((r) => r.state === 'succeeded')).toHaveLength(CONNECTIONS);
      expect(new Set(runs.map((r) => r.connection_id)).size).toBe(CONNECTIONS);
      expect(runs).toHaveLength(CONNECTIONS);
      // Each run read the HR system once: no connection was run twice, even partly.
      expect(fake.counts().byEndpoint.report).toBe(CONNECTIONS);
      const edges = runs
        .flatMap((r) => [{ at: new Date(r.started_at).getTime(), d: 1 }, { at: new Date(r.finished_at!).getTime(), d: -1 }])
        .sort((a, b) => a.at - b.at || a.d - b.d);
      let now = 0;
      let overlapping = 0;
      for (const e of edges) overlapping = Math.max(overlapping, (now += e.d));
      expect(overlapping).toBeLessThanOrEqual(REPLICAS * CONCURRENCY);
      const leases = await query<{ n: number }>(database.db, 'select count(*)::int as n from connections where id = any($1::uuid[]) and lease_owner is not null', [ids]);
      expect(leases[0]!.n).toBe(0);
    } finally {
      sampling = false;
      await samples;
      await sampler.end();
      fake.latencyMs = 0;
      for (const server of servers.splice(0)) await server.stop();
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(REPLICAS * POOL);
    // Two server processes to start and a 120-second deadline for the fleet: the default 30 s is less than the test's own wait on a busy machine.
  }, 180_000);
});
