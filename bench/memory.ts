import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { BenchConfig, StoreKind } from './config.js';
import { createDatabase, startBenchServer, type KeptStore } from './server.js';

/** Targets for the embedded store (compiled server): idle RSS on the first start and on a restart. */
export const MEMORY_TARGETS = { idleRssMb: 250, syncPeakRssMb: 450, dataDirMb: 300 };

/** How long a started server is left alone before its idle RSS is read (the scheduler and the dispatcher tick meanwhile). */
const IDLE_MS = 10_000;

export interface ServerMemory {
  /** Resident set after IDLE_MS of idleness. */
  idleRssMb: number;
  /** The most the process had resident since it started (start-up included). */
  peakRssMb: number;
}

export interface MemoryOutcome {
  store: StoreKind;
  first: ServerMemory;
  restart: ServerMemory;
  /** The embedded data directory on disk (WAL included), or the PostgreSQL database's size (its server's WAL not included). */
  storeMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** A process's current and peak resident set in MB, from /proc on Linux, else `ps` (current only). */
export function processMemory(pid: number): ServerMemory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { idleRssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    const rssKb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return { idleRssMb: Math.round(rssKb / 1024), peakRssMb: NaN };
  }
}

/** Bytes a directory takes on disk (allocated blocks, as `du` counts them). */
export function diskUsage(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.blocks * 512;
  return readdirSync(path).reduce((sum, name) => sum + diskUsage(join(path, name)), stat.blocks * 512);
}

/**
 * The compiled server on an empty store, left idle, then stopped and started again on the same
 * store (a restart): each start's idle and peak RSS, and the store's size on disk afterwards.
 */
export async function benchMemory(config: BenchConfig, store: StoreKind): Promise<MemoryOutcome> {
  const database = store === 'postgres' ? await createDatabase(config.postgresUrl) : undefined;
  const dataDir = store === 'pglite' ? mkdtempSync(join(tmpdir(), 'rollcall-memory-bench-')) : undefined;
  const kept: KeptStore = database ? { databaseUrl: database.url, secretKeyHex: randomBytes(32).toString('hex') } : { dataDir: dataDir! };
  const idle = async (): Promise<ServerMemory> => {
    const server = await startBenchServer(store, config, undefined, {}, kept);
    try {
      await new Promise((ok) => setTimeout(ok, IDLE_MS));
      return processMemory(server.pid);
    } finally {
      await server.stop();
    }
  };
  try {
    const first = await idle();
    const restart = await idle();
    let storeMb: number;
    if (database) {
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      const [row] = await sql<{ bytes: string }[]>`select pg_database_size(current_database())::text as bytes`;
      await sql.end();
      storeMb = mb(Number(row!.bytes));
    } else {
      storeMb = mb(diskUsage(join(dataDir!, 'pgdata')));
    }
    return { store, first, restart, storeMb };
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
}
