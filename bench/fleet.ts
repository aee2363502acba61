import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { BenchConfig } from './config.js';
import { createFleet, startFleetFake, type FleetFake } from './fleet-setup.js';
import { cpuMs } from './cpu.js';
import { gcSeconds, gcSpentMs } from './gc-time.js';
import { processMemory } from './memory.js';
import { createDatabase, startBenchServer, type BenchServer } from './server.js';
import { percentile } from './stats.js';

/**
 * Targets: the no-change fleet completes in ≤ 5 minutes on one replica; three replicas take
 * ≤ 45 % of one replica's time; no tenant waits (due → started) more than twice the median.
 */
export const FLEET_TARGETS = { noChangeOneReplicaMs: 5 * 60_000, scaleOutRatio: 0.45, waitRatio: 2 };

export interface FleetPhase {
  name: 'first' | 'no change';
  runs: number;
  failed: number;
  /** Runs that read only what changed in HR. */
  incremental: number;
  /** All due at once → the last run finished. */
  wallMs: number;
  runsPerMinute: number;
  /** Due → the run started, per connection (one per tenant). */
  waitMedianMs: number;
  waitMaxMs: number;
  hrRequests: number;
  /** Highest resident set of each replica seen during the phase (sampled each second). */
  peakRssMb: number[];
  /** Most backends the replicas held on PostgreSQL at once (pg_stat_activity, sampled each second). */
  pgConnections: number;
  /** CPU per run, ms: the replicas' processes, and the PostgreSQL backends serving them (kernel accounting; steadier than wall time on a shared machine). */
  serverCpuMsPerRun?: number;
  dbCpuMsPerRun?: number;
  /** Of the replicas' CPU per run, ms the main thread paused for full (mark-compact) collections and for the others (scavenges, incremental steps); the collector's helper threads are not in it. */
  gcMsPerRun: { major: number; other: number };
  /** CPU per run of this process, which hosts the fake HR server (and samples once a second): if it nears one core's share, the fake is what limits the fleet. */
  fakeCpuMsPerRun: number;
  loadAverage: number;
}

export interface FleetOutcome {
  connections: number;
  employees: number;
  latencyMs: number;
  /** Replicas → their two phases; each replica count on a fresh database. */
  byReplicas: { replicas: number; serverEnv: Record<string, string>; phases: FleetPhase[]; peakRssMb: number[] }[];
}

const SAMPLE_MS = 1_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The fleet: `fleetConnections` tenants, each with a BambooHR connection to a company of
 * `fleetEmployees` people on one fake server answering every request after `fleetLatencyMs`.
 * On one replica, then on `fleetReplicas` (real server processes on one PostgreSQL), every
 * connection is made due at once (its next_run_at set in the database, as the schedule would),
 * twice: the first runs (everyone created), then runs with nothing changed in HR.
 */
export async function benchFleet(config: BenchConfig, log: (line: string) => void): Promise<FleetOutcome> {
  log(`  generating ${config.fleetConnections} companies of ${config.fleetEmployees} employees`);
  const fleet = await startFleetFake(config.fleetConnections, config.fleetEmployees);
  const outcome: FleetOutcome = { connections: config.fleetConnections, employees: config.fleetEmployees, latencyMs: config.fleetLatencyMs, byReplicas: [] };
  try {
    for (const replicas of [...new Set([1, config.fleetReplicas])]) {
      outcome.byReplicas.push(await onReplicas(config, fleet, replicas, log));
    }
  } finally {
    await fleet.fake.close();
  }
  return outcome;
}

