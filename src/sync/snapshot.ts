import { createHash } from 'node:crypto';
import { query, type Executor } from '../db/client.js';
import type { PlannedEmployee } from './scope.js';

/** Rows per statement: large enough to keep round trips few, small enough to keep each statement light. */
const CHUNK = 2_000;

const UPSERT = `insert into snapshot_employees (connection_id, remote_id, run_id, data, digest)
  select $1::uuid, e -> 'data' ->> 'remoteId', $2::uuid, e -> 'data', e ->> 'digest' from jsonb_array_elements($3::jsonb) e
  on conflict (connection_id, remote_id) do update set run_id = excluded.run_id, data = excluded.data, digest = excluded.digest`;

const digestOf = (e: PlannedEmployee) => createHash('sha1').update(JSON.stringify(e)).digest('base64url');

/**
 * Records this run's employees in the connection's snapshot, in one transaction, rewriting only
 * the records that changed (a run with no change in HR writes nothing here). A full run makes the
 * snapshot exactly its list: the snapshot is always one whole run, never a mix of two. An
 * incremental run brings only changed people, so it adds and updates but removes no one.
 */
export async function saveSnapshot(
  db: Executor,
  connectionId: string,
  runId: string,
  employees: PlannedEmployee[],
  { complete }: { complete: boolean },
): Promise<{ written: number; removed: number }> {
  return db.transaction(async (tx) => {
    const executor = tx as unknown as Executor;
    // A full run compares against the whole snapshot (who is missing has left); an incremental one only against its own people.
    const stored = new Map(
      (complete
        ? await query<{ remote_id: string; digest: string }>(executor, 'select remote_id, digest from snapshot_employees where connection_id = $1', [connectionId])
        : await query<{ remote_id: string; digest: string }>(executor, 'select remote_id, digest from snapshot_employees where connection_id = $1 and remote_id in (select jsonb_array_elements_text($2::jsonb))', [
            connectionId,
            JSON.stringify(employees.map((e) => e.remoteId)),
          ])
      ).map((r) => [r.remote_id, r.digest]),
    );
    const changed: { data: PlannedEmployee; digest: string }[] = [];
    for (const e of employees) {
      const digest = digestOf(e);
      if (stored.get(e.remoteId) !== digest) changed.push({ data: e, digest });
      stored.delete(e.remoteId);
    }
    for (let start = 0; start < changed.length; start += CHUNK) {
      await query(executor, UPSERT, [connectionId, runId, JSON.stringify(changed.slice(start, start + CHUNK))]);
    }
    const gone = complete ? [...stored.keys()] : [];
    if (gone.length > 0) await query(executor, 'delete from snapshot_employees where connection_id = $1 and remote_id in (select jsonb_array_elements_text($2::jsonb))', [connectionId, JSON.stringify(gone)]);
    return { written: changed.length, removed: gone.length };
  });
}

/** The connection's snapshot as of its last applied run (empty before the first): the base an incremental run's changes go on, and the people team sync builds from. */
export async function loadSnapshot(db: Executor, connectionId: string): Promise<PlannedEmployee[]> {
  const found = await query<{ data: PlannedEmployee }>(db, 'select data from snapshot_employees where connection_id = $1', [connectionId]);
  return found.map((r) => r.data);
}
