import { DomainError } from '../../scim/errors.js';
import { query, type Executor } from '../db/client.js';
import type { Plan } from './plan-types.js';

/** One line of what a run would do or did: a planned operation, or an HR record it skipped, with why. */
export interface RunOperation {
  kind: string;
  remoteId: string | null;
  userId?: string;
  email?: string;
  reason: string;
  /** A create's lifecycle; an update's changed fields. */
  lifecycle?: string;
  changed?: string[];
}

/** The kinds a run records: the plan's operations, then the skipped records. */
export const OPERATION_KINDS = ['create', 'link', 'update', 'reactivate', 'archive', 'release', 'skipped'] as const;

/** A plan as lines, in plan order, skipped records last. */
export function planLines(plan: Pick<Plan, 'operations' | 'skipped'>): RunOperation[] {
  const operations: RunOperation[] = plan.operations.map((op) => {
    const email = 'employee' in op ? op.employee?.workEmail : undefined;
    return {
      kind: op.kind,
      remoteId: op.remoteId,
      ...('userId' in op ? { userId: op.userId } : {}),
      ...(email ? { email } : {}),
      ...(op.kind === 'create' ? { lifecycle: op.lifecycle } : {}),
      ...(op.kind === 'update' ? { changed: op.changed } : {}),
      reason: op.reason,
    };
  });
  const skipped: RunOperation[] = plan.skipped.map((s) => ({
    kind: 'skipped',
    remoteId: s.remoteId,
    ...(s.userId ? { userId: s.userId } : {}),
    ...(s.email ? { email: s.email } : {}),
    reason: s.reason,
  }));
  return [...operations, ...skipped];
}

/** Rows per statement: one JSON parameter each, so 50,000 lines are 10 round trips, not 50,000. */
export const OPERATIONS_CHUNK = 5000;
export const OPERATIONS_INSERT = `insert into sync_run_operations (run_id, seq, kind, remote_id, user_id, email, reason, detail)
  select $1::uuid, x.seq, x.kind, x.remote_id, x.user_id, x.email, x.reason, coalesce(x.detail, '{}'::jsonb)
  from jsonb_to_recordset($2::jsonb) as x(seq int, kind text, remote_id text, user_id text, email text, reason text, detail jsonb)`;

/** Lines as the rows OPERATIONS_INSERT reads, numbered from `firstSeq`. */
export function operationRows(lines: RunOperation[], firstSeq = 1) {
  return lines.map((line, i) => ({
    seq: firstSeq + i,
    kind: line.kind,
    remote_id: line.remoteId,
    user_id: line.userId ?? null,
    email: line.email ?? null,
    reason: line.reason,
    detail: { ...(line.lifecycle ? { lifecycle: line.lifecycle } : {}), ...(line.changed ? { changed: line.changed } : {}) },
  }));
}

/** Writes a run's lines (inside the transaction that finishes the run), numbered after the `skipped` lines before them. */
export async function recordOperations(db: Executor, runId: string, lines: RunOperation[], skipped = 0): Promise<void> {
  for (let start = 0; start < lines.length; start += OPERATIONS_CHUNK) {
    await query(db, OPERATIONS_INSERT, [runId, JSON.stringify(operationRows(lines.slice(start, start + OPERATIONS_CHUNK), skipped + start + 1))]);
  }
}

interface RawLine {
  seq: number;
  kind: string;
  remote_id: string | null;
  user_id: string | null;
  email: string | null;
  reason: string;
  detail: Record<string, unknown> | string;
}

const lineOf = (r: RawLine): RunOperation => {
  const detail = (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as { lifecycle?: string; changed?: string[] };
  return {
    kind: r.kind,
    remoteId: r.remote_id,
    ...(r.user_id ? { userId: r.user_id } : {}),
    ...(r.email ? { email: r.email } : {}),
    ...(detail.lifecycle ? { lifecycle: detail.lifecycle } : {}),
    ...(detail.changed ? { changed: detail.changed } : {}),
    reason: r.reason,
  };
};

const COLUMNS = 'seq, kind, remote_id, user_id, email, reason, detail';

/** Every planned operation of a run, in plan order (not the skipped records): the run's full plan. */
export async function allOperations(db: Executor, runId: string): Promise<RunOperation[]> {
  const found = await query<RawLine>(db, `select ${COLUMNS} from sync_run_operations where run_id = $1 and kind <> 'skipped' order by seq`, [runId]);
  return found.map(lineOf);
}

export interface OperationsPage {
  items: RunOperation[];
  next: string | null;
}

/**
 * One page of a run's lines, of one kind or all, in plan order: keyset on the sequence number through
 * the (run, kind, seq) index, so the last page of 47,811 costs what the first does.
 */
export async function pageOperations(db: Executor, runId: string, options: { kind?: string; cursor?: string; limit: number }): Promise<OperationsPage> {
  const after = options.cursor === undefined ? 0 : decodeSeq(options.cursor);
  const found = options.kind
    ? await query<RawLine>(db, `select ${COLUMNS} from sync_run_operations where run_id = $1 and kind = $2 and seq > $3 order by seq limit $4`, [runId, options.kind, after, options.limit + 1])
    : await query<RawLine>(db, `select ${COLUMNS} from sync_run_operations where run_id = $1 and seq > $2 order by seq limit $3`, [runId, after, options.limit + 1]);
  const page = found.slice(0, options.limit);
  return { items: page.map(lineOf), next: found.length > options.limit ? encodeSeq(Number(page.at(-1)!.seq)) : null };
}

const encodeSeq = (seq: number) => Buffer.from(`op:${seq}`).toString('base64url');

function decodeSeq(cursor: string): number {
  const match = /^op:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new DomainError('invalid_value', 'cursor: not a cursor this list handed out');
  return Number(match[1]);
}