async function onReplicas(config: BenchConfig, fleet: FleetFake, replicas: number, log: (line: string) => void): Promise<FleetOutcome['byReplicas'][number]> {
  const database = await createDatabase(config.postgresUrl);
  const secretKeyHex = randomBytes(32).toString('hex');
  const extraEnv: Record<string, string> = { SYNC_POLL_SECONDS: '1' };
  if (config.fleetConcurrency) extraEnv.SYNC_CONCURRENCY = String(config.fleetConcurrency);
  // A pool of twice the slots, or the default 10: half of it for requests.
  const pool = config.fleetConcurrency ? Math.max(10, 2 * config.fleetConcurrency) : undefined;
  const servers: BenchServer[] = [];
  const dataDirs: string[] = [];
  const sql = postgres(database.url, { max: 1, onnotice: () => {}, connection: { application_name: 'rollcall-bench' } });
  try {
    // One at a time: the first migrates the fresh database.
    for (let i = 0; i < replicas; i++) {
      // The first start's token file goes to a directory of the replica's own, removed with it.
      const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-fleet-'));
      dataDirs.push(dataDir);
      servers.push(await startBenchServer('postgres', config, pool, { ...extraEnv, DATA_DIR: dataDir }, { databaseUrl: database.url, secretKeyHex }));
    }
    log(`  [${replicas} replica${replicas > 1 ? 's' : ''}] ${config.fleetConnections} connections`);
    const ids = await createFleet(database.url, secretKeyHex, fleet);
    fleet.fake.latencyMs = config.fleetLatencyMs;
    const phases: FleetPhase[] = [];
    for (const name of ['first', 'no change'] as const) {
      if (name === 'no change') await settle(servers[0]!, log);
      const phase = await runPhase(sql, name, ids, fleet, servers);
      phases.push(phase);
      log(
        `    ${name.padEnd(9)} ${round1(phase.wallMs / 1000)} s, ${phase.runsPerMinute} runs/min, wait median ${round1(phase.waitMedianMs / 1000)} s max ${round1(phase.waitMaxMs / 1000)} s, ` +
          `${phase.failed} failed, ${phase.incremental} incremental, ${phase.hrRequests} HR requests, peak RSS ${phase.peakRssMb.join('/')} MB, ${phase.pgConnections} PostgreSQL connections, ` +
          `CPU per run ${phase.serverCpuMsPerRun ?? '?'} ms replicas (GC pauses ${phase.gcMsPerRun.major} ms full + ${phase.gcMsPerRun.other} ms other) + ${phase.dbCpuMsPerRun ?? '?'} ms PostgreSQL + ${phase.fakeCpuMsPerRun} ms fake HR, load ${phase.loadAverage}`,
      );
    }
    return { replicas, serverEnv: { ...servers[0]!.settings, DATA_DIR: '(temporary)' }, phases, peakRssMb: servers.map((s) => processMemory(s.pid).peakRssMb) };
  } finally {
    fleet.fake.latencyMs = 0;
    await sql.end();
    for (const server of servers) await server.stop().catch(() => {});
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await database.drop();
  }
}

/**
 * Between the first runs and the next: the schedule brings the no-change runs hours later, and by
 * then autovacuum has vacuumed and analyzed what the first runs wrote (hundreds of thousands of
 * rows). Without it they would read tables whose statistics say "empty" and whose fresh rows
 * every read must still check for visibility: the minute after the import, not the next run.
 */
async function settle(server: BenchServer, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  await server.settle();
  log(`    (VACUUM ANALYZE before the no-change runs, as autovacuum would in the hours between: ${round1((Date.now() - started) / 1000)} s)`);
}

