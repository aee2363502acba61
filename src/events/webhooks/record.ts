import { query, type Executor } from '../../db/client.js';
import { uuidv7 } from '../../db/ids.js';
import type { FeedPosition } from '../feed.js';
import type { PostOutcome } from './post.js';

/*
 * What a delivery attempt leaves behind, each in one statement guarded by the lease: the endpoint's
 * cursor and failure state, and the delivery log row (one per endpoint and event, updated on each
 * attempt). A statement that finds the lease gone changes nothing and returns no row: another
 * replica owns the endpoint now, and this one stops.
 */

/** A run of deliveries in one statement: the cursor moves past the last, one log row each. */
const DELIVERED = `with w as (
  update webhook_endpoints set cursor_xid = $3::xid8, cursor_seq = $4, attempts = 0, failing_since = null, next_attempt_at = null,
    lease_until = now() + make_interval(secs => $5)
  where id = $1 and lease_owner = $2 returning id, tenant_id)
insert into webhook_deliveries (id, tenant_id, endpoint_id, event_seq, event_type, state, attempts, last_status, last_error, duration_ms, delivered_at)
  select x.id, w.tenant_id, w.id, x.seq, x.type, 'delivered', 1, x.status, null, x.ms, now()
  from w, jsonb_to_recordset($6::jsonb) as x(id uuid, seq bigint, type text, status int, ms int)
  on conflict (endpoint_id, event_seq) do update set state = 'delivered', attempts = webhook_deliveries.attempts + 1,
    last_status = excluded.last_status, last_error = null, duration_ms = excluded.duration_ms, updated_at = now(), delivered_at = now()
  returning 1`;

export interface Attempt {
  endpointId: string;
  owner: string;
  event: { seq: number; type: string };
  outcome: PostOutcome;
}

export interface Delivered {
  seq: number;
  type: string;
  outcome: PostOutcome;
}

/**
 * Delivered: the cursor moves past the last of them and the lease is extended. False: the lease
 * was lost (another replica resends from the cursor it finds, under the same delivery ids).
 */
export async function recordDelivered(db: Executor, endpointId: string, owner: string, delivered: Delivered[], position: FeedPosition, leaseSeconds: number): Promise<boolean> {
  const log = delivered.map((d) => ({ id: uuidv7(), seq: d.seq, type: d.type, status: d.outcome.status, ms: d.outcome.durationMs }));
  const rows = await query(db, DELIVERED, [endpointId, owner, position.xid, position.seq, leaseSeconds, JSON.stringify(log)]);
  return rows.length > 0;
}

/**
 * Failed: the cursor stays before the event (moved only past the non-matching events before it),
 * the next attempt waits `retryInSeconds`, and the lease is given back. An endpoint failing for
 * longer than `giveUpSeconds` is disabled, with the reason an admin sees on it, and the event's log
 * row says `failed` instead of `retrying`.
 */
const FAILED = `with w as (
  update webhook_endpoints set cursor_xid = $3::xid8, cursor_seq = $4, attempts = attempts + 1,
    failing_since = coalesce(failing_since, now()), next_attempt_at = now() + make_interval(secs => $5),
    enabled = enabled and coalesce(failing_since, now()) > now() - make_interval(secs => $6),
    disabled_reason = case when coalesce(failing_since, now()) > now() - make_interval(secs => $6) then disabled_reason
      else 'failing since ' || to_char(coalesce(failing_since, now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' (' || (attempts + 1) || ' attempts); last: ' || $7::text end,
    lease_owner = null, lease_until = null, updated_at = now()
  where id = $1 and lease_owner = $2 returning id, tenant_id, enabled)
insert into webhook_deliveries (id, tenant_id, endpoint_id, event_seq, event_type, state, attempts, last_status, last_error, duration_ms)
  select $8, w.tenant_id, w.id, $9, $10, case when w.enabled then 'retrying' else 'failed' end, 1, $11, $7::text, $12 from w
  on conflict (endpoint_id, event_seq) do update set state = excluded.state, attempts = webhook_deliveries.attempts + 1,
    last_status = excluded.last_status, last_error = excluded.last_error, duration_ms = excluded.duration_ms, updated_at = now()
  returning state`;

export async function recordFailed(
  db: Executor,
  a: Attempt,
  before: FeedPosition,
  retry: { inSeconds: number; giveUpSeconds: number },
): Promise<'retrying' | 'failed' | 'lost'> {
  const rows = await query<{ state: 'retrying' | 'failed' }>(db, FAILED, [
    a.endpointId,
    a.owner,
    before.xid,
    before.seq,
    retry.inSeconds,
    retry.giveUpSeconds,
    a.outcome.error ?? 'failed',
    uuidv7(),
    a.event.seq,
    a.event.type,
    a.outcome.status,
    a.outcome.durationMs,
  ]);
  return rows[0]?.state ?? 'lost';
}

/** Moves the cursor past events the endpoint does not want; keeps the lease. */
export async function recordSkipped(db: Executor, endpointId: string, owner: string, position: FeedPosition, leaseSeconds: number): Promise<boolean> {
  const rows = await query(
    db,
    `update webhook_endpoints set cursor_xid = $3::xid8, cursor_seq = $4, lease_until = now() + make_interval(secs => $5)
     where id = $1 and lease_owner = $2 returning id`,
    [endpointId, owner, position.xid, position.seq, leaseSeconds],
  );
  return rows.length > 0;
}

/** A test send goes into the log too (no event, so no cursor), whatever came of it. */
export async function recordTest(db: Executor, tenantId: string, endpointId: string, outcome: PostOutcome): Promise<void> {
  await query(
    db,
    `insert into webhook_deliveries (id, tenant_id, endpoint_id, event_seq, event_type, state, attempts, last_status, last_error, duration_ms, delivered_at)
     values ($1, $2, $3, null, 'webhook.test', $4, 1, $5, $6, $7, case when $4 = 'delivered' then now() end)`,
    [uuidv7(), tenantId, endpointId, outcome.ok ? 'delivered' : 'failed', outcome.status, outcome.error, outcome.durationMs],
  );
}
