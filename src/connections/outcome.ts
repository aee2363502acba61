import { query, type Executor } from '../db/client.js';
import { CONNECTION_STATUS_EVENT_SQL } from '../events/connection-events.js';
import type { RunResult } from '../sync/run.js';
import type { RunMode } from '../sync/runs.js';
import type { ConnectionRow } from './connection.js';

/** First retry after a failed run; doubles per consecutive failure, capped at the schedule. */
const FIRST_RETRY_MINUTES = 1;

export function backoffMinutes(failures: number, scheduleMinutes: number, random: () => number = Math.random): number {
  const base = Math.min(scheduleMinutes, FIRST_RETRY_MINUTES * 2 ** Math.max(0, failures - 1));
  // ±20 % jitter so replicas and connections that failed together do not retry together.
  return base * (0.8 + 0.4 * random());
}

/**
 * Writes what a finished run means for its connection and gives the lease back, in one statement:
 * connected and scheduled after a success; held for an admin after a safety stop; waiting for new
 * credentials after a 401/403; otherwise in error with a retry after a growing backoff.
 */
export interface RunOutcomeForConnection {
  mode: RunMode;
  /** The safety stop held the run. */
  held: boolean;
  failure?: RunResult['failure'];
}

export async function recordRunOutcome(db: Executor, connection: ConnectionRow, owner: string, result: RunOutcomeForConnection): Promise<void> {
  // A preview that worked changes nothing about the connection's state or schedule.
  if (result.mode === 'preview' && !result.failure) return releaseLease(db, connection.id, owner);
  let status = 'connected';
  let reason: string | null = null;
  let failures = 0;
  let nextInMinutes: number | null = connection.scheduleMinutes;
  if (result.failure) {
    status = 'error';
    reason = result.failure.reason;
    failures = connection.consecutiveFailures + 1;
    nextInMinutes = reason === 'invalid_credentials' ? null : backoffMinutes(failures, connection.scheduleMinutes);
  } else if (result.held) {
    status = 'error';
    reason = 'needs_approval';
    nextInMinutes = null;
  }
  // A status that moved goes into the change feed in the same statement.
  await query(
    db,
    `with prior as (select id, status, status_reason from connections where id = $1 and (lease_owner = $6 or lease_owner is null) for update),
     changed as (
       update connections c set status = $2, status_reason = $3, consecutive_failures = $4,
         next_run_at = case when $5::float8 is null then null else now() + make_interval(secs => $5::float8 * 60) end,
         lease_owner = null, lease_until = null
       from prior where c.id = prior.id
       returning c.id, c.tenant_id, c.provider, c.status, c.status_reason, prior.status as old_status, prior.status_reason as old_reason)
     ${CONNECTION_STATUS_EVENT_SQL}`,
    [connection.id, status, reason, failures, nextInMinutes, owner],
  );
}

/** Gives a lease back without touching anything else (a run that never started). */
export async function releaseLease(db: Executor, id: string, owner: string): Promise<void> {
  await query(db, 'update connections set lease_owner = null, lease_until = null where id = $1 and lease_owner = $2', [id, owner]);
}
