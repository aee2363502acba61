import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createClient } from './client.js';
import { readConfig, type StoreKind } from './config.js';
import { benchGroups } from './groups.js';
import { benchMemory, MEMORY_TARGETS, type MemoryOutcome } from './memory.js';
import { referenceRows } from './reference.js';
import { compareToReference, groupRows, table, toRow, type Row } from './report.js';
import { createMeter } from './cpu.js';
import { projectRoot } from './paths.js';
import { startBenchServer } from './server.js';
import { benchSync, SYNC_TARGETS, type SyncOutcome } from './sync.js';
import { benchTeams, TEAMS_TARGET_RATIO, type TeamsOutcome } from './teams.js';
import { benchUsers } from './users.js';
import { warmUp } from './warmup.js';
import { benchWebhooks, type WebhooksOutcome } from './webhooks.js';
import { benchFleet, fleetMisses, FLEET_TARGETS, type FleetOutcome } from './fleet.js';

/**
 * `npm run bench`: the real server over HTTP on each store: users, the raw postgres.js reference, then groups;
 * prints tables and writes bench/results/latest.json (fields in bench/results/README.md).
 */
const config = readConfig();
const log = (line: string) => process.stdout.write(`${line}\n`);
const started = Date.now();

const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadBefore: Math.round(loadavg()[0]! * 100) / 100,
  loadAfter: 0,
};
log(`Rollcall bench: ${config.users} users, ${config.ops} ops per phase, concurrency ${config.concurrency}, stores ${config.stores.join(', ')}, parts ${config.parts.join(', ')}`);
log(`machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, Node ${machine.node}, load ${machine.loadBefore}`);
// The load generator, the server and PostgreSQL share these cores; anything else running skews the figures.
if (machine.loadBefore > 1) log(`warning: 1-minute load average is ${machine.loadBefore} before starting; figures will be low`);

interface StoreResult {
  store: StoreKind;
  server: Record<string, string>;
  rows: Row[];
  reference: Row[];
  seconds: number;
}
const results: Record<string, StoreResult> = {};
// PostgreSQL once per pool size: on two cores a pool of 10 spreads 16 requests over 10 backends,
// each woken for one query, where 4 pipeline several per round trip.
const runs = config.stores.flatMap((store): { store: StoreKind; pool: number | undefined; label: string }[] =>
  store === 'postgres' ? config.pgPools.map((pool) => ({ store, pool, label: pool ? `postgres-pool${pool}` : 'postgres' })) : [{ store, pool: undefined, label: store }],
);

const serverParts = config.parts.filter((p) => p === 'users' || p === 'groups');
for (const { store, pool, label } of serverParts.length > 0 ? runs : []) {
  const t0 = Date.now();
  log(`\n[${label}] starting server`);
  const server = await startBenchServer(store, config, pool);
  const client = createClient(server.scimUrl, server.token, config.concurrency);
  const meter = createMeter(server.pid, server.databaseUrl);
  const rows: Row[] = [];
  let reference: Row[] = [];
  try {
    await warmUp(server, config, log);
    log(`[${label}] users`);
    const users = await benchUsers(client, config, config.parts.includes('users'), server.settle, log, meter);
    for (const [name, r] of Object.entries(users.phases)) {
      const note = name.startsWith('page') ? `${r.ops} pages of 100` : undefined;
      rows.push(toRow(name, r, store, config, note));
    }
    // The raw postgres.js reference in every run, between the user phases and the groups part
    // (which deletes the users): each phase is read as a ratio to it, under the same load.
    log(`[${label}] reference ceilings`);
    const refs = await referenceRows(config, server.scimUrl.replace(/\/scim\/v2$/, '/healthz'), users.ids, server.databaseUrl, meter);
    reference = Object.entries(refs).map(([name, r]) => toRow(name, r, 'reference', config));
    if (config.parts.includes('groups')) {
      log(`[${label}] groups`);
      rows.push(...groupRows(await benchGroups(client, config, users.ids, log, meter), store, config));
    }
    compareToReference(rows, reference);
  } finally {
    client.close();
    await meter.close();
    await server.stop();
  }
  results[label] = { store, server: server.settings, rows, reference, seconds: Math.round((Date.now() - t0) / 1000) };
}

