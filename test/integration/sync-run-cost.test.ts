import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { uuidv7 } from '../../src/db/ids.js';
import { createRunBudget } from '../../src/sync/run-budget.js';
import { INTERRUPTED } from '../../src/sync/runs.js';
import { runNextDue } from '../../src/sync/scheduler.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countStatements, type StatementCounter } from '../support/statement-count.js';
import { bambooConnectionBody, syncDeps } from '../support/sync-fixture.js';

/**
 * What one scheduled run of a 200-person company costs the database, in statements (each a round
 * trip, and a fleet of small runs is made of round trips): a first run, and a run with nothing
 * changed in HR, which reads what it must and writes only its own record and the connection's.
 */
let database: TestDatabase;
let fake: FakeBambooHr;
let deps: ConnectionDeps;
let counter: StatementCounter;
let connectionId: string;
const budget = createRunBudget(10_000);

/** The run's statements, without the driver's one-time type lookups on a fresh connection. */
let sent: string[] = [];
/** Runs the next due connection and keeps the statements it sent (without the driver's one-time type lookups on a fresh connection). */
async function runNext() {
  counter.reset();
  expect(await runNextDue(deps, budget)).toBe(true);
  sent = counter.texts().filter((t) => !t.includes('pg_catalog'));
}
/** Live progress is written by the clock (after a run's first second, every 250 ms at most): a slow machine adds some, so they are left out. */
const statements = () => sent.filter((t) => !/^update sync_runs set progress/.test(t));
const writesTo = (table: string) => sent.filter((t) => new RegExp(`(insert into|update|delete from) "?${table}"?\\b`).test(t));
const runs = () => query<{ id: string; state: string; error: string | null }>(database.db, 'select id, state, error from sync_runs where connection_id = $1 order by started_at, id', [connectionId]);
const makeDue = () => query(database.db, `update connections set next_run_at = now() - interval '1 second' where id = $1`, [connectionId]);

describe('one scheduled run of a 200-person company', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBambooHr({ company: generateCompany({ seed: 11, size: 200 }) });
    deps = { ...syncDeps(database.db, fake), batchSize: 500 };
    const tenant = await createTenant(database.db, 'run-cost');
    connectionId = (await createConnection(deps, tenant.id, bambooConnectionBody(fake, { onboarding: 'auto' }))).id;
    await query(database.db, `update connections set status = 'connected' where id = $1`, [connectionId]);
    counter = countStatements(database.db);
  });
  afterAll(async () => {
    counter?.stop();
    await fake?.close();
    await database?.drop();
  });

  it('a first run: claim, start, read, one snapshot write, one create statement, finish, outcome', async () => {
    await makeDue();
    await runNext();
    const [first] = await runs();
    expect(first?.state).toBe('succeeded');
    // claim; start; the attribute mapping in force; users and conflicts; snapshot digests; snapshot
    // write (with its size); tenant settings (two); the creates (a transaction of one statement);
    // finish; outcome. (No bank account in this company: their digests are never read.)
    expect(statements()).toHaveLength(14);
    expect(writesTo('snapshot_employees')).toHaveLength(1);
    const [connection] = await query<{ snapshot_employees: number }>(database.db, 'select snapshot_employees from connections where id = $1', [connectionId]);
    expect(connection?.snapshot_employees).toBe(200);
  });

  it('a run with nothing changed writes no snapshot, no user, no transaction: eight statements', async () => {
    const [first] = await runs();
    await makeDue();
    await runNext();
    const all = await runs();
    expect(all.map((r) => r.state)).toEqual(['succeeded', 'succeeded']);
    // claim; start; the attribute mapping in force; users and conflicts; snapshot digests; finish
    // (with its event); outcome.
    expect(statements()).toHaveLength(8);
    expect(writesTo('snapshot_employees')).toEqual([]);
    expect(writesTo('users')).toEqual([]);
    expect(statements().filter((t) => /^(begin|commit)/i.test(t))).toEqual([]);
    const snapshot = await query<{ run_id: string; n: number }>(database.db, 'select run_id, count(*)::int as n from snapshot_employees where connection_id = $1 group by run_id', [connectionId]);
    expect(snapshot).toEqual([{ run_id: first!.id, n: 200 }]);
  });

  it('a run its process left running is failed, with its event, by the statement that starts the next', async () => {
    const [tenant] = await query<{ tenant_id: string }>(database.db, 'select tenant_id from connections where id = $1', [connectionId]);
    const orphan = uuidv7();
    await query(database.db, `insert into sync_runs (id, tenant_id, connection_id, mode, trigger) values ($1, $2, $3, 'apply', 'schedule')`, [orphan, tenant!.tenant_id, connectionId]);
    await makeDue();
    await runNext();
    expect(statements()).toHaveLength(8);
    const after = await runs();
    expect(after.find((r) => r.id === orphan)).toEqual({ id: orphan, state: 'failed', error: INTERRUPTED });
    expect(after.filter((r) => r.state === 'running')).toEqual([]);
    const events = await query<{ type: string; state: string; error: string }>(
      database.db,
      `select type, payload -> 'resource' ->> 'state' as state, payload -> 'resource' ->> 'error' as error from change_events where resource_id = $1`,
      [orphan],
    );
    expect(events).toEqual([{ type: 'sync.failed', state: 'failed', error: INTERRUPTED }]);
  });
});
