import { query, type Executor } from '../db/client.js';
import type { ConnectionRow } from './connection.js';

/**
 * Leases make "one run per connection at a time" hold across any number of replicas: a claim
 * takes the row with FOR UPDATE SKIP LOCKED and stamps an owner and an expiry; a replica that
 * dies loses its lease when the expiry passes, and the next claim converges where it stopped.
 */

/** Connections the scheduler never picks up until an admin acts. */
const WAITING_FOR_ADMIN = `('invalid_credentials', 'needs_approval')`;

const RETURNING = `returning c.id, c.tenant_id as "tenantId", c.provider, c.base_url as "baseUrl", c.credentials, c.settings,
  c.scope_rules as "scopeRules", c.onboarding, c.schedule_minutes as "scheduleMinutes",
  c.safety_threshold_percent as "safetyThresholdPercent", c.disconnect_mode as "disconnectMode", c.status,
  c.status_reason as "statusReason", c.team_sync as "teamSync", c.next_run_at as "nextRunAt", c.lease_owner as "leaseOwner",
  c.lease_until as "leaseUntil", c.consecutive_failures as "consecutiveFailures", c.snapshot_employees as "snapshotEmployees", c.created_at as "createdAt", c.updated_at as "updatedAt"`;

const DUE = `d.status in ('connected', 'error') and coalesce(d.status_reason, '') not in ${WAITING_FOR_ADMIN}
      and d.next_run_at <= now() and (d.lease_until is null or d.lease_until < now())`;

/**
 * The oldest due connection, preferring tenants with no run in progress anywhere (a lease not yet
 * expired, on any replica, scheduled or "sync now"): a tenant with several connections, or one
 * long run, does not take every slot while other tenants wait. When only busy tenants have something
 * due, it is taken anyway: an idle slot helps nobody.
 *
 * Each choice walks the due index (connections_due_at) in due order and stops at the first row it
 * may lock, so a claim costs the same whether 10 or 20,000 connections are due, and replicas
 * claiming at once skip each other's rows instead of waiting or sorting the whole queue each time.
 * The second choice (busy tenants too) runs only when the first finds nothing. The claimed row
 * carries the size of the connection's last snapshot (what the run will hold in memory).
 */
const CLAIM_DUE = `update connections c set lease_owner = $1, lease_until = now() + make_interval(secs => $2)
  where c.id = coalesce(
    (select d.id from connections d
      where ${DUE} and not exists (select 1 from connections busy where busy.tenant_id = d.tenant_id and busy.lease_until >= now())
      order by d.next_run_at limit 1
      for update of d skip locked),
    (select d.id from connections d
      where ${DUE}
      order by d.next_run_at limit 1
      for update of d skip locked))
  ${RETURNING}`;

const CLAIM_ONE = `update connections c set lease_owner = $1, lease_until = now() + make_interval(secs => $2)
  where c.id = (
    select id from connections
    where id = $3 and tenant_id = $4 and status <> 'disconnected' and (lease_until is null or lease_until < now())
    for update skip locked)
  ${RETURNING}`;

type RawConnection = Omit<ConnectionRow, 'nextRunAt' | 'leaseUntil' | 'createdAt' | 'updatedAt'> & {
  nextRunAt: Date | string | null;
  leaseUntil: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
};

const date = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
const toRow = (r: RawConnection): ConnectionRow => ({
  ...r,
  nextRunAt: date(r.nextRunAt),
  leaseUntil: date(r.leaseUntil),
  createdAt: date(r.createdAt)!,
  updatedAt: date(r.updatedAt)!,
});

/** The next connection due for its scheduled run, leased to `owner`; undefined when none is due. */
export async function claimDue(db: Executor, owner: string, leaseSeconds: number): Promise<ConnectionRow | undefined> {
  const [row] = await query<RawConnection>(db, CLAIM_DUE, [owner, leaseSeconds]);
  return row && toRow(row);
}

/** This connection, leased to `owner`; undefined when another run holds it. */
export async function claimConnection(db: Executor, owner: string, leaseSeconds: number, tenantId: string, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await query<RawConnection>(db, CLAIM_ONE, [owner, leaseSeconds, id, tenantId]);
  return row && toRow(row);
}

/** Extends the lease while a long run makes progress; false when it was lost (expired and taken). */
export async function renewLease(db: Executor, owner: string, leaseSeconds: number, id: string): Promise<boolean> {
  const rows = await query(db, `update connections set lease_until = now() + make_interval(secs => $1) where id = $2 and lease_owner = $3 returning id`, [leaseSeconds, id, owner]);
  return rows.length > 0;
}

/**
 * Renews the lease every third of its length while `work` runs, so a run that spends longer than
 * a lease on one slow HR request, a large plan or a wait for its turn is not taken over by another
 * replica; a replica that dies stops renewing, and its lease lapses as before. `onLost` is told
 * once if another replica holds the connection by then (this one was stalled past its lease).
 */
export async function whileLeased<T>(db: Executor, owner: string, leaseSeconds: number, id: string, work: () => Promise<T>, onLost?: () => void): Promise<T> {
  let lost = false;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewLease(db, owner, leaseSeconds, id).then(
      (kept) => {
        if (!kept && !lost) {
          lost = true;
          onLost?.();
        }
      },
      // A failed renewal (the database briefly away) is retried at the next tick.
      () => {},
    );
  }, (leaseSeconds * 1000) / 3);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await renewing;
  }
}
