import { query, type Executor } from '../db/client.js';

/** Rows deleted per statement: short transactions, so pruning never holds the feed's horizon back for long. */
const CHUNK = 5000;

/**
 * Deletes change events and delivery log rows older than the retention. Events are kept past it
 * while an enabled endpoint has yet to deliver them (its cursor is before them), so a slow receiver
 * retrying for up to three days never loses one to pruning.
 */
export async function pruneOlderThan(db: Executor, retentionDays: number): Promise<{ events: number; deliveries: number }> {
  let events = 0;
  let deliveries = 0;
  for (;;) {
    const gone = await query(
      db,
      `delete from change_events where seq in (
         select e.seq from change_events e where e.created_at < now() - make_interval(secs => $1::float8 * 86400)
           and not exists (select 1 from webhook_endpoints w where w.enabled and w.tenant_id = e.tenant_id and (w.cursor_xid, w.cursor_seq) < (e.xid, e.seq))
         limit $2)
       returning seq`,
      [retentionDays, CHUNK],
    );
    events += gone.length;
    if (gone.length < CHUNK) break;
  }
  for (;;) {
    const gone = await query(
      db,
      `delete from webhook_deliveries where id in (select id from webhook_deliveries where created_at < now() - make_interval(secs => $1::float8 * 86400) limit $2) returning id`,
      [retentionDays, CHUNK],
    );
    deliveries += gone.length;
    if (gone.length < CHUNK) break;
  }
  return { events, deliveries };
}

/**
 * Prunes now and then every `everyMs`, in the background of a server process (each replica: a
 * second pruner finds the rows gone). Returns the function that stops it.
 */
export function startRetention(db: Executor, retentionDays: number, everyMs: number, log?: { info(o: object, m: string): void; warn(o: object, m: string): void }): () => void {
  let busy = false;
  const run = () => {
    if (busy) return;
    busy = true;
    pruneOlderThan(db, retentionDays)
      .then((pruned) => {
        if (pruned.events + pruned.deliveries > 0) log?.info(pruned, 'pruned change events and webhook deliveries past their retention');
      })
      // Closing, or the database away for a moment: the next round retries.
      .catch((error: unknown) => log?.warn({ err: (error as Error).message }, 'pruning the change feed failed'))
      .finally(() => {
        busy = false;
      });
  };
  const first = setTimeout(run, 10_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
