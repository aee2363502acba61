import { TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { query, type Executor } from '../../src/db/client.js';
import type { DirectoryContext } from '../../src/directory/context.js';
import { changedAttributes } from '../../src/events/append.js';
import { readUser } from '../../src/directory/users/rows.js';
import { updateTogether, writeIfAt } from '../../src/directory/users/write-if-at.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

/*
 * An update of a user that leaves its indexed columns alone (a title, a name, a manager) is a
 * heap-only (HOT) update: PostgreSQL keeps the new version on the row's page and touches none of the
 * table's indexes. That holds only while no index covers a column every write changes (updated_at,
 * version); with one, each write was an insert into every index of the table. A backend's counts not
 * yet flushed to the statistics are in pg_stat_xact_user_tables (earlier transactions' among them,
 * until the backend is next idle), so each case runs its writes in a transaction, reads the counts
 * before and after them, and rolls it back.
 */

let h: Harness;
const ids: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 3; i++) {
    const res = await h.http
      .post('/scim/v2/Users')
      .set({ authorization: `Bearer ${h.token}`, 'content-type': SCIM })
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `hot.${i}@acme.test`, title: 'Engineer', emails: [{ value: `hot.${i}@acme.test` }] });
    expect(res.status).toBe(201);
    ids.push(res.body.id as string);
  }
});
afterAll(() => h.close());

interface Counts {
  updated: number;
  hot: number;
}

/** Runs `work` in a transaction and answers the updates of users it made, HOT ones apart; nothing is kept. */
async function countedUpdates(work: (tx: Executor) => Promise<void>): Promise<Counts> {
  let counts: Counts | undefined;
  const read = async (tx: Executor) => {
    const [row] = await query<Counts>(tx, `select n_tup_upd::int as updated, n_tup_hot_upd::int as hot from pg_stat_xact_user_tables where relname = 'users'`, []);
    return row!;
  };
  await h.db.db
    .transaction(async (tx) => {
      const before = await read(tx);
      await work(tx);
      const after = await read(tx);
      counts = { updated: after.updated - before.updated, hot: after.hot - before.hot };
      tx.rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  return counts!;
}

const ctxIn = (tx: Executor, together = false): DirectoryContext => ({
  db: tx,
  tenantId: h.tenantId,
  source: { kind: 'token', id: 'test' },
  ...(together ? { updateTogether: updateTogether() } : {}),
});

/** The compare-and-set write a PATCH or PUT ends in, of `edit` applied to the user as stored. */
async function write(ctx: DirectoryContext, id: string, edit: (doc: ResourceDoc) => ResourceDoc): Promise<void> {
  const current = await readUser(ctx.db, ctx.tenantId, id, false);
  const after = edit(structuredClone(current.doc));
  const written = await writeIfAt(ctx, id, current.version, { before: current.doc, after, changed: changedAttributes(current.doc, after) }, false, {});
  expect(written?.version).toBe(current.version + 1);
}

const retitle = (doc: ResourceDoc): ResourceDoc => ({ ...doc, title: `Staff engineer ${Math.random()}` });
const rename = (doc: ResourceDoc): ResourceDoc => ({ ...doc, userName: `renamed.${Math.random()}@acme.test`, title: 'Renamed' });

describe('user updates that leave indexed columns alone are heap-only', () => {
  it('no index of users covers updated_at or version, and its pages leave room (fillfactor 90)', async () => {
    const indexes = await query<{ indexdef: string }>(h.db.db, `select indexdef from pg_indexes where tablename = 'users'`, []);
    expect(indexes.length).toBeGreaterThan(5);
    for (const { indexdef } of indexes) expect(indexdef).not.toMatch(/updated_at|\bversion\b/);
    const [table] = await query<{ options: string[] | null }>(h.db.db, `select reloptions as options from pg_class where relname = 'users' and relkind = 'r'`, []);
    expect(table?.options).toContain('fillfactor=90');
  });

  it.each([
    ['a new title, one write alone', false, retitle, { updated: 3, hot: 3 }, undefined],
    ['a new title, three writes together (group commit: one alone, then two in one statement)', true, retitle, { updated: 3, hot: 3 }, undefined],
    // Controls: the same writes where HOT cannot apply, so the counts above mean what they say.
    ['a new userName, an indexed column (control)', false, rename, { updated: 3, hot: 0 }, undefined],
    ['a new title with an index on updated_at, as the schema had (control)', false, retitle, { updated: 3, hot: 0 }, 'create index on users (tenant_id, updated_at)'],
  ] as const)('%s', async (_label, together, edit, expected, setup) => {
    const counts = await countedUpdates(async (tx) => {
      if (setup) await query(tx, setup, []);
      const ctx = ctxIn(tx, together);
      await Promise.all(ids.map((id) => write(ctx, id, edit)));
    });
    expect(counts).toEqual(expected);
  });
});
