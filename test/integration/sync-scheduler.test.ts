import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { query } from '../../src/db/client.js';
import { startScheduler, type Scheduler } from '../../src/sync/scheduler.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { bambooHrBaseUrl } from '../../connectors/bamboohr/connector.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startGateProxy, type GateProxy } from '../support/gate-proxy.js';
import { bambooConnectionBody, fastBambooHr, syncDeps } from '../support/sync-fixture.js';

/**
 * The scheduler's slots on one replica (and two in one process): how many runs at once, which
 * connection goes next, and leases that hold while a run waits on a slow HR API. HR requests pass
 * through gates the test opens, so every assertion is about counts and order, never time.
 */
let database: TestDatabase;
let fake: FakeBambooHr;
const proxies: GateProxy[] = [];
const schedulers: Scheduler[] = [];

const deps = (overrides: Partial<ConnectionDeps> = {}): ConnectionDeps =>
  // Held requests wait as long as the test needs: no connector timeout in between.
  syncDeps(database.db, fake, { connectors: fastBambooHr(fake, { timeoutMs: 60_000 }), ...overrides });

async function gate(): Promise<GateProxy> {
  const proxy = await startGateProxy(fake.url);
  proxies.push(proxy);
  return proxy;
}

let slugs = 0;
/** A tenant with a connection through `proxy`, connected and not yet due. */
async function tenantWithConnection(proxy: GateProxy, tenantId?: string): Promise<{ tenantId: string; connectionId: string }> {
  const tenant = tenantId ?? (await createTenant(database.db, `fleet-${++slugs}`)).id;
  const baseUrl = bambooHrBaseUrl({ companyDomain: fake.company.domain, hostStyle: 'subdomain' }, proxy.url);
  const connectionId = (await createConnection(deps(), tenant, bambooConnectionBody(fake, { onboarding: 'auto', baseUrl }))).id;
  await query(database.db, `update connections set status = 'connected', next_run_at = null where id = $1`, [connectionId]);
  return { tenantId: tenant, connectionId };
}

/** Due `minutesAgo` minutes ago: the older, the sooner it should run. */
const dueSince = (connectionId: string, minutesAgo: number) =>
  query(database.db, `update connections set next_run_at = now() - make_interval(secs => $2::float8 * 60) where id = $1`, [connectionId, minutesAgo]);

function schedule(options: { concurrency: number; memoryBudgetMb?: number; owner?: string; leaseSeconds?: number; pollSeconds?: number }): Scheduler {
  const scheduler = startScheduler(deps({ owner: options.owner ?? 'replica-a', leaseSeconds: options.leaseSeconds ?? 60 }), {
    pollSeconds: options.pollSeconds ?? 0.05,
    concurrency: options.concurrency,
    memoryBudgetMb: options.memoryBudgetMb ?? 10_000,
  });
  schedulers.push(scheduler);
  return scheduler;
}

async function stopSchedulers() {
  for (const proxy of proxies) proxy.open();
  for (const scheduler of schedulers.splice(0)) await scheduler.stop();
}

interface Run {
  connection_id: string;
  state: string;
  started_at: Date | string;
  finished_at: Date | string | null;
}
const runsOf = async (ids: string[]) =>
  (await query<Run>(database.db, 'select connection_id, state, started_at, finished_at from sync_runs where connection_id = any($1::uuid[]) order by started_at', [ids])).map((r) => ({
    ...r,
    started: new Date(r.started_at).getTime(),
    finished: r.finished_at === null ? Infinity : new Date(r.finished_at).getTime(),
  }));

