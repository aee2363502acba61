import { claimDue } from '../connections/lease.js';
import { runClaimed, type ConnectionDeps } from '../connections/service.js';

export interface Scheduler {
  /** Look for due connections now instead of at the next tick ("sync now" from another replica's API). */
  wake(): void;
  /** Stops claiming; resolves when the run in progress, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Polls for due connections and runs them one at a time. Any number of replicas can run this: a
 * connection is claimed with a lease (FOR UPDATE SKIP LOCKED), so no two ever run it at once.
 * Push sources are never polled; only HR connections have a schedule.
 */
export function startScheduler(deps: ConnectionDeps, pollSeconds: number): Scheduler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const drain = async () => {
    while (!stopped) {
      const connection = await claimDue(deps.db, deps.owner, deps.leaseSeconds);
      if (!connection) return;
      deps.log?.info({ connectionId: connection.id, tenantId: connection.tenantId }, 'scheduled sync starting');
      await runClaimed(deps, connection, { mode: 'apply', trigger: 'schedule' }).catch((error: unknown) => {
        deps.log?.error({ connectionId: connection.id, err: (error as Error).message }, 'scheduled sync failed');
      });
    }
  };
  const tick = () => {
    timer = undefined;
    current = drain()
      .catch((error: unknown) => deps.log?.error({ err: (error as Error).message }, 'scheduler could not claim a connection'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollSeconds * 1000);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    wake() {
      if (timer && !stopped) {
        clearTimeout(timer);
        timer = setTimeout(tick, 0);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
