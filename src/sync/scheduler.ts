import { claimDue } from '../connections/lease.js';
import { runClaimed, type ConnectionDeps } from '../connections/service.js';
import { startPollLoop, type PollLoop } from '../background/poll-loop.js';

/** `wake` looks for due connections now ("sync now" from another replica's API); `stop` waits for the run in progress. */
export type Scheduler = PollLoop;

/**
 * Polls for due connections and runs them one at a time. Any number of replicas can run this: a
 * connection is claimed with a lease (FOR UPDATE SKIP LOCKED), so no two ever run it at once.
 * Push sources are never polled; only HR connections have a schedule.
 */
export function startScheduler(deps: ConnectionDeps, pollSeconds: number): Scheduler {
  const drain = async (isStopped: () => boolean) => {
    while (!isStopped()) {
      const connection = await claimDue(deps.db, deps.owner, deps.leaseSeconds);
      if (!connection) return;
      deps.log?.info({ connectionId: connection.id, tenantId: connection.tenantId }, 'scheduled sync starting');
      await runClaimed(deps, connection, { mode: 'apply', trigger: 'schedule' }).catch((error: unknown) => {
        deps.log?.error({ connectionId: connection.id, err: (error as Error).message }, 'scheduled sync failed');
      });
    }
  };
  return startPollLoop(drain, pollSeconds * 1000, (error) => deps.log?.error({ err: error.message }, 'scheduler could not claim a connection'));
}