log('');
for (const [label, result] of Object.entries(results)) {
  log(table(`${label} (server env ${Object.entries(result.server).map(([k, v]) => `${k}=${v}`).join(' ')}; ${result.seconds} s)`, result.rows));
  if (result.store === 'postgres') log('(VACUUM ANALYZE after loading the users and after updating them, as autovacuum would within a minute)');
  if (result.store === 'pglite') log('(embedded PGlite runs no autovacuum; the server analyzes grown tables once a minute)');
  if (result.reference.length) log(`\n${table(`${result.store}: reference ceilings, same concurrency`, result.reference)}`);
  log('');
}
for (const [label, result] of Object.entries(results)) {
  if (result.store !== 'postgres') continue;
  const missed = result.rows.filter((row) => row.target && !row.target.met).map((row) => row.name);
  log(missed.length ? `${label}: targets missed: ${missed.join(', ')}` : `${label}: all targets met`);
}
const sync: Record<string, SyncOutcome> = {};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A run's time per phase, from its own progress record (the team phase when team sync was on). */
const phases = (p: Record<string, number>) => `fetch ${p.fetchMs} ms, plan ${p.planMs} ms, apply ${p.applyMs} ms${p.teamsMs !== undefined ? `, teams ${p.teamsMs} ms` : ''}`;
if (config.parts.includes('sync')) {
  for (const provider of config.syncProviders) {
    // The 50,000-employee runs of the API-paced systems are figures for PostgreSQL.
    const stores = provider === 'bamboohr' ? config.stores : config.stores.filter((s) => s === 'postgres');
    for (const store of stores) {
      log(`[${store}] full sync of ${config.syncEmployees} employees from the fake ${provider} (first run, then no change)`);
      const outcome = await benchSync(config, store, provider);
      sync[`${provider}-${store}`] = outcome;
      const { first, second } = outcome;
      log(`  first run      ${seconds(first.ms)}  (Rollcall's own ${seconds(first.ownMs)}, CPU ${seconds(first.cpuMs)}; ${phases(first.progress)}; ${first.requests} requests; created ${first.counts.create})`);
      log(`  no-change run  ${seconds(second.ms)}  (Rollcall's own ${seconds(second.ownMs)}, CPU ${seconds(second.cpuMs)}; ${second.progress.incremental ? 'incremental, ' : ''}${phases(second.progress)}; ${second.requests} requests; unchanged ${second.counts.unchanged})`);
      log(`  peak RSS       ${outcome.maxRssMb} MB`);
      if (outcome.dataDirMb !== undefined) log(`  data directory ${outcome.dataDirMb} MB after both runs, WAL included`);
      if (store === 'pglite' && provider === 'bamboohr') {
        const missed = [outcome.maxRssMb > MEMORY_TARGETS.syncPeakRssMb && 'peak RSS', (outcome.dataDirMb ?? 0) >= MEMORY_TARGETS.dataDirMb && 'data directory'].filter(Boolean);
        log(`  targets (peak RSS ≤ ${MEMORY_TARGETS.syncPeakRssMb} MB, data directory < ${MEMORY_TARGETS.dataDirMb} MB): ${missed.length ? `missed ${missed.join(', ')}` : 'all met'}`);
      }
      if (config.syncMapping && provider === 'bamboohr') {
        // The same company again, the connection with the ten-attribute mapping saved before its first run.
        const mapped = await benchSync(config, store, provider, { mapping: config.syncMapping });
        sync[`${provider}-${store}-mapping-${config.syncMapping}`] = mapped;
        const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : 'n/a');
        log(`  with the ${config.syncMapping}-attribute mapping: first run ${seconds(mapped.first.ms)} (own ${seconds(mapped.first.ownMs)}, CPU ${mapped.first.cpuMs} ms), no-change run ${seconds(mapped.second.ms)} (own ${seconds(mapped.second.ownMs)}, CPU ${mapped.second.cpuMs} ms)`);
        log(`  ratio with / without: first run own ${ratio(mapped.first.ownMs, first.ownMs)}, CPU ${ratio(mapped.first.cpuMs, first.cpuMs)}; no-change run own ${ratio(mapped.second.ownMs, second.ownMs)}, CPU ${ratio(mapped.second.cpuMs, second.cpuMs)} (target ≤ 1.20)`);
      }
      if (outcome.pacedFirstMinutes !== undefined) log(`  at the connector's own pacing the first run's requests alone take ${outcome.pacedFirstMinutes} min (the bench lifts it)`);
      if (store === 'postgres') {
        // Rollcall's own time: the wall time less the wait on the HR server, which no connector can shorten.
        const figures = { firstMs: first.ownMs, secondMs: second.ownMs, maxRssMb: outcome.maxRssMb };
        const missed = (Object.keys(SYNC_TARGETS) as (keyof typeof SYNC_TARGETS)[]).filter((k) => figures[k] > SYNC_TARGETS[k]);
        log(`  targets (Rollcall's own time: first ≤ ${SYNC_TARGETS.firstMs / 1000} s, no-change ≤ ${SYNC_TARGETS.secondMs / 1000} s; RSS ≤ ${SYNC_TARGETS.maxRssMb} MB): ${missed.length ? `missed ${missed.join(', ')}` : 'all met'}`);
      }
    }
  }
}
const teams: Record<string, TeamsOutcome> = {};
if (config.parts.includes('teams')) {
  for (const store of config.stores) {
    log(`[${store}] team sync of ${config.syncEmployees} employees: the same runs without and with team sync (first run, then 1 % of managers changed), fastest of ${config.teamsRepeat}`);
    const outcome = await benchTeams(config, store, config.teamsRepeat);
    teams[store] = outcome;
    log(`  first run        without teams ${(outcome.without.firstMs / 1000).toFixed(1)} s (${phases(outcome.without.firstProgress)})`);
    log(`                   with teams    ${(outcome.with.firstMs / 1000).toFixed(1)} s (${phases(outcome.with.firstProgress)}; ${outcome.with.changeCounts.teams ?? '?'} teams)`);
    log(`                   ratio         ${outcome.firstRatio.toFixed(2)} (team phase alone: ${Math.round(outcome.firstTeamsShare * 100)} % of the run without teams)`);
    log(`  ${outcome.managersChanged} managers changed  without teams ${(outcome.without.changeMs / 1000).toFixed(1)} s (${phases(outcome.without.changeProgress)})`);
    log(`                   with teams    ${(outcome.with.changeMs / 1000).toFixed(1)} s (${phases(outcome.with.changeProgress)}; members moved +${outcome.with.changeCounts.teamMembersAdded ?? 0}/-${outcome.with.changeCounts.teamMembersRemoved ?? 0})`);
    log(`                   ratio         ${outcome.changeRatio.toFixed(2)} (team phase alone: ${Math.round(outcome.changeTeamsShare * 100)} % of the run without teams)`);
    log(`  peak RSS         without ${outcome.without.maxRssMb} MB, with ${outcome.with.maxRssMb} MB`);
    if (store === 'postgres') {
      const missed = (['firstRatio', 'changeRatio'] as const).filter((k) => outcome[k] > TEAMS_TARGET_RATIO);
      log(missed.length ? `teams: target (ratio ≤ ${TEAMS_TARGET_RATIO}) missed: ${missed.join(', ')}` : `teams: target met (ratio ≤ ${TEAMS_TARGET_RATIO})`);
    }
  }
}
const webhooks: Record<string, WebhooksOutcome> = {};
if (config.parts.includes('webhooks')) {
  for (const store of config.stores) {
    log(`[${store}] webhooks: ${config.webhookChanges} changes delivered to a loopback receiver`);
    const w = await benchWebhooks(config, store, log);
    webhooks[store] = w;
    log(`  end to end     ${w.eventsPerSec} events/s (${w.changes} in ${(w.wallMs / 1000).toFixed(1)} s; the writes alone ran at ${w.writesPerSec}/s)`);
    log(`  lag            p50 ${w.lagP50Ms} ms, p99 ${w.lagP99Ms} ms, max ${w.lagMaxMs} ms (change committed → delivery received)`);
    log(`  steady ${w.steadyRate}/s   lag p50 ${w.steadyLagP50Ms} ms, p99 ${w.steadyLagP99Ms} ms (${w.steadyChanges} changes, WEBHOOK_POLL_SECONDS at its default)`);
    log(`  checks         ${w.duplicates} duplicates, ${w.badSignatures} bad signatures`);
  }
}
const memory: Record<string, MemoryOutcome> = {};
if (config.parts.includes('memory')) {
  for (const store of config.stores) {
    log(`[${store}] idle memory of the compiled server: first start on an empty store, then a restart on it`);
    const m = await benchMemory(config, store);
    memory[store] = m;
    log(`  first start    idle RSS ${m.first.idleRssMb} MB (peak ${m.first.peakRssMb} MB)`);
    log(`  restart        idle RSS ${m.restart.idleRssMb} MB (peak ${m.restart.peakRssMb} MB)`);
    log(`  store on disk  ${m.storeMb} MB ${store === 'pglite' ? '(data directory, WAL included)' : '(pg_database_size; the server-wide WAL not included)'}`);
    if (store === 'pglite') {
      const missed = [m.first.idleRssMb > MEMORY_TARGETS.idleRssMb && 'first start', m.restart.idleRssMb > MEMORY_TARGETS.idleRssMb && 'restart'].filter(Boolean);
      log(`  target (idle RSS ≤ ${MEMORY_TARGETS.idleRssMb} MB): ${missed.length ? `missed ${missed.join(', ')}` : 'met'}`);
    }
  }
}
let fleet: FleetOutcome | undefined;
if (config.parts.includes('fleet')) {
  if (!config.stores.includes('postgres')) log('fleet: skipped (replicas share one PostgreSQL; BENCH_STORES has none)');
  else {
    log(`[postgres] fleet: ${config.fleetConnections} connections of ${config.fleetEmployees} employees, ${config.fleetLatencyMs} ms per HR request, 1 then ${config.fleetReplicas} replicas, all due at once (first runs, then no change)`);
    fleet = await benchFleet(config, log);
    const missed = fleetMisses(fleet);
    log(`  targets (no-change on one replica ≤ ${FLEET_TARGETS.noChangeOneReplicaMs / 60_000} min, ${config.fleetReplicas} replicas ≤ ${FLEET_TARGETS.scaleOutRatio * 100} % of one, slowest wait ≤ ${FLEET_TARGETS.waitRatio} × median): ${missed.length ? `missed ${missed.join('; ')}` : 'all met'}`);
  }
}
machine.loadAfter = Math.round(loadavg()[0]! * 100) / 100;
log(`total ${Math.round((Date.now() - started) / 1000)} s`);

const out = join(projectRoot, 'bench', 'results');
mkdirSync(out, { recursive: true });
const report = { when: new Date().toISOString(), machine, config: { ...config, postgresUrl: undefined }, stores: results, sync, teams, webhooks, memory, fleet };
writeFileSync(join(out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
log(`wrote ${join('bench', 'results', 'latest.json')}`);
