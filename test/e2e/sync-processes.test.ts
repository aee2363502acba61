import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, syncConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/database.js';
import { testAllowedBaseUrls, testEgress } from '../support/egress.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { bambooConnectionBody } from '../support/sync-fixture.js';

/**
 * Real server processes sharing one PostgreSQL: the scheduler's leases keep a connection to one
 * run at a time across replicas, and a replica killed mid-apply leaves nothing the next run
 * cannot converge from. (The embedded store admits one process, so these need PostgreSQL.)
 */
const secretHex = randomBytes(32).toString('hex');
let database: TestDatabase;
let fake: FakeBambooHr;
const servers: ServerProcess[] = [];

// Production connectors and clock, as the server processes use them.
const deps = (): ConnectionDeps => ({ db: database.db, secretKey: Buffer.from(secretHex, 'hex'), owner: 'test', leaseSeconds: 60, egress: testEgress, allowedBaseUrls: testAllowedBaseUrls });

async function startReplica(extra: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess({
    expectToken: false,
    env: { DATABASE_URL: database.url!, ROLLCALL_SECRET_KEY: secretHex, SYNC_POLL_SECONDS: '0.5', SYNC_LEASE_SECONDS: '5', ...extra },
  });
  servers.push(server);
  return server;
}

async function dueConnection(slug: string): Promise<{ tenantId: string; connectionId: string }> {
  const tenantId = (await createTenant(database.db, slug)).id;
  const connectionId = (await createConnection(deps(), tenantId, bambooConnectionBody(fake, { onboarding: 'auto' }))).id;
  // As after a first "Save & apply": connected and due now.
  await query(database.db, `update connections set status = 'connected', next_run_at = now() where id = $1`, [connectionId]);
  return { tenantId, connectionId };
}

interface RunRow {
  id: string;
  state: string;
  error: string | null;
  counts: Record<string, number>;
  progress: Record<string, number>;
  started_at: Date | string;
  finished_at: Date | string | null;
}
const runsOf = (connectionId: string) => query<RunRow>(database.db, 'select id, state, error, counts, progress, started_at, finished_at from sync_runs where connection_id = $1 order by started_at', [connectionId]);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!testDatabaseUrl)('HR sync across server processes on one PostgreSQL', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBambooHr({ company: generateCompany({ seed: 11, size: 2000 }) });
  });
  afterAll(async () => {
    for (const server of servers) await server.stop().catch(() => {});
    await fake?.close();
    await database?.drop();
  });

  it('two replicas polling the same due connection run it exactly once', async () => {
    const { connectionId } = await dueConnection('two-replicas');
    fake.resetCounts();
    fake.latencyMs = 1500; // a slow HR API: the second replica polls several times while the first runs
    try {
      await Promise.all([startReplica(), startReplica()]);
      const done = await until('the run to finish', async () => (await runsOf(connectionId)).find((r) => r.state === 'succeeded'));
      await new Promise((r) => setTimeout(r, 2_000));
      const runs = await runsOf(connectionId);
      expect(runs).toHaveLength(1);
      expect(done.counts.create).toBeGreaterThan(1500);
      expect(fake.counts().byEndpoint.report).toBe(1);
      const [connection] = await query<{ lease_owner: string | null; next_run_at: Date | string }>(database.db, 'select lease_owner, next_run_at from connections where id = $1', [connectionId]);
      expect(connection!.lease_owner).toBeNull();
      expect(new Date(connection!.next_run_at).getTime()).toBeGreaterThan(Date.now() + 170 * 60_000);
    } finally {
      fake.latencyMs = 0;
      for (const server of servers.splice(0)) await server.stop();
    }
  });

  it('a replica killed during apply: the next run on another replica converges, with no duplicates', async () => {
    const { tenantId, connectionId } = await dueConnection('crash');
    // One user per transaction stretches the apply phase over some 2,000 commits, and the kill comes
    // with the first users committed: the run records its progress only a few times a second, too
    // seldom to wait for.
    const doomed = await startReplica({ SYNC_BATCH_SIZE: '1' });
    const usersOfTenant = async () => Number((await query<{ n: string | number }>(database.db, 'select count(*) as n from users where tenant_id = $1', [tenantId]))[0]!.n);
    await until('the apply to be under way', async () => ((await usersOfTenant()) > 0 ? true : undefined));
    await doomed.kill();
    const interrupted = (await runsOf(connectionId)).find((r) => r.state === 'running')!;
    expect(interrupted).toBeDefined();
    const applied = await usersOfTenant();
    expect(applied).toBeGreaterThan(0);
    // Killed with the first commits: far fewer than the 1,900-odd the run planned.
    expect(applied).toBeLessThan(1500);

    await startReplica();
    const converged = await until('a run to succeed after the crash', async () => (await runsOf(connectionId)).find((r) => r.state === 'succeeded'), 90_000);
    const runs = await runsOf(connectionId);
    expect(runs.find((r) => r.id === interrupted.id)).toMatchObject({ state: 'failed', error: expect.stringContaining('interrupted') });
    // Everything the killed run committed is recognised by its remote id: only the rest is created.
    // (Reports whose manager the killed run never reached are updated to the manager created now.)
    const { create = 0, unchanged = 0, update = 0 } = converged.counts;
    expect(create).toBe(create + unchanged + update - applied);
    expect(create + unchanged + update).toBeGreaterThan(1500);
    const duplicates = await query(
      database.db,
      `select remote_id from users where tenant_id = $1 group by remote_id having count(*) > 1
       union all select lower(user_name) from users where tenant_id = $1 group by lower(user_name) having count(*) > 1`,
      [tenantId],
    );
    expect(duplicates).toEqual([]);
    for (const server of servers.splice(0)) await server.stop();

    const after = await syncConnection(deps(), tenantId, connectionId, { mode: 'preview' });
    expect(after.plan!.counts).toMatchObject({ create: 0, update: 0, link: 0, archive: 0 });
  });
});
