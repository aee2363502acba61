import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('test database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('is migrated and empty', async () => {
    const [row] = await rows<{ n: number }>(db.db, sql`select count(*)::int as n from users`);
    expect(row!.n).toBe(0);
  });
});
