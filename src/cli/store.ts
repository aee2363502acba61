import { openDatabase, type Database } from '../db/client.js';
import { readEnv } from '../env.js';

/** Opens the configured store (same variables as the server) with migrations applied, runs `work`, closes. */
export async function withStore<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const env = readEnv();
  const database = await openDatabase({
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR }),
    poolSize: 2,
    holder: 'the rollcall CLI',
  });
  try {
    await database.migrate();
    return await work(database);
  } finally {
    await database.close();
  }
}
