import { query, toDate, type Executor } from '../../db/client.js';
import { SETTLED } from '../feed.js';

/**
 * Endpoint leases, as for HR connections (src/connections/lease.ts): a claim takes one endpoint
 * with FOR UPDATE SKIP LOCKED and stamps an owner and an expiry, so across any number of replicas
 * an endpoint has one dispatcher, hence one delivery in flight and its events in feed order. A
 * replica that dies loses the lease when it expires; the next claim resends the event it was on,
 * with the same delivery id.
 */
export interface ClaimedEndpoint {
  id: string;
  tenantId: string;
  url: string;
  eventTypes: string[];
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  cursorXid: string;
  cursorSeq: number;
  attempts: number;
}

/** Enabled, not leased, not waiting for a retry, and with a settled event after its cursor; longest waiting first. */
const CLAIM = `update webhook_endpoints w set lease_owner = $1, lease_until = now() + make_interval(secs => $2)
  where w.id = (
    select x.id from webhook_endpoints x
    where x.enabled and (x.lease_until is null or x.lease_until < now()) and (x.next_attempt_at is null or x.next_attempt_at <= now())
      and exists (select 1 from change_events e where e.tenant_id = x.tenant_id and (e.xid, e.seq) > (x.cursor_xid, x.cursor_seq) and ${SETTLED})
    order by x.next_attempt_at nulls first, x.lease_until nulls first
    limit 1
    for update skip locked)
  returning w.id, w.tenant_id, w.url, w.event_types, w.secret, w.previous_secret, w.previous_secret_until,
    w.cursor_xid::text as cursor_xid, w.cursor_seq, w.attempts`;

interface RawClaim {
  id: string;
  tenant_id: string;
  url: string;
  event_types: string[] | string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | string | null;
  cursor_xid: string;
  cursor_seq: string | number;
  attempts: number;
}

/** postgres.js under drizzle returns text[] as its literal; PGlite as an array. */
const textArray = (v: string[] | string): string[] => (Array.isArray(v) ? v : v === '{}' ? [] : v.slice(1, -1).split(',').map((s) => s.replace(/^"|"$/g, '')));

export async function claimEndpoint(db: Executor, owner: string, leaseSeconds: number): Promise<ClaimedEndpoint | undefined> {
  const [r] = await query<RawClaim>(db, CLAIM, [owner, leaseSeconds]);
  if (!r) return undefined;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    url: r.url,
    eventTypes: textArray(r.event_types),
    secret: r.secret,
    previousSecret: r.previous_secret,
    previousSecretUntil: r.previous_secret_until === null ? null : toDate(r.previous_secret_until),
    cursorXid: r.cursor_xid,
    cursorSeq: Number(r.cursor_seq),
    attempts: r.attempts,
  };
}

/**
 * Gives the lease back (nothing left to send, or its turn is over). `lease_until` keeps the time
 * it was given back: claims take the endpoint that has waited longest first.
 */
export async function releaseEndpoint(db: Executor, id: string, owner: string): Promise<void> {
  await query(db, 'update webhook_endpoints set lease_owner = null, lease_until = now() where id = $1 and lease_owner = $2', [id, owner]);
}

/** What an admin can change on an endpoint while it is being delivered to. */
export type EndpointConfig = Pick<ClaimedEndpoint, 'url' | 'eventTypes' | 'secret' | 'previousSecret' | 'previousSecretUntil'>;

/**
 * The endpoint as it is now, while this owner holds it; undefined when it is disabled, deleted or
 * no longer held. Read before every delivery: a rotated secret, a new URL or a disabled endpoint
 * applies to the very next one, even in the middle of a long backlog. One primary-key read per
 * delivery is the price, small next to the POST itself.
 */
const CONFIG = `select url, event_types, secret, previous_secret, previous_secret_until from webhook_endpoints
  where id = $1 and lease_owner = $2 and enabled`;

export async function endpointConfig(db: Executor, id: string, owner: string): Promise<EndpointConfig | undefined> {
  const [r] = await query<Pick<RawClaim, 'url' | 'event_types' | 'secret' | 'previous_secret' | 'previous_secret_until'>>(db, CONFIG, [id, owner]);
  if (!r) return undefined;
  return {
    url: r.url,
    eventTypes: textArray(r.event_types),
    secret: r.secret,
    previousSecret: r.previous_secret,
    previousSecretUntil: r.previous_secret_until === null ? null : toDate(r.previous_secret_until),
  };
}
