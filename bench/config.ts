/**
 * Bench settings from the environment. Defaults are the figures the README quotes; the variables
 * shrink or narrow a run (e.g. `BENCH_USERS=2000 BENCH_STORES=pglite npm run bench`).
 */
import { syncProviders, type SyncProvider } from './sync-fakes.js';

export type StoreKind = 'pglite' | 'postgres';
export type Part = 'users' | 'groups' | 'sync' | 'teams' | 'webhooks' | 'memory' | 'fleet';

export interface BenchConfig {
  users: number;
  /** Requests per measured single-resource phase (lookups, GET, PATCH, PUT); capped at `users`. */
  ops: number;
  /** Users of the unmeasured warm-up round (a second tenant) before the measured user and group phases; 0: none. */
  warmupUsers: number;
  stores: StoreKind[];
  /** One PostgreSQL run per entry: a DB_POOL_SIZE, or undefined for the server's default. */
  pgPools: (number | undefined)[];
  parts: Part[];
  concurrency: number;
  groups: number;
  batch: number;
  /** Employees in the fake HR company for the sync part. */
  syncEmployees: number;
  /** HR systems the sync part runs; BambooHR on every store, the others on PostgreSQL. */
  syncProviders: SyncProvider[];
  /** Changes written (and delivered to a webhook) in the webhooks part. */
  webhookChanges: number;
  /** Times each team-sync variant runs (the fastest counts). */
  teamsRepeat: number;
  /** PostgreSQL server to create the throwaway bench database on. */
  postgresUrl: string;
  /** Directory for `node --cpu-prof` output of the server process; unset means no profiling. */
  profileDir?: string;
  logLevel: string;
  /** The fleet part: connections (one tenant each), employees per company, HR latency per request, replicas. */
  fleetConnections: number;
  fleetEmployees: number;
  fleetLatencyMs: number;
  fleetReplicas: number;
  /** The servers' SYNC_CONCURRENCY; undefined leaves their default. */
  fleetConcurrency?: number;
  /** `BENCH_SYNC_MAPPING=ten`: also run the BambooHR sync with a ten-attribute mapping and print the ratio to the run without. */
  syncMapping?: 'ten';
}

/** A whole number of at least `min` (digits may be grouped with `_`), or the fallback when unset. */
function wholeNumber(name: string, raw: string | undefined, fallback: number, min: 0 | 1): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be ${min === 0 ? '0 or ' : ''}a positive integer, got ${raw}`);
  return n;
}

const positive = (name: string, raw: string | undefined, fallback: number) => wholeNumber(name, raw, fallback, 1);
const nonNegative = (name: string, raw: string | undefined, fallback: number) => wholeNumber(name, raw, fallback, 0);

function listOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] {
  if (raw === undefined || raw.trim() === '') return [...allowed];
  const picked = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = picked.find((p) => !allowed.includes(p as T));
  if (bad) throw new Error(`${name}: unknown value ${bad} (expected ${allowed.join(', ')})`);
  return allowed.filter((a) => picked.includes(a));
}

function mappingName(raw: string): 'ten' {
  if (raw !== 'ten') throw new Error(`BENCH_SYNC_MAPPING: unknown value ${raw} (expected ten)`);
  return raw;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const users = positive('BENCH_USERS', env.BENCH_USERS, 20_000);
  return {
    users,
    ops: Math.min(users, positive('BENCH_OPS', env.BENCH_OPS, 10_000)),
    warmupUsers: nonNegative('BENCH_WARMUP_USERS', env.BENCH_WARMUP_USERS, 10_000),
    stores: listOf('BENCH_STORES', env.BENCH_STORES, ['pglite', 'postgres'] as const),
    pgPools: (env.BENCH_PG_POOLS || 'default,4').split(',').map((raw) => (raw.trim() === 'default' ? undefined : positive('BENCH_PG_POOLS', raw.trim(), 10))),
    parts: listOf('BENCH_ONLY', env.BENCH_ONLY, ['users', 'groups', 'sync', 'teams', 'webhooks', 'memory', 'fleet'] as const),
    concurrency: positive('BENCH_CONCURRENCY', env.BENCH_CONCURRENCY, 16),
    groups: positive('BENCH_GROUPS', env.BENCH_GROUPS, 50),
    batch: positive('BENCH_BATCH', env.BENCH_BATCH, 100),
    syncEmployees: positive('BENCH_SYNC_EMPLOYEES', env.BENCH_SYNC_EMPLOYEES, 50_000),
    syncProviders: listOf('BENCH_SYNC_PROVIDERS', env.BENCH_SYNC_PROVIDERS, syncProviders),
    webhookChanges: positive('BENCH_WEBHOOK_CHANGES', env.BENCH_WEBHOOK_CHANGES, 10_000),
    teamsRepeat: positive('BENCH_TEAMS_REPEAT', env.BENCH_TEAMS_REPEAT, 2),
    postgresUrl: env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    ...(env.BENCH_PROFILE ? { profileDir: env.BENCH_PROFILE } : {}),
    logLevel: env.BENCH_LOG_LEVEL || 'warn',
    fleetConnections: positive('BENCH_FLEET_CONNECTIONS', env.BENCH_FLEET_CONNECTIONS, 200),
    fleetEmployees: positive('BENCH_FLEET_EMPLOYEES', env.BENCH_FLEET_EMPLOYEES, 200),
    fleetLatencyMs: positive('BENCH_FLEET_LATENCY_MS', env.BENCH_FLEET_LATENCY_MS, 200),
    fleetReplicas: positive('BENCH_FLEET_REPLICAS', env.BENCH_FLEET_REPLICAS, 3),
    ...(env.BENCH_SYNC_MAPPING ? { syncMapping: mappingName(env.BENCH_SYNC_MAPPING) } : {}),
    ...(env.BENCH_FLEET_CONCURRENCY ? { fleetConcurrency: positive('BENCH_FLEET_CONCURRENCY', env.BENCH_FLEET_CONCURRENCY, 4) } : {}),
  };
}
