import { and, desc, eq, getTableColumns, lt } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import { query, toDate, type Executor } from '../db/client.js';
import { isUuid, uuidv7 } from '../db/ids.js';
import { syncRuns } from '../db/schema.js';
import { OPERATIONS_CHUNK, OPERATIONS_INSERT, operationRows, recordOperations, type RunOperation } from './run-operations.js';

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

/** A run's columns under the names RunRow uses, for the statements written in SQL here. */
const RUN_COLUMNS = `id, tenant_id as "tenantId", connection_id as "connectionId", mode, trigger, state, counts, progress,
  record_errors as "recordErrors", error, plan, held, decided_by as "decidedBy", started_at as "startedAt", finished_at as "finishedAt"`;

type RawRun = Omit<RunRow, 'startedAt' | 'finishedAt'> & { startedAt: Date | string; finishedAt: Date | string | null };
const toRun = (r: RawRun): RunRow => ({ ...r, startedAt: toDate(r.startedAt), finishedAt: r.finishedAt === null ? null : toDate(r.finishedAt) });

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The change event of every applying run in the CTE \`ended\` that has just ended (what
 * src/events/run-events.ts builds, in SQL), so a run's end and its event are one statement.
 */
const RUN_ENDED_EVENTS = (ended: string) => `insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select tenant_id, case state when 'succeeded' then 'sync.completed' when 'failed' then 'sync.failed' else 'sync.held' end, 'Sync', id,
    jsonb_build_object('kind', 'connection', 'id', connection_id),
    jsonb_build_object(
      'resource', jsonb_build_object('id', id, 'connectionId', connection_id, 'mode', mode, 'trigger', trigger, 'state', state,
        'counts', counts, 'error', error, 'held', held, 'started', ${iso('started_at')}, 'finished', ${iso('finished_at')}),
      'changed', jsonb_build_array('state'))
  from ${ended} where mode = 'apply' and state in ('succeeded', 'failed', 'held')`;

export const INTERRUPTED = 'interrupted: the process running it stopped; the next run converges';

/**
 * Records a run as started, in one statement (one round trip: a fleet of small runs is made of
 * round trips). A run of this connection still \`running\` was left by a process that died (the
 * caller holds the lease, so no live run can be in progress): it is failed in the same statement,
 * with its event, so it never stays running.
 */
const START = `with interrupted as (
    update sync_runs set state = 'failed', error = $6, finished_at = now()
    where connection_id = $3 and state = 'running'
    returning *),
  interrupted_events as (${RUN_ENDED_EVENTS('interrupted')})
  insert into sync_runs (id, tenant_id, connection_id, mode, trigger, progress)
  values ($1, $2, $3, $4, $5, $7::jsonb)
  returning ${RUN_COLUMNS}`;

export async function startRun(db: Executor, init: { tenantId: string; connectionId: string; mode: RunMode; trigger: RunTrigger }): Promise<RunRow> {
  const progress: RunProgress = { fetched: 0, planned: 0, applied: 0 };
  const [row] = await query<RawRun>(db, START, [uuidv7(), init.tenantId, init.connectionId, init.mode, init.trigger, INTERRUPTED, JSON.stringify(progress)]);
  return toRun(row!);
}

export async function recordProgress(db: Executor, runId: string, progress: RunProgress): Promise<void> {
  await query(db, 'update sync_runs set progress = $2::jsonb where id = $1', [runId, JSON.stringify(progress)]);
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

/**
 * A run's end, its first lines and its change event, in one statement: only the fields the outcome
 * names change (\`$2\` holds them as one JSON object).
 */
const FINISH = `with run as (
    update sync_runs r set state = $2::jsonb ->> 'state',
      counts = case when $2::jsonb ? 'counts' then $2::jsonb -> 'counts' else r.counts end,
      progress = case when $2::jsonb ? 'progress' then $2::jsonb -> 'progress' else r.progress end,
      record_errors = case when $2::jsonb ? 'recordErrors' then $2::jsonb -> 'recordErrors' else r.record_errors end,
      error = case when $2::jsonb ? 'error' then $2::jsonb ->> 'error' else r.error end,
      plan = case when $2::jsonb ? 'plan' then $2::jsonb -> 'plan' else r.plan end,
      held = case when $2::jsonb ? 'held' then nullif($2::jsonb -> 'held', 'null'::jsonb) else r.held end,
      decided_by = case when $2::jsonb ? 'decidedBy' then $2::jsonb ->> 'decidedBy' else r.decided_by end,
      finished_at = now()
    where r.id = $1
    returning r.*),
  lines as (${OPERATIONS_INSERT.replace('$1::uuid', '(select id from run)').replace('$2::jsonb', '$3::jsonb')}),
  ended as (${RUN_ENDED_EVENTS('run')})
  select ${RUN_COLUMNS} from run`;

/**
 * Records the end of a run; an applying run's end goes into the change feed with it. One statement
 * when its lines fit one chunk (any run of a small company); a larger plan's other lines go first,
 * in the same transaction.
 */
export async function finishRun(db: Executor, runId: string, outcome: RunOutcome): Promise<RunRow> {
  const { lines = [], ...fields } = outcome;
  const finish = async (executor: Executor) => {
    const [row] = await query<RawRun>(executor, FINISH, [runId, JSON.stringify(fields), JSON.stringify(operationRows(lines.slice(0, OPERATIONS_CHUNK)))]);
    if (!row) throw new DomainError('not_found', `Sync run ${runId} not found`);
    return toRun(row);
  };
  if (lines.length <= OPERATIONS_CHUNK) return finish(db);
  return db.transaction(async (tx) => {
    await recordOperations(tx as unknown as Executor, runId, lines.slice(OPERATIONS_CHUNK), OPERATIONS_CHUNK);
    return finish(tx as unknown as Executor);
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
