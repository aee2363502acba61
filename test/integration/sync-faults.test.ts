import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDue } from '../../src/connections/lease.js';
import { createConnection, findConnection, syncConnection, updateConnection } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { faults } from '../fakes/shared/faults.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { bambooConnectionBody, fastBambooHr, syncDeps } from '../support/sync-fixture.js';

/**
 * An HR API misbehaving at 3 am: every failure is retried or recorded as a failed run, and the
 * directory is never half-changed — nothing is written before every page has arrived.
 */
let database: TestDatabase;
let fake: FakeBambooHr;
let tenantId: string;
let connectionId: string;

const deps = (http: Record<string, number> = {}) => syncDeps(database.db, fake, { connectors: fastBambooHr(fake, http) });
const directoryState = async () =>
  (await query<{ n: string | number; events: string | number }>(
    database.db,
    // Directory events only: a failed run's own end (sync.failed) and the connection's status are recorded by design.
    `select (select count(*) from users where tenant_id = $1) as n,
      (select count(*) from change_events where tenant_id = $1 and resource_type in ('User', 'Group')) as events`,
    [tenantId],
  ))[0]!;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeBambooHr({ company: generateCompany({ seed: 5, size: 300 }) });
  tenantId = (await createTenant(database.db, 'faults')).id;
  connectionId = (await createConnection(deps(), tenantId, bambooConnectionBody(fake, { onboarding: 'auto' }))).id;
  const first = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
  expect(first.run.state).toBe('succeeded');
});
afterAll(async () => {
  await fake?.close();
  await database?.drop();
});
beforeEach(() => {
  fake.resetCounts();
  // Each case changes one person so a successful run has something to apply.
  const someone = fake.company.list()[10]!;
  fake.company.update(someone.id, { jobTitle: `Title ${Date.now()}` });
});

