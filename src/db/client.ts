import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.js';
import { makePrivate } from './private-files.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** A drizzle handle: the database itself or an open transaction; both drivers share this type. */
export type Executor = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  kind: 'pglite' | 'postgres';
  /** The embedded instance, when that is the driver (dumps, single-connection semantics). */
  pglite?: PGlite;
  db: Executor;
  migrate(): Promise<void>;
  /**
   * Runs start-up work (migrations, the first tenant) as the only replica doing so: on PostgreSQL
   * under a session advisory lock, so replicas started together take turns instead of racing to
   * create the same tables and rows; the embedded store has one process by construction.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The committed migrations: `drizzle/` at the project root, two levels up from this file when run
 * from source and three from the compiled `dist/src/db/`.
 */
export const migrationsFolder = [join(import.meta.dirname, '..', '..', 'drizzle'), join(import.meta.dirname, '..', '..', '..', 'drizzle')].find((dir) =>
  existsSync(join(dir, 'meta', '_journal.json')),
) ?? join(import.meta.dirname, '..', '..', 'drizzle');

/** Runs raw SQL and returns its rows, whichever driver sits underneath (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

interface PostgresJsClient {
  unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]>;
}
interface PgliteClient {
  query(text: string, params: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Runs one statement with `$1…` parameters straight on the driver, for the hot single-row paths
 * where drizzle's query builder costs more CPU than the database does. On postgres.js it is a named
 * prepared statement (parsed and planned once per connection). Inside a transaction, which has no
 * `$client`, it goes through drizzle's `execute` on that transaction.
 * Pass jsonb values as JSON text (`$n::jsonb`): drizzle switches postgres.js's json serializer off.
 * Timestamps come back as Date (PGlite) or text (postgres.js under drizzle); read them with `toDate`.
 */
export async function query<T>(executor: Executor, text: string, params: unknown[]): Promise<T[]> {
  const client = (executor as { $client?: unknown }).$client as Partial<PostgresJsClient & PgliteClient> | undefined;
  if (client?.unsafe) return (await client.unsafe(text, params, { prepare: true })) as T[];
  if (client?.query) return (await client.query(text, params)).rows as T[];
  return rows<T>(executor, numberedSql(text, params));
}

