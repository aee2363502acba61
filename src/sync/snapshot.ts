import { sha1Base64url } from '../../scim/sha1.js';
import { query, type Executor } from '../db/client.js';
import type { PlannedEmployee } from './scope.js';

// One connection's rows are read in primary-key order, so that even a generic plan costed from
// statistics of a nearly empty table keeps the index (see directory-users.ts).

/** Rows per statement: large enough to keep round trips few, small enough to keep each statement light. */
const CHUNK = 2_000;

const UPSERT = `insert into snapshot_employees (connection_id, remote_id, run_id, data, digest)
  select $1::uuid, e -> 'data' ->> 'remoteId', $2::uuid, e -> 'data', e ->> 'digest' from jsonb_array_elements($3::jsonb) e
  on conflict (connection_id, remote_id) do update set run_id = excluded.run_id, data = excluded.data, digest = excluded.digest`;

// A run digests every employee (sha1.ts: one-shot hashing where Node has it).
const digestOf = (e: PlannedEmployee) => sha1Base64url(JSON.stringify(e));

/**
 * Records this run's employees in the connection's snapshot, rewriting only the records that
 * changed: a run with no change in HR reads the digests and writes nothing. A full run makes the
 * snapshot exactly its list: the snapshot is always one whole run, never a mix of two (the writes
 * are one statement, or one transaction when there are several). An incremental run brings only
 * changed people, so it adds and updates but removes no one. Only the connection's lease holder
 * writes its snapshot, so the digests read before the write are still the stored ones.
 */
export async function saveSnapshot(
  db: Executor,
  connectionId: string,
  runId: string,
  employees: PlannedEmployee[],
  { complete }: { complete: boolean },
): Promise<{ written: number; removed: number }> {
  // A full run compares against the whole snapshot (who is missing has left); an incremental one only against its own people.
  const stored = new Map(
    (complete
      ? await query<{ remote_id: string; digest: string }>(db, 'select remote_id, digest from snapshot_employees where connection_id = $1 order by connection_id, remote_id', [connectionId])
      : await query<{ remote_id: string; digest: string }>(db, 'select remote_id, digest from snapshot_employees where connection_id = $1 and remote_id in (select jsonb_array_elements_text($2::jsonb)) order by connection_id, remote_id', [
          connectionId,
          JSON.stringify(employees.map((e) => e.remoteId)),
        ])
    ).map((r) => [r.remote_id, r.digest]),
  );
  const storedBefore = new Set(stored.keys());
  const changed: { data: PlannedEmployee; digest: string }[] = [];
  for (const e of employees) {
    const digest = digestOf(e);
    if (stored.get(e.remoteId) !== digest) changed.push({ data: e, digest });
    stored.delete(e.remoteId);
  }
  const gone = complete ? [...stored.keys()] : [];
  // Each write's JSON is built as it is sent: held all at once, a first run's 50,000 records would
  // sit in memory as text on top of the records themselves.
  const writes: (() => [string, unknown[]])[] = [];
  for (let start = 0; start < changed.length; start += CHUNK) writes.push(() => [UPSERT, [connectionId, runId, JSON.stringify(changed.slice(start, start + CHUNK))]]);
  if (gone.length > 0) writes.push(() => ['delete from snapshot_employees where connection_id = $1 and remote_id in (select jsonb_array_elements_text($2::jsonb))', [connectionId, JSON.stringify(gone)]]);
  if (writes.length > 0) {
    // The connection keeps the snapshot's size for the scheduler's memory budget, written with the
    // first write. An incremental run knows only its own people: it adds those not stored before.
    const first = writes[0]!;
    const added = complete ? employees.length : employees.filter((e) => !storedBefore.has(e.remoteId)).length;
    writes[0] = () => {
      const [text, params] = first();
      const size = complete ? `$${params.length + 1}::int` : `coalesce(snapshot_employees, 0) + $${params.length + 1}::int`;
      return [`with snapshot_size as (update connections set snapshot_employees = ${size} where id = $1) ${text}`, [...params, added]];
    };
  }
  if (writes.length === 1) await query(db, ...writes[0]!());
  else if (writes.length > 1)
    await db.transaction(async (tx) => {
      for (const write of writes) await query(tx as unknown as Executor, ...write());
    });
  return { written: changed.length, removed: gone.length };
}

/** The connection's snapshot as of its last applied run (empty before the first): the base an incremental run's changes go on, and the people team sync builds from. */
export async function loadSnapshot(db: Executor, connectionId: string): Promise<PlannedEmployee[]> {
  const found = await query<{ data: PlannedEmployee }>(db, 'select data from snapshot_employees where connection_id = $1 order by connection_id, remote_id', [connectionId]);
  return found.map((r) => r.data);
}