describe('throttling and transient failures are retried within the run', () => {
  it.each([
    ['429 with Retry-After', faults.tooManyRequests(1), 429],
    ['503 throttling', faults.unavailable(), 503],
    ['a 502 from their gateway', faults.serverError(502), 502],
  ])('%s once: the run succeeds on the retry', async (_name, fault, status) => {
    fake.faults.next(1, fault, 'report');
    const { run } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(run.state).toBe('succeeded');
    expect(run.counts.update).toBe(1);
    expect(fake.counts().byEndpoint.report).toBe(2);
    expect(fake.counts().byStatus[status]).toBe(1);
  });

  it('waits as long as Retry-After says before asking again', async () => {
    fake.faults.next(1, faults.tooManyRequests(1), 'report');
    const started = Date.now();
    await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a hung request after the timeout and retries', async () => {
    fake.faults.next(1, { type: 'hang' }, 'report');
    const { run } = await syncConnection(deps({ timeoutMs: 300 }), tenantId, connectionId, { mode: 'apply' });
    expect(run.state).toBe('succeeded');
    expect(fake.counts().byEndpoint.report).toBe(2);
  });

  it('respects the account rate limit across runs: one 429, then the wait, never a burst', async () => {
    fake.setRateLimit({ limit: 1, windowMs: 1000, status: 429, retryAfter: true });
    try {
      for (let i = 0; i < 2; i++) expect((await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' })).run.state).toBe('succeeded');
      expect(fake.counts().byStatus[429] ?? 0).toBeLessThanOrEqual(1);
      expect(fake.counts().byStatus[200]).toBe(2);
    } finally {
      fake.setRateLimit(undefined);
    }
  });
});

describe('failures that outlast the retries fail the run and change nothing', () => {
  it.each([
    ['a 500 (their bug: not retried within the run, the next run retries)', () => fake.faults.next(10, faults.serverError(500), 'report'), 'hr_api_down'],
    ['an HR API answering invalid JSON', () => fake.faults.next(10, { type: 'invalid_json' }, 'report'), 'sync_failed'],
    ['a rate limit that never lifts', () => fake.faults.next(10, faults.tooManyRequests(0), 'report'), 'rate_limited'],
  ])('%s: a failed run, the connection in error with a retry scheduled', async (_name, inject, reason) => {
    const before = await directoryState();
    inject();
    const { run, failure } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(run.state).toBe('failed');
    expect(run.error).toBeTruthy();
    expect(failure?.reason).toBe(reason);
    expect(await directoryState()).toEqual(before);
    const connection = await findConnection(database.db, tenantId, connectionId);
    expect(connection).toMatchObject({ status: 'error', statusReason: reason, leaseOwner: null });
    expect(connection.consecutiveFailures).toBeGreaterThanOrEqual(1);
    expect(connection.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    fake.faults.clear?.();
    // The next run, once the HR API is back, clears the error.
    const again = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
    expect(again.run.state).toBe('succeeded');
    expect(await findConnection(database.db, tenantId, connectionId)).toMatchObject({ status: 'connected', statusReason: null, consecutiveFailures: 0 });
  });

  it('a revoked API key: invalid_credentials, never retried by the scheduler until new credentials', async () => {
    fake.keys.delete(defaultKey);
    fake.keys.set('rotated-key', {});
    try {
      const before = await directoryState();
      const [{ seq }] = (await query<{ seq: string | number }>(database.db, 'select coalesce(max(seq), 0) as seq from change_events', [])) as [{ seq: string | number }];
      const { run, failure } = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
      expect(run.state).toBe('failed');
      expect(failure?.reason).toBe('invalid_credentials');
      // The feed tells the app on top: the run failed, and the connection now needs new credentials.
      const told = await query<{ type: string; payload: Record<string, unknown> }>(database.db, 'select type, payload from change_events where tenant_id = $1 and seq > $2 order by seq', [tenantId, seq]);
      expect(told.map((e) => e.type)).toEqual(['sync.failed', 'connection.status_changed']);
      expect(told[0]!.payload.resource).toMatchObject({ id: run.id, state: 'failed', error: expect.any(String) });
      expect(told[1]!.payload).toMatchObject({ resource: { id: connectionId, status: 'error', statusReason: 'invalid_credentials' }, changed: expect.arrayContaining(['statusReason']) });
      expect(fake.counts().byStatus[401]).toBe(1);
      expect(await directoryState()).toEqual(before);
      expect(await findConnection(database.db, tenantId, connectionId)).toMatchObject({ status: 'error', statusReason: 'invalid_credentials', nextRunAt: null });
      await query(database.db, `update connections set next_run_at = now() - interval '1 minute' where id = $1`, [connectionId]);
      expect(await claimDue(database.db, 'another-replica', 60)).toBeUndefined();

      await updateConnection(deps(), tenantId, connectionId, { credentials: { companyDomain: fake.company.domain, apiKey: 'rotated-key' } }, { kind: 'admin', id: 'ops' });
      expect(await findConnection(database.db, tenantId, connectionId)).toMatchObject({ status: 'connected', statusReason: null });
      const [fixed] = await query<{ type: string; source: unknown }>(database.db, 'select type, source from change_events where tenant_id = $1 order by seq desc limit 1', [tenantId]);
      expect(fixed).toEqual({ type: 'connection.status_changed', source: { kind: 'admin', id: 'ops' } });
      const again = await syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
      expect(again.run.state).toBe('succeeded');
      const [ended] = await query<{ type: string; resource_id: string }>(database.db, 'select type, resource_id from change_events where tenant_id = $1 order by seq desc limit 1', [tenantId]);
      expect(ended).toEqual({ type: 'sync.completed', resource_id: again.run.id });
    } finally {
      fake.keys.set(defaultKey, {});
    }
  });
});

describe('one run per connection at a time', () => {
  it('a second sync while one holds the lease is a conflict, not a second run', async () => {
    fake.latencyMs = 300;
    try {
      const first = syncConnection(deps(), tenantId, connectionId, { mode: 'apply' });
      await new Promise((r) => setTimeout(r, 100));
      await expect(syncConnection(syncDeps(database.db, fake, { owner: 'other-replica' }), tenantId, connectionId, { mode: 'apply' })).rejects.toMatchObject({ code: 'conflict' });
      expect((await first).run.state).toBe('succeeded');
    } finally {
      fake.latencyMs = 0;
    }
  });
});
