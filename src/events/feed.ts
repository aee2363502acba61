import { DomainError } from '../../scim/errors.js';
import { query, toDate, type Executor } from '../db/client.js';
import { redactForEvent } from './redact.js';

/**
 * The change feed of one tenant, in a fixed order that only ever grows at its end.
 *
 * `seq` comes from a sequence at insert time, but transactions commit in another order: a reader
 * going by `seq` could see 11, move on, and never see 10 committed a moment later. So the feed is
 * ordered by (writing transaction id, seq) and shows only events of transactions older than every
 * transaction of this database still running (HORIZON). Any event that becomes visible later belongs
 * to a transaction at or above that horizon, so it sorts after everything already shown, and a
 * cursor never skips one. The price is a lag as long as the oldest running write transaction.
 */
export interface FeedPosition {
  xid: string;
  seq: number;
}

export const START: FeedPosition = { xid: '0', seq: 0 };

const CURSOR = /^(\d{1,20})-(\d{1,19})$/;

export const encodeCursor = (p: FeedPosition): string => `${p.xid}-${p.seq}`;

export function decodeCursor(cursor: string | undefined): FeedPosition {
  if (cursor === undefined || cursor === '') return START;
  const m = CURSOR.exec(cursor);
  if (!m) throw new DomainError('invalid_value', `after: "${cursor}" is not a feed cursor (use the \`cursor\` of an event, or \`next\` of a page)`);
  return { xid: m[1]!, seq: Number(m[2]) };
}

/** An event as the feed and webhooks show it: the stored payload (resource, changed, version, …) flattened in. */
export interface FeedEvent {
  id: string;
  cursor: string;
  type: string;
  occurredAt: string;
  tenantId: string;
  source: Record<string, unknown>;
  resourceType: string;
  resourceId: string | null;
  [field: string]: unknown;
}

export interface RawEvent {
  seq: string | number;
  xid: string;
  tenant_id: string;
  type: string;
  resource_type: string;
  resource_id: string | null;
  source: Record<string, unknown>;
  payload: Record<string, unknown>;
  created_at: Date | string;
}

export const EVENT_COLUMNS = 'e.seq, e.xid::text as xid, e.tenant_id, e.type, e.resource_type, e.resource_id, e.source, e.payload, e.created_at';

/**
 * The oldest transaction that may still commit an event: the statement snapshot's in-progress ids,
 * less those a backend of another database holds (a long transaction elsewhere on a shared cluster
 * must not stall this feed; it cannot write here), else the snapshot's xmax. An id that cannot be
 * placed (its backend already gone, or hidden) counts: that costs a moment of lag, never an event.
 * pg_stat_activity shows 32-bit xids, hence the modulo.
 */
export const HORIZON = `coalesce(
  (select min(x) from pg_snapshot_xip(pg_current_snapshot()) x
    where not exists (select 1 from pg_stat_activity a
      where a.datname <> current_database() and a.backend_xid is not null and a.backend_xid::text::bigint = x::text::bigint % 4294967296)),
  pg_snapshot_xmax(pg_current_snapshot()))`;

/** Settled: written by a transaction older than any of this database still running (see above). */
export const SETTLED = `e.xid < ${HORIZON}`;

export function toFeedEvent(row: RawEvent): FeedEvent {
  const position = { xid: row.xid, seq: Number(row.seq) };
  const { resource, ...rest } = row.payload;
  return {
    id: String(row.seq),
    cursor: encodeCursor(position),
    type: row.type,
    occurredAt: toDate(row.created_at).toISOString(),
    tenantId: row.tenant_id,
    source: row.source,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    // Redacted when written; again here for events written before that rule existed.
    ...(resource && typeof resource === 'object' ? { resource: redactForEvent(resource as Record<string, unknown>) } : {}),
    ...rest,
  };
}

export interface FeedQuery {
  after?: FeedPosition;
  limit: number;
  /** Only these types; undefined or empty means all. */
  types?: readonly string[];
}

const READ = `select ${EVENT_COLUMNS} from change_events e
  where e.tenant_id = $1 and (e.xid, e.seq) > ($2::xid8, $3::bigint) and ${SETTLED}
    and (cardinality($4::text[]) = 0 or e.type = any($4::text[]))
  order by e.xid, e.seq limit $5`;

export async function readFeed(db: Executor, tenantId: string, q: FeedQuery): Promise<{ items: FeedEvent[]; next: string }> {
  const after = q.after ?? START;
  const found = await query<RawEvent>(db, READ, [tenantId, after.xid, after.seq, `{${(q.types ?? []).join(',')}}`, q.limit]);
  const items = found.map(toFeedEvent);
  return { items, next: items.at(-1)?.cursor ?? encodeCursor(after) };
}

/** The position after the tenant's last settled event: where a new webhook endpoint starts. */
export async function feedHead(db: Executor, tenantId: string): Promise<FeedPosition> {
  const [row] = await query<{ xid: string; seq: string | number }>(
    db,
    `select e.xid::text as xid, e.seq from change_events e where e.tenant_id = $1 and ${SETTLED} order by e.xid desc, e.seq desc limit 1`,
    [tenantId],
  );
  return row ? { xid: row.xid, seq: Number(row.seq) } : START;
}