async function runPhase(sql: postgres.Sql, name: FleetPhase['name'], ids: string[], fleet: FleetFake, servers: BenchServer[]): Promise<FleetPhase> {
  const requestsBefore = fleet.fake.counts().total;
  const peakRss = servers.map(() => 0);
  let pgConnections = 0;
  const db = (await sql<{ db: string }[]>`select current_database() as db`)[0]!.db;
  // CPU is read from /proc: each replica's process, and every backend the replicas hold (sampled each
  // second, the last reading kept, so a backend the pool closes mid-phase still counts).
  const serverCpu = () => servers.reduce((sum, s) => sum + (cpuMs(s.pid) ?? NaN), 0);
  const backendCpu = new Map<number, { start: number; last: number }>();
  const sampleBackends = async () => {
    const pids = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${db} and application_name = 'rollcall'`;
    for (const { pid } of pids) {
      const ms = cpuMs(pid);
      if (ms === undefined) continue;
      const seen = backendCpu.get(pid);
      if (seen) seen.last = ms;
      else backendCpu.set(pid, { start: ms, last: ms });
    }
    return pids.length;
  };
  await sampleBackends();
  const gcOf = () => Promise.all(servers.map((s) => gcSeconds(new URL(s.scimUrl).origin)));
  const gcBefore = await gcOf();
  const serverCpuBefore = serverCpu();
  const fakeCpuBefore = process.cpuUsage();
  // Everyone due at the same instant: the fleet's worst hour (a deploy, an outage that ends).
  const { due } = (await sql<{ due: Date }[]>`update connections set next_run_at = now() where id = any(${ids}::uuid[]) returning next_run_at as due`)[0]!;
  const deadline = Date.now() + 2 * 3600_000;
  for (;;) {
    servers.forEach((s, i) => (peakRss[i] = Math.max(peakRss[i]!, processMemory(s.pid).idleRssMb)));
    pgConnections = Math.max(pgConnections, await sampleBackends());
    const { done } = (await sql<{ done: number }[]>`select count(*)::int as done from sync_runs where started_at >= ${due} and state <> 'running'`)[0]!;
    if (done >= ids.length) break;
    if (Date.now() > deadline) throw new Error(`fleet phase ${name}: only ${done} of ${ids.length} runs finished within 2 hours`);
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
  }
  const runs = await sql<{ wait_ms: number; end_ms: number; state: string; incremental: number | null }[]>`
    select extract(epoch from (started_at - ${due}::timestamptz)) * 1000 as wait_ms, extract(epoch from (finished_at - ${due}::timestamptz)) * 1000 as end_ms,
      state, (progress ->> 'incremental')::int as incremental
    from sync_runs where started_at >= ${due}`;
  const serverCpuSpent = serverCpu() - serverCpuBefore;
  const gc = gcSpentMs(gcBefore, await gcOf());
  const fakeCpu = process.cpuUsage(fakeCpuBefore);
  await sampleBackends();
  const dbCpuSpent = [...backendCpu.values()].reduce((sum, b) => sum + b.last - b.start, 0);
  const waits = Float64Array.from(runs.map((r) => Number(r.wait_ms))).sort();
  const wallMs = Math.max(...runs.map((r) => Number(r.end_ms)));
  return {
    name,
    runs: runs.length,
    failed: runs.filter((r) => r.state !== 'succeeded').length,
    incremental: runs.filter((r) => r.incremental === 1).length,
    wallMs: Math.round(wallMs),
    runsPerMinute: Math.round((runs.length / wallMs) * 60_000),
    waitMedianMs: Math.round(percentile(waits, 50)),
    waitMaxMs: Math.round(waits.at(-1) ?? 0),
    hrRequests: fleet.fake.counts().total - requestsBefore,
    peakRssMb: peakRss,
    pgConnections,
    ...(Number.isFinite(serverCpuSpent) && runs.length > 0 ? { serverCpuMsPerRun: round1(serverCpuSpent / runs.length) } : {}),
    ...(backendCpu.size > 0 && runs.length > 0 ? { dbCpuMsPerRun: round1(dbCpuSpent / runs.length) } : {}),
    gcMsPerRun: { major: round1(gc.majorMs / Math.max(1, runs.length)), other: round1(gc.otherMs / Math.max(1, runs.length)) },
    fakeCpuMsPerRun: round1((fakeCpu.user + fakeCpu.system) / 1000 / Math.max(1, runs.length)),
    loadAverage: round1(loadavg()[0]!),
  };
}

/** The targets this outcome misses (empty when all are met). */
export function fleetMisses(outcome: FleetOutcome): string[] {
  const missed: string[] = [];
  const noChange = (r: FleetOutcome['byReplicas'][number] | undefined) => r?.phases.find((p) => p.name === 'no change');
  const one = noChange(outcome.byReplicas.find((r) => r.replicas === 1));
  const many = noChange(outcome.byReplicas.find((r) => r.replicas > 1));
  if (one && one.wallMs > FLEET_TARGETS.noChangeOneReplicaMs) missed.push('no-change fleet on one replica ≤ 5 min');
  if (one && many && many.wallMs > FLEET_TARGETS.scaleOutRatio * one.wallMs) missed.push('several replicas ≤ 45 % of one');
  for (const r of outcome.byReplicas)
    for (const p of r.phases) if (p.waitMaxMs > FLEET_TARGETS.waitRatio * p.waitMedianMs) missed.push(`slowest wait ≤ 2 × median (${r.replicas} replica(s), ${p.name})`);
  return missed;
}
