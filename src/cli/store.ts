import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { CliError, EXIT } from './errors.js';
import { createBackground, type Background } from '../admin/background.js';
import { replicaName } from '../connections/replica.js';
import type { ConnectionDeps } from '../connections/service.js';
import { loadSecretKey } from '../crypto/secret-key.js';
import { openDatabase, type Database } from '../db/client.js';
import { parseBaseUrlAllowance } from '../connections/base-url.js';
import { createEgress } from '../egress/index.js';
import { readEnv } from '../env.js';
import { createLogger } from '../log.js';
import { limitHeapGrowth } from '../memory.js';
import { createBudgetRegistry } from '../../connectors/index.js';
import { createDbBudgetStore } from '../db/request-budgets.js';

/** Whether DATA_DIR holds an embedded store (the files PGlite keeps in its `pgdata` folder). */
export function embeddedStoreExists(dataDir: string): boolean {
  const dir = join(dataDir, 'pgdata');
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/**
 * Opens the configured store (same variables as the server) with migrations applied, runs `work`,
 * closes. A command run where there is no store (a wrong folder, a forgotten DATA_DIR) would
 * otherwise create an empty one and answer from it as if all were well: it is refused instead,
 * unless `create` (only `rollcall migrate`, which is asked to make a store ready).
 */
export async function withStore<T>(work: (database: Database) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const env = readEnv();
  if (!env.DATABASE_URL && !options.create && !embeddedStoreExists(env.DATA_DIR)) {
    throw new CliError(
      'no_store',
      'No store',
      `No store here: DATA_DIR ${resolve(env.DATA_DIR)} holds no embedded database and DATABASE_URL is not set. ` +
        'Point DATA_DIR or DATABASE_URL at the server\'s store, set ROLLCALL_URL to use a running server, or run `rollcall migrate` to create an empty store',
      EXIT.other,
    );
  }
  const database = await openDatabase({
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR }),
    poolSize: 2,
    sharedBuffersMb: env.PGLITE_SHARED_BUFFERS_MB,
    holder: 'the rollcall CLI',
  });
  try {
    await database.migrate();
    return await work(database);
  } finally {
    await database.close();
  }
}

export interface ConnectionWork {
  connections: ConnectionDeps;
  background: Background;
}

/**
 * The store plus what HR connection commands need: the secret key the credentials are sealed with
 * (as the server loads it) and a lease owner of its own, so a CLI run and a server's run of the
 * same connection exclude each other. A run started without waiting is still this process's:
 * the store stays open until it has ended.
 */
export function withConnections<T>(work: (database: Database, deps: ConnectionWork) => Promise<T>): Promise<T> {
  const env = readEnv();
  // A sync run from the CLI runs in this process: the same memory behaviour as the server's.
  limitHeapGrowth(env.HEAP_GROWTH_PERCENT);
  // Warnings and failures only, and to stderr: stdout carries the command's output (often --json).
  const log = createLogger('warn', pino.destination(2));
  return withStore(async (database) => {
    // Once the store is known to exist: loading the key may write a new one into DATA_DIR.
    const { key } = loadSecretKey(env);
    const background = createBackground(log);
    const connections: ConnectionDeps = {
      db: database.db,
      secretKey: key,
      log,
      owner: `cli:${replicaName()}`,
      leaseSeconds: env.SYNC_LEASE_SECONDS,
      batchSize: env.SYNC_BATCH_SIZE,
      egress: createEgress({ allowed: env.EGRESS_ALLOWED }),
      allowedBaseUrls: parseBaseUrlAllowance(env.HR_ALLOWED_BASE_URLS),
      budgets: createBudgetRegistry(createDbBudgetStore(database.db)),
    };
    try {
      return await work(database, { connections, background });
    } finally {
      await background.idle();
    }
  });
}
