import { and, desc, eq, getTableColumns, lt } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import type { Executor } from '../db/client.js';
import { isUuid, uuidv7 } from '../db/ids.js';
import { syncRuns } from '../db/schema.js';
import { appendEvents } from '../events/append.js';
import { runEndedEvent } from '../events/run-events.js';
import { recordOperations, type RunOperation } from './run-operations.js';

export type RunRow = typeof syncRuns.$inferSelect;
export type RunMode = 'preview' | 'apply';
export type RunTrigger = 'schedule' | 'manual' | 'approval';
/** `held`: stopped by the safety stop, waiting for an admin; `approved`/`rejected`: what the admin decided. */
export type RunState = 'running' | 'succeeded' | 'failed' | 'held' | 'approved' | 'rejected';

export interface RunProgress {
  fetched: number;
  planned: number;
  applied: number;
  /** Milliseconds spent per phase so far, for operators sizing schedules and spotting a slow HR API. */
  fetchMs?: number;
  planMs?: number;
  applyMs?: number;
  /** 1 when the run read only what changed since the last one (no deletions are inferred from it). */
  incremental?: number;
  /** Building and writing the teams, when team sync is on. */
  teamsMs?: number;
  /** The attribute mapping version the run used (0: the connector's default); a different one makes the next run a full one. */
  mappingVersion?: number;
}

export async function startRun(db: Executor, init: { tenantId: string; connectionId: string; mode: RunMode; trigger: RunTrigger }): Promise<RunRow> {
  const progress: RunProgress = { fetched: 0, planned: 0, applied: 0 };
  const [row] = await db.insert(syncRuns).values({ id: uuidv7(), ...init, progress: { ...progress } }).returning();
  return row!;
}

export async function recordProgress(db: Executor, runId: string, progress: RunProgress): Promise<void> {
  await db.update(syncRuns).set({ progress: { ...progress } }).where(eq(syncRuns.id, runId));
}

export interface RunOutcome {
  state: Exclude<RunState, 'running'>;
  counts?: Record<string, number>;
  progress?: RunProgress;
  recordErrors?: unknown[];
  error?: string | null;
  /** Counts, conflicts and team changes; the operations go in `lines`. */
  plan?: Record<string, unknown>;
  /** The planned operations and skipped records, stored as rows of their own. */
  lines?: RunOperation[];
  held?: Record<string, unknown> | null;
  /** The admin who approved or rejected a held run. */
  decidedBy?: string;
}

/** Records the end of a run; an applying run's end goes into the change feed in the same transaction. */
export async function finishRun(db: Executor, runId: string, outcome: RunOutcome): Promise<RunRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(syncRuns)
      .set({
        state: outcome.state,
        ...(outcome.counts ? { counts: outcome.counts } : {}),
        ...(outcome.progress ? { progress: { ...outcome.progress } } : {}),
        ...(outcome.recordErrors ? { recordErrors: outcome.recordErrors } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        ...(outcome.plan ? { plan: outcome.plan } : {}),
        ...(outcome.held !== undefined ? { held: outcome.held } : {}),
        ...(outcome.decidedBy ? { decidedBy: outcome.decidedBy } : {}),
        finishedAt: new Date(),
      })
      .where(eq(syncRuns.id, runId))
      .returning();
    if (outcome.lines) await recordOperations(tx as unknown as Executor, runId, outcome.lines);
    const event = runEndedEvent(row!);
    if (event) await appendEvents(tx as unknown as Executor, [event]);
    return row!;
  });
}

/** A run left `running` by a process that died: it will never finish by itself. */
export async function failInterruptedRuns(db: Executor, connectionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const failed = await tx
      .update(syncRuns)
      .set({ state: 'failed', error: 'interrupted: the process running it stopped; the next run converges', finishedAt: new Date() })
      .where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.state, 'running')))
      .returning();
    await appendEvents(tx as unknown as Executor, failed.flatMap((run) => runEndedEvent(run) ?? []));
  });
}

export async function getRun(db: Executor, tenantId: string, runId: string): Promise<RunRow> {
  if (!isUuid(runId)) throw runNotFound(runId);
  const [row] = await db.select().from(syncRuns).where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.id, runId)));
  if (!row) throw runNotFound(runId);
  return row;
}

/** Every column but the plan: a run's plan holds one entry per person (50,000 on a large tenant), which a list never shows. */
const { plan: _plan, ...listed } = getTableColumns(syncRuns);

export async function listRuns(db: Executor, tenantId: string, connectionId: string, limit: number, before?: string): Promise<RunRow[]> {
  const found = await db
    .select(listed)
    .from(syncRuns)
    .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.connectionId, connectionId), before && isUuid(before) ? lt(syncRuns.id, before) : undefined))
    .orderBy(desc(syncRuns.id))
    .limit(limit);
  return found.map((r) => ({ ...r, plan: null }));
}

const runNotFound = (id: string) => new DomainError('not_found', `Sync run ${id} not found`);

/** A run as the admin API shows it; the plan's operations only when given (they can be 50,000: see run-operations.ts). */
export function runView(row: RunRow, operations?: RunOperation[]) {
  const plan = row.plan as { conflicts?: unknown[]; teams?: Record<string, unknown> } | null;
  return {
    id: row.id,
    connectionId: row.connectionId,
    mode: row.mode,
    trigger: row.trigger,
    state: row.state,
    counts: row.counts,
    progress: row.progress,
    error: row.error,
    held: row.held,
    decidedBy: row.decidedBy,
    recordErrors: row.recordErrors,
    ...(operations && plan ? { operations, conflicts: plan.conflicts ?? [], ...(plan.teams ? { teams: plan.teams } : {}) } : {}),
    started: row.startedAt.toISOString(),
    finished: row.finishedAt?.toISOString() ?? null,
  };
}