/** The most runs whose recorded lifetimes overlap (a run that ends as another starts does not count twice). */
function mostAtOnce(runs: { started: number; finished: number }[]): number {
  const edges = runs.flatMap((r) => [{ at: r.started, d: 1 }, { at: r.finished, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  return most;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const allSucceeded = (ids: string[]) => until(`${ids.length} runs to succeed`, async () => ((await runsOf(ids)).filter((r) => r.state === 'succeeded').length >= ids.length ? true : undefined));
/** Gives the slots many polls in which to break a rule, before the test checks it held. */
const letThemPoll = () => new Promise((r) => setTimeout(r, 600));

describe('the scheduler on one replica', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBambooHr({ company: generateCompany({ seed: 7, size: 30 }) });
  });
  afterAll(async () => {
    await stopSchedulers();
    for (const proxy of proxies) await proxy.stop();
    await fake?.close();
    await database?.drop();
  });

  it('never runs more than SYNC_CONCURRENCY at once, and uses every slot', async () => {
    const proxy = await gate();
    const fleet = [];
    for (let i = 0; i < 7; i++) fleet.push(await tenantWithConnection(proxy));
    const ids = fleet.map((c) => c.connectionId);
    try {
      proxy.close(/reports\/custom/);
      for (const [i, id] of ids.entries()) await dueSince(id, 10 - i);
      schedule({ concurrency: 3 });
      await proxy.untilHeld(3);
      await letThemPoll();
      expect(proxy.held()).toBe(3);
      const started = await runsOf(ids);
      expect(started).toHaveLength(3);
      // Oldest due first.
      expect(started.map((r) => r.connection_id).sort()).toEqual(ids.slice(0, 3).sort());
      proxy.open();
      await allSucceeded(ids);
      const runs = await runsOf(ids);
      expect(runs).toHaveLength(7);
      expect(proxy.maxHeld()).toBe(3);
      expect(mostAtOnce(runs)).toBeLessThanOrEqual(3);
    } finally {
      await stopSchedulers();
    }
  });

  it("a tenant's long run holds one slot: other tenants run meanwhile, before that tenant's next connection", async () => {
    const slow = await gate();
    const direct = await gate();
    const whale = await tenantWithConnection(slow);
    const whaleSecond = await tenantWithConnection(direct, whale.tenantId);
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await tenantWithConnection(direct));
    const everyone = [whale, whaleSecond, ...others].map((c) => c.connectionId);
    try {
      slow.close(/reports\/custom/);
      await dueSince(whale.connectionId, 20);
      const scheduler = schedule({ concurrency: 2 });
      await slow.untilHeld(1);
      // The whale's tenant has another connection due before anyone else's.
      await dueSince(whaleSecond.connectionId, 10);
      for (const [i, c] of others.entries()) await dueSince(c.connectionId, 9 - i);
      scheduler.wake();
      await allSucceeded([whaleSecond, ...others].map((c) => c.connectionId));

      const runs = await runsOf(everyone);
      expect(runs.find((r) => r.connection_id === whale.connectionId)?.state).toBe('running');
      // One slot did everything else: the other tenants in due order, then (the slot being idle) the whale's tenant's second connection.
      expect(runs.filter((r) => r.connection_id !== whale.connectionId).map((r) => r.connection_id)).toEqual([...others.map((c) => c.connectionId), whaleSecond.connectionId]);
      slow.open();
      await allSucceeded(everyone);
      expect(mostAtOnce(await runsOf(everyone))).toBeLessThanOrEqual(2);
    } finally {
      await stopSchedulers();
    }
  });

  it('a run waiting on its HR API keeps its lease past its length; a dead replica’s lapsed lease is taken over', async () => {
    const slow = await gate();
    const direct = await gate();
    const longRun = await tenantWithConnection(slow);
    const orphan = await tenantWithConnection(direct);
    try {
      slow.close(/reports\/custom/);
      await dueSince(longRun.connectionId, 5);
      schedule({ concurrency: 1, owner: 'replica-a', leaseSeconds: 1 });
      await slow.untilHeld(1);
      // A second replica polls all along; three lease lengths pass while the run waits.
      schedule({ concurrency: 2, owner: 'replica-b', leaseSeconds: 1 });
      await new Promise((r) => setTimeout(r, 3_000));
      // Left behind by a replica that died mid-run: its lease lapsed a moment ago.
      await query(database.db, `update connections set next_run_at = now() - interval '1 minute', lease_owner = 'dead-replica', lease_until = now() - interval '1 second' where id = $1`, [orphan.connectionId]);
      await allSucceeded([orphan.connectionId]);
      slow.open();
      await allSucceeded([longRun.connectionId]);
      const runs = await runsOf([longRun.connectionId, orphan.connectionId]);
      expect(runs.map((r) => [r.connection_id, r.state])).toEqual([
        [longRun.connectionId, 'succeeded'],
        [orphan.connectionId, 'succeeded'],
      ]);
      expect(slow.maxHeld()).toBe(1);
    } finally {
      await stopSchedulers();
    }
  });

  it('a slot claims its next connection as its run ends, never waiting for the next poll', async () => {
    const proxy = await gate();
    const fleet = [];
    for (let i = 0; i < 4; i++) fleet.push(await tenantWithConnection(proxy));
    const ids = fleet.map((c) => c.connectionId);
    try {
      for (const [i, id] of ids.entries()) await dueSince(id, 10 - i);
      // One slot and a poll far longer than the test may take: only claiming on release can run all four.
      schedule({ concurrency: 1, pollSeconds: 3600 });
      await allSucceeded(ids);
      const runs = await runsOf(ids);
      expect(runs.map((r) => r.connection_id)).toEqual(ids);
      expect(mostAtOnce(runs)).toBe(1);
    } finally {
      await stopSchedulers();
    }
  });

  it('two replicas claiming from one queue at once: each connection once, the oldest due first, every slot busy', async () => {
    const proxy = await gate();
    const fleet = [];
    for (let i = 0; i < 8; i++) fleet.push(await tenantWithConnection(proxy));
    const ids = fleet.map((c) => c.connectionId);
    try {
      proxy.close(/reports\/custom/);
      for (const [i, id] of ids.entries()) await dueSince(id, 20 - i);
      schedule({ concurrency: 2, owner: 'replica-a' });
      schedule({ concurrency: 2, owner: 'replica-b' });
      // Four slots across two replicas hold the four oldest; nobody waits on another's claim.
      await proxy.untilHeld(4);
      await letThemPoll();
      expect(proxy.held()).toBe(4);
      expect((await runsOf(ids)).map((r) => r.connection_id).sort()).toEqual(ids.slice(0, 4).sort());
      proxy.open();
      await allSucceeded(ids);
      const runs = await runsOf(ids);
      expect(runs).toHaveLength(8);
      expect(new Set(runs.map((r) => r.connection_id)).size).toBe(8);
      expect(mostAtOnce(runs)).toBeLessThanOrEqual(4);
    } finally {
      await stopSchedulers();
    }
  });

  it('the memory budget admits runs by their expected size: first runs one at a time, small no-change runs together', async () => {
    const proxy = await gate();
    const fleet = [];
    for (let i = 0; i < 3; i++) fleet.push(await tenantWithConnection(proxy));
    const ids = fleet.map((c) => c.connectionId);
    try {
      // A first run is expected at 10,000 employees (about 41 MB): a 16 MB budget holds one at a time.
      proxy.close();
      for (const id of ids) await dueSince(id, 5);
      schedule({ concurrency: 3, memoryBudgetMb: 16 });
      await proxy.untilHeld(1);
      await letThemPoll();
      expect(proxy.held()).toBe(1);
      proxy.open();
      await allSucceeded(ids);
      expect(proxy.maxHeld()).toBe(1);
      expect(mostAtOnce(await runsOf(ids))).toBe(1);

      // Now each has a 30-employee snapshot (about 2 MB): all three fit.
      proxy.close();
      for (const id of ids) await dueSince(id, 5);
      await proxy.untilHeld(3);
      proxy.open();
      await until('the second runs', async () => ((await runsOf(ids)).filter((r) => r.state === 'succeeded').length === 6 ? true : undefined));
    } finally {
      await stopSchedulers();
    }
  });
});
