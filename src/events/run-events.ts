import type { syncRuns } from '../db/schema.js';
import type { ChangeEventInput } from './append.js';

type RunRow = typeof syncRuns.$inferSelect;

const TYPE_OF_END: Record<string, 'sync.completed' | 'sync.failed' | 'sync.held' | undefined> = {
  succeeded: 'sync.completed',
  failed: 'sync.failed',
  held: 'sync.held',
};

/**
 * The event for an applying run that has just ended, else null. Previews change nothing in the
 * directory, and an admin's approval or rejection of a held run is not its end (the approved run
 * that follows has its own). Counts, never the plan: the plan's operations name people.
 */
export function runEndedEvent(run: RunRow): ChangeEventInput | null {
  const type = run.mode === 'apply' ? TYPE_OF_END[run.state] : undefined;
  if (!type) return null;
  return {
    tenantId: run.tenantId,
    type,
    resourceType: 'Sync',
    resourceId: run.id,
    source: { kind: 'connection', id: run.connectionId },
    payload: {
      resource: {
        id: run.id,
        connectionId: run.connectionId,
        mode: run.mode,
        trigger: run.trigger,
        state: run.state,
        counts: run.counts,
        error: run.error,
        held: run.held,
        started: run.startedAt.toISOString(),
        finished: run.finishedAt?.toISOString() ?? null,
      },
      changed: ['state'],
    },
  };
}