/** Statement text with `$1…` parameters as drizzle SQL, for a fragment shared by both kinds of statement. */
export function numberedSql(text: string, params: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => chunks.push(i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`));
  return sql.join(chunks);
}

/** Whether this is the database itself rather than an open transaction (which drizzle gives no `$client`). */
export const isRoot = (executor: Executor): boolean => (executor as { $client?: unknown }).$client !== undefined;

/**
 * Runs `work` atomically. On the database a single statement is atomic by itself; inside an open
 * transaction it runs in a savepoint, as drizzle's nested `transaction` does, so a caller that
 * catches the failure (a conflict on one record of a batch) keeps its transaction usable.
 */
export function atomic<T>(executor: Executor, work: (executor: Executor) => Promise<T>): Promise<T> {
  return isRoot(executor) ? work(executor) : executor.transaction((tx) => work(tx as unknown as Executor));
}

export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Directory for the embedded store; omitted means in memory (tests). */
  dataDir?: string;
  poolSize?: number;
  /** A dump of a data directory to start the embedded store from (tests start from a migrated dump). */
  loadDataDir?: Blob;
  /** Who holds the embedded data directory, named in the error a second opener gets. */
  holder?: string;
  /** How long one connection attempt to PostgreSQL may take. */
  connectTimeoutSeconds?: number;
  /**
   * A long-lived process (the server): on a data directory's first start, initialize it in a child
   * process so PGlite's throw-away initdb instance does not stay in this one's memory. A short-lived
   * one (a CLI command) initializes in-process, which starts sooner.
   */
  initializeInChild?: boolean;
  /** The embedded store's shared_buffers in MB (PGLITE_SHARED_BUFFERS_MB). */
  sharedBuffersMb?: number;
}

export const DEFAULT_SHARED_BUFFERS_MB = 16;

/**
 * How the embedded PostgreSQL runs, on top of PGlite's own start parameters. Its memory is one
 * WebAssembly memory that grows and never shrinks, so whatever it touches once stays resident:
 * - shared_buffers: PGlite keeps PostgreSQL's 128 MB, which on a single-process store mostly holds
 *   pages the operating system's file cache holds too; 16 MB keeps the hot indexes.
 * - maintenance_work_mem: index builds (migrations) and ANALYZE; 64 MB once would stay for good.
 * - temp_buffers: no temporary tables here.
 * - WAL: there is no replica and no archive of an embedded store, so wal_level minimal (less WAL,
 *   no WAL senders), and max_wal_size bounds pg_wal on disk: past it, the single backend checkpoints
 *   by itself (the default 1 GB would let a big sync leave up to a gigabyte of WAL behind). After a
 *   big write PostgreSQL keeps up to max_wal_size of used segments for reuse, so 32 MB, the least it
 *   allows (two 16 MB segments), is what an idle store keeps: 64 MB left 32 MB more on disk after a
 *   50,000-person sync, for no faster sync (the bench's BambooHR sync on PGlite ran as fast).
 * PGlite's `relaxedDurability` only defers syncing an in-memory file system (browsers); on a Node
 * data directory every write already goes straight to the file, so it is left alone.
 */
export function pgliteSettings(sharedBuffersMb = DEFAULT_SHARED_BUFFERS_MB): string[] {
  const settings = {
    shared_buffers: `${sharedBuffersMb}MB`,
    maintenance_work_mem: '16MB',
    temp_buffers: '1MB',
    wal_level: 'minimal',
    max_wal_senders: '0',
    max_wal_size: '32MB',
    min_wal_size: '32MB',
  };
  return [...PGlite.defaultStartParams, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

/**
 * The child that initializes a data directory (src/db/init-data-dir), from source through tsx or
 * compiled, as this module runs.
 */
function initializerArgs(): string[] {
  const ext = extname(fileURLToPath(import.meta.url));
  const script = fileURLToPath(new URL(`./init-data-dir${ext}`, import.meta.url));
  return ext === '.ts' ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, script] : [script];
}

/**
 * A data directory's first start. PGlite runs initdb in a second, throw-away PostgreSQL instance,
 * and its WebAssembly memory (some 500 MB) stays referenced for the life of the process. So a
 * child process does it — initdb and migrations, into a sibling directory renamed into place
 * once complete, so a crash halfway leaves no half-made store — and exits, taking that memory
 * with it; this process then opens a ready store as on any later start.
 */
async function initializeDataDir(dir: string, sharedBuffersMb: number | undefined): Promise<void> {
  const staging = `${dir}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const child = spawn(process.execPath, [...initializerArgs(), staging, String(sharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const code = await new Promise<number | null>((ok, fail) => child.once('error', fail).once('exit', ok));
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`initializing the embedded store in ${dir} failed (exit ${code}): ${stderr.trim()}`);
  }
  // An empty directory left by an older version's first start is replaced; anything else is not ours to delete.
  if (existsSync(dir)) rmdirSync(dir);
  renameSync(staging, dir);
}

/** Starts PGlite on a directory (or in memory) with the settings above. */
export function startPglite(options: { dir?: string; loadDataDir?: Blob; sharedBuffersMb?: number | undefined }): PGlite {
  const startParams = pgliteSettings(options.sharedBuffersMb);
  if (options.dir) return new PGlite(options.dir, { startParams });
  return new PGlite({ startParams, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
}

/** The advisory lock key of start-up work: any fixed bigint, here "rollcall" in ASCII. */
const STARTUP_LOCK = 0x726f6c6c63616c6cn;

/** Tables that never had statistics, or whose size moved by a tenth since they last did. */
const STALE_TABLES = `select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r' and n.nspname = 'public' and pg_relation_size(c.oid) > 0
    and (c.reltuples < 0 or abs(pg_relation_size(c.oid) / current_setting('block_size')::int - c.relpages) > 0.1 * c.relpages + 8)`;

/**
 * PGlite runs PostgreSQL in single-user mode, where autovacuum never runs (nor do the activity
 * counters it reads): tables would keep no planner statistics, and a list of 20,000 users was
 * sorted on disk for every page. So, like autovacuum's analyze, once a minute: analyze the
 * tables that grew or shrank by a tenth. Returns the function that stops it.
 */
function keepStatistics(pglite: PGlite, everyMs = 60_000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const { rows: stale } = await pglite.query<{ name: string }>(STALE_TABLES);
      for (const table of stale) await pglite.exec(`analyze ${table.name}`);
    })()
      // Closing, or a table dropped meanwhile: the next round retries.
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      // Dates come back as JS Dates; jsonb as parsed values.
      connection: { application_name: 'rollcall' },
      connect_timeout: options.connectTimeoutSeconds ?? 10,
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Executor;
    return {
      kind: 'postgres',
      db,
      migrate: () => migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder }),
      exclusive: async (work) => {
        // A session lock on a reserved connection: released by the unlock, or by the server if this process dies.
        const session = await client.reserve();
        try {
          await session`select pg_advisory_lock(${STARTUP_LOCK.toString()}::bigint)`;
          try {
            return await work();
          } finally {
            await session`select pg_advisory_unlock(${STARTUP_LOCK.toString()}::bigint)`;
          }
        } finally {
          session.release();
        }
      },
      ping: async () => {
        await client`select 1`;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  let pglite: PGlite;
  let unlock = () => {};
  if (options.dataDir) {
    const dir = join(options.dataDir, 'pgdata');
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    unlock = lockDataDir(options.dataDir, options.holder ?? 'rollcall');
    try {
      const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
      if (fresh && options.initializeInChild) await initializeDataDir(dir, options.sharedBuffersMb);
      else mkdirSync(dir, { recursive: true });
      pglite = startPglite({ dir, sharedBuffersMb: options.sharedBuffersMb });
      await pglite.waitReady;
    } catch (error) {
      unlock();
      throw error;
    }
  } else {
    pglite = startPglite({ ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}), sharedBuffersMb: options.sharedBuffersMb });
    await pglite.waitReady;
  }
  const stopStatistics = keepStatistics(pglite);
  const drizzled = drizzlePglite(pglite, { schema });
  const dataDir = options.dataDir;
  const protect = () => {
    if (dataDir) makePrivate(dataDir);
  };
  protect();
  return {
    kind: 'pglite',
    pglite,
    db: drizzled as unknown as Executor,
    migrate: async () => {
      await migratePglite(drizzled, { migrationsFolder });
      protect();
    },
    exclusive: (work) => work(),
    ping: async () => {
      await pglite.query('select 1');
    },
    close: async () => {
      stopStatistics();
      await pglite.close();
      protect();
      unlock();
    },
  };
}
