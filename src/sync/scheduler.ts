import { claimDue, whileLeased } from '../connections/lease.js';
import { releaseLease } from '../connections/outcome.js';
import { runClaimed, type ConnectionDeps } from '../connections/service.js';
import { startPollLoop, type PollLoop } from '../background/poll-loop.js';
import { createRunBudget, type RunBudget } from './run-budget.js';
import { expectedRunMegabytes } from './run-size.js';

/** `wake` looks for due connections now ("sync now" from another replica's API); `stop` waits for the runs in progress. */
export interface Scheduler extends PollLoop {
  /** The memory budget's state, for metrics and tests. */
  budget: RunBudget;
}

export interface SchedulerOptions {
  pollSeconds: number;
  /** Runs this replica makes at once (SYNC_CONCURRENCY). */
  concurrency: number;
  /** The expected memory of the runs in progress stays within this (SYNC_MEMORY_BUDGET_MB). */
  memoryBudgetMb: number;
}

/**
 * Polls for due connections and runs up to `concurrency` of them at once. Each slot is a loop of
 * its own: it claims the oldest due connection, runs it, and claims the next, so a long run holds
 * one slot while the others keep taking the rest of the fleet. Any number of replicas can run
 * this: a connection is claimed with a lease (FOR UPDATE SKIP LOCKED), so no two ever run it at
 * once. Push sources are never polled; only HR connections have a schedule.
 *
 * A run's writes are sequential (one statement or one transaction at a time), so the runs in
 * progress hold at most `concurrency` database connections; the configuration keeps that below
 * the pool so requests are still served. A run holds its whole HR read in memory: before it
 * starts, it takes its expected size from the memory budget and waits for its turn when the
 * budget is full (its lease renewed meanwhile).
 */
export function startScheduler(deps: ConnectionDeps, options: SchedulerOptions): Scheduler {
  const budget = createRunBudget(options.memoryBudgetMb);
  const runOne = (isStopped: () => boolean) => runNextDue(deps, budget, isStopped);
  const drain = async (isStopped: () => boolean) => {
    while (!isStopped() && (await runOne(isStopped)));
  };
  const onError = (error: Error) => deps.log?.error({ err: error.message }, 'scheduler could not claim a connection');
  const slots = Array.from({ length: options.concurrency }, () => startPollLoop(drain, options.pollSeconds * 1000, onError));
  return {
    budget,
    wake: () => slots.forEach((slot) => slot.wake()),
    stop: async () => {
      await Promise.all(slots.map((slot) => slot.stop()));
    },
  };
}

/**
 * One slot's turn: claim the oldest due connection (tenants with no run in progress first), take
 * its expected size from the memory budget, run it. False when nothing was due, or when stopping.
 */
export async function runNextDue(deps: ConnectionDeps, budget: RunBudget, isStopped: () => boolean = () => false): Promise<boolean> {
  const connection = await claimDue(deps.db, deps.owner, deps.leaseSeconds);
  if (!connection) return false;
  const megabytes = expectedRunMegabytes(connection);
  const release = await whileLeased(deps.db, deps.owner, deps.leaseSeconds, connection.id, () => budget.acquire(megabytes));
  try {
    // Stopping while this one waited: give it back for another replica (or the next start).
    if (isStopped()) {
      await releaseLease(deps.db, connection.id, deps.owner);
      return false;
    }
    deps.log?.info({ connectionId: connection.id, tenantId: connection.tenantId, megabytes: Math.round(megabytes) }, 'scheduled sync starting');
    await runClaimed(deps, connection, { mode: 'apply', trigger: 'schedule' }).catch((error: unknown) => {
      deps.log?.error({ connectionId: connection.id, err: (error as Error).message }, 'scheduled sync failed');
    });
  } finally {
    release();
  }
  return true;
}
