import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';

/**
 * A fresh, migrated, empty database for one test file: a new database on the PostgreSQL named by
 * TEST_DATABASE_URL when set (so every file is isolated), otherwise an in-memory PGlite loaded
 * from the dump made by the global setup.
 */
export interface TestDatabase extends Database {
  /** Connection URL of the isolated database, for a server process under test (PostgreSQL only). */
  url?: string;
  drop(): Promise<void>;
}

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseUrl) {
    const name = `rollcall_t_${randomBytes(6).toString('hex')}`;
    const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(testDatabaseUrl);
    url.pathname = `/${name}`;
    const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
    await db.migrate();
    return {
      ...db,
      url: url.toString(),
      drop: async () => {
        await db.close();
        const again = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
        await again.unsafe(`drop database if exists ${name} with (force)`);
        await again.end();
      },
    };
  }
  const dump = readFileSync(inject('pgliteDump'));
  const db = await openDatabase({ loadDataDir: new Blob([dump]) });
  return { ...db, drop: () => db.close() };
}
