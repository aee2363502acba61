import { query, type Executor } from '../db/client.js';
import type { ConnectionRow } from '../connections/connection.js';
import type { RunMode, RunTrigger } from './runs.js';

/** A full snapshot at least this often: only a full one proves who has left. */
export const FULL_SNAPSHOT_HOURS = 24;
/** Asked-for changes start this long before the last run began, for clocks that disagree. */
export const CLOCK_SKEW_MINUTES = 5;

const LAST_RUNS = `with last as (
    select max(started_at) filter (where coalesce((progress ->> 'incremental')::int, 0) = 0 and coalesce((progress ->> 'mappingVersion')::int, -1) = $5) as full_at,
      max(started_at) as run_at
    from sync_runs where connection_id = $1 and mode = 'apply' and state = 'succeeded')
  select full_at > now() - make_interval(hours => $2) and full_at > $3::timestamptz as full_is_recent,
    to_char((run_at - make_interval(mins => $4)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since
  from last`;

/**
 * Whether this run may ask the HR system only for what changed, and since when. It may when the
 * connector can, a scheduler started it (an admin's "sync now" reads everything), and a full
 * snapshot was applied within the last day and after the connection was last configured (a new
 * scope or setting may need records an incremental read would not bring), with the attribute
 * mapping in force now (the snapshot's people carry the values of the mapping that read them;
 * another mapping needs every record read again). Times are the
 * database's, so every replica agrees.
 */
export async function incrementalSince(
  db: Executor,
  connection: ConnectionRow,
  run: { mode: RunMode; trigger: RunTrigger; supported: boolean; mappingVersion: number },
): Promise<string | undefined> {
  if (!run.supported || run.mode !== 'apply' || run.trigger !== 'schedule') return undefined;
  const [last] = await query<{ full_is_recent: boolean | null; since: string | null }>(db, LAST_RUNS, [
    connection.id,
    FULL_SNAPSHOT_HOURS,
    connection.updatedAt.toISOString(),
    CLOCK_SKEW_MINUTES,
    run.mappingVersion,
  ]);
  return last?.full_is_recent && last.since ? last.since : undefined;
}
