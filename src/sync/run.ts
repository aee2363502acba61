import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { isHttpError, type Connector, type NormalisedEmployee, type RecordError } from '../../connectors/index.js';
import type { Executor } from '../db/client.js';
import { uuidv7 } from '../db/ids.js';
import { seal } from '../crypto/secret-box.js';
import type { ConnectionRow } from '../connections/connection.js';
import { applyOperations } from './apply.js';
import { loadDirectoryUsers } from './directory-users.js';
import { planSync } from './plan.js';
import { planLines } from './run-operations.js';
import type { DirectoryUser, Plan } from './plan-types.js';
import { failInterruptedRuns, finishRun, recordProgress, startRun, type RunMode, type RunProgress, type RunRow, type RunTrigger } from './runs.js';
import { scopeRawPaths, type PlannedEmployee, type ScopeRule } from './scope.js';
import { incrementalSince } from './incremental.js';
import { withDisplayNameFallback } from './mapped.js';
import { runMapping, type RunMapping } from './run-mapping.js';
import type { CompiledMapping } from '../mapping/compile.js';
import { readPath } from '../mapping/fields.js';
import { syncTeams, type TeamRunResult } from './run-teams.js';
import { loadSnapshot, saveSnapshot } from './snapshot.js';

export interface SyncDeps {
  db: Executor;
  secretKey: Buffer;
  log?: Logger;
  now?: () => Date;
  /** Operations per transaction when applying. */
  batchSize?: number;
  signal?: AbortSignal;
  /** Called once the run is recorded, before the first HR request. */
  onStart?: (run: RunRow) => void;
}

export interface RunRequest {
  connection: ConnectionRow;
  connector: Connector;
  mode: RunMode;
  trigger: RunTrigger;
  /** An admin approved this run after a safety stop: do not hold it again. */
  approved?: boolean;
}

export interface RunResult {
  run: RunRow;
  plan?: Plan;
  /** How the connection should look afterwards; the caller (which holds the lease) writes it. */
  failure?: { reason: 'invalid_credentials' | 'rate_limited' | 'hr_api_down' | 'sync_failed'; message: string };
}

const DEFAULT_BATCH = 500;
const REPORT_EVERY_MS = 250;

/**
 * One sync run: stream the HR system's pages in, plan against the directory, then either record
 * the plan (preview, or a run the safety stop holds) or apply it in batches. Nothing is written to
 * the directory until every page has arrived: an HR API failing mid-run leaves the directory as it
 * was and a failed run in the history.
 */
export async function runSync(deps: SyncDeps, request: RunRequest): Promise<RunResult> {
  const { db } = deps;
  const { connection } = request;
  await failInterruptedRuns(db, connection.id);
  const run = await startRun(db, { tenantId: connection.tenantId, connectionId: connection.id, mode: request.mode, trigger: request.trigger });
  deps.onStart?.(run);
  const progress: RunProgress = { fetched: 0, planned: 0, applied: 0 };
  // Progress is written a few times a second at most: an API of small pages would otherwise add a
  // round trip to every page (2,000 pages of 25 for 50,000 people). The scheduler renews its lease
  // on a timer of its own.
  let reportedAt = -Infinity;
  const report = async (force = false) => {
    const now = performance.now();
    if (!force && now - reportedAt < REPORT_EVERY_MS) return;
    reportedAt = now;
    await recordProgress(db, run.id, progress);
  };
  const recordErrors: RunRecordError[] = [];

  let fetched: FetchedEmployees;
  let phaseStart = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - phaseStart);
    phaseStart = now;
    return ms;
  };
  const rules = connection.scopeRules as ScopeRule[];
  let mapping: RunMapping;
  try {
    mapping = await runMapping(db, connection);
  } catch (error) {
    // A saved mapping the tenant's attributes no longer allow: nothing is read, the admin is told why.
    const message = (error as Error).message;
    const finished = await finishRun(db, run.id, { state: 'failed', progress, recordErrors: [], error: message });
    return { run: finished, failure: { reason: 'sync_failed', message } };
  }
  progress.mappingVersion = mapping.version;
  const updatedSince = await incrementalSince(db, connection, {
    mode: request.mode,
    trigger: request.trigger,
    supported: request.connector.incremental === true,
    mappingVersion: mapping.version,
  });
  if (updatedSince) progress.incremental = 1;
  try {
    fetched = await fetchAll(request.connector, deps, progress, recordErrors, report, updatedSince, { mapping: mapping.compiled, scopeRawPaths: scopeRawPaths(rules) });
  } catch (error) {
    const failure = classify(error);
    deps.log?.warn({ connectionId: connection.id, runId: run.id, reason: failure.reason, err: failure.message }, 'sync run failed while fetching');
    const finished = await finishRun(db, run.id, { state: 'failed', progress, recordErrors: recordErrors.slice(0, 1000), error: failure.message });
    return { run: finished, failure };
  }

  progress.fetchMs = lap();
  await report(true);
  const now = deps.now?.() ?? new Date();
  const users = await loadDirectoryUsers(db, connection.tenantId, mapping.compiled.attributes);
  const today = now.toISOString().slice(0, 10);
  // An incremental read brings only who changed: plan over everyone, the snapshot with the changes on top.
  const employees = fetched.complete ? fetched.employees : overlay(await loadSnapshot(db, connection.id), fetched.employees);
  const input = {
    connectionId: connection.id,
    employees,
    complete: fetched.complete,
    users,
    rules,
    onboarding: connection.onboarding as 'review' | 'auto',
    safetyThresholdPercent: connection.safetyThresholdPercent,
    today,
    approved: request.approved ?? false,
  };
  // Plan twice: the first plan tells who will be a user, the second points each report only at such a manager.
  const plan = planSync({ ...input, employees: withResolvableManagers(employees, planSync(input), users, connection.id) });
  progress.planned = plan.operations.length;
  progress.planMs = lap();
  const planRecord = { counts: plan.counts, conflicts: plan.conflicts };
  const lines = planLines(plan);

  if (request.mode === 'preview' || plan.held) {
    const state = plan.held && request.mode === 'apply' ? 'held' : 'succeeded';
    // A preview includes the team changes the apply would make (and writes none of them).
    const teams = request.mode === 'preview' ? await syncTeams(db, { connection, users, employees, operations: plan.operations, userIdOf: new Map(), write: false }) : undefined;
    const finished = await finishRun(db, run.id, {
      state,
      counts: { ...plan.counts, ...teams?.counts },
      progress,
      recordErrors: recordErrors.slice(0, 1000),
      plan: { ...planRecord, ...(teams ? { teams: teams.record } : {}) },
      lines,
      held: plan.held ? { ...plan.held } : null,
    });
    return { run: finished, plan };
  }

  await saveSnapshot(db, connection.id, run.id, fetched.employees, { complete: fetched.complete });
  const userIdOf = new Map(users.filter((u) => u.connectionId === connection.id && u.remoteId).map((u) => [u.remoteId!, u.id]));
  for (const op of plan.operations) {
    if (op.kind === 'create') userIdOf.set(op.remoteId, uuidv7());
    else if (op.kind === 'link') userIdOf.set(op.remoteId, op.userId);
  }
  const result = await applyOperations(plan.operations, {
    db,
    tenantId: connection.tenantId,
    connection: { id: connection.id, provider: connection.provider },
    userIdOf,
    secretsOf: fetched.secrets,
    attributes: mapping.compiled.attributes,
    batchSize: deps.batchSize ?? DEFAULT_BATCH,
    onBatch: async (applied) => {
      progress.applied = applied;
      await report();
    },
  });
  progress.applied = result.applied;
  progress.applyMs = lap();
  for (const e of result.errors) recordErrors.push({ remoteId: e.remoteId, code: `apply_${e.kind}`, reason: e.reason });
  // Teams follow the users: built from who is in scope once this run's changes are in.
  let teams: TeamRunResult | undefined;
  try {
    const failed = new Set(result.errors.flatMap((e) => (e.remoteId ? [e.remoteId] : [])));
    teams = await syncTeams(db, { connection, users, employees, operations: plan.operations, userIdOf, write: true, failed });
    if (teams) progress.teamsMs = lap();
  } catch (error) {
    // The users are in; the teams stay as they were and the next run converges.
    recordErrors.push({ remoteId: null, code: 'apply_teams', reason: (error as Error).message });
  }
  const counts = { ...plan.counts, ...teams?.counts, applied: result.applied, failed: result.errors.length };
  const finished = await finishRun(db, run.id, {
    state: 'succeeded',
    counts,
    progress,
    recordErrors: recordErrors.slice(0, 1000),
    plan: { ...planRecord, ...(teams ? { teams: teams.record } : {}) },
    lines,
    held: null,
  });
  deps.log?.info({ connectionId: connection.id, runId: run.id, counts }, 'sync run applied');
  return { run: finished, plan };
}

/** A record the HR system sent badly, or an operation that failed to apply; the run goes on without it. */
type RunRecordError = RecordError | { remoteId: string | null; code: string; reason: string };

interface FetchedEmployees {
  employees: PlannedEmployee[];
  complete: boolean;
  /** Bank accounts sealed right away, so the plaintext never outlives the page it came in. */
  secrets: Map<string, { sealed: string; digest: string }>;
}

async function fetchAll(
  connector: Connector,
  deps: SyncDeps,
  progress: RunProgress,
  recordErrors: RunRecordError[],
  report: () => Promise<void>,
  updatedSince: string | undefined,
  shaping: Shaping,
): Promise<FetchedEmployees> {
  const byId = new Map<string, PlannedEmployee>();
  const secrets = new Map<string, { sealed: string; digest: string }>();
  // An incremental read with no change yields no page at all: it is still not a snapshot.
  let complete = updatedSince === undefined;
  const rawFields = [...new Set([...shaping.mapping.rawFields, ...shaping.scopeRawPaths])];
  const options = { ...(deps.signal ? { signal: deps.signal } : {}), ...(updatedSince ? { updatedSince } : {}), ...(rawFields.length > 0 ? { rawFields } : {}) };
  for await (const page of connector.employees(options)) {
    complete = page.complete;
    for (const e of page.employees) {
      const { planned, secret } = await prepare(e, deps.secretKey, shaping, recordErrors);
      byId.set(e.remoteId, planned);
      if (secret) secrets.set(e.remoteId, secret);
      else secrets.delete(e.remoteId);
    }
    recordErrors.push(...page.errors);
    progress.fetched = byId.size;
    await report();
  }
  return { employees: [...byId.values()], complete, secrets };
}

interface Shaping {
  mapping: CompiledMapping;
  scopeRawPaths: string[];
}

/**
 * The planner's view of an employee: its mapped attribute values and the raw fields scope rules
 * name instead of the whole raw record, the bank account only as a keyed digest. A mapping that
 * fails for one person (a value of the wrong type, an expression error) leaves that attribute
 * empty and is listed on the run; the person is still planned.
 */
async function prepare(
  e: NormalisedEmployee,
  key: Buffer,
  shaping: Shaping,
  recordErrors: RunRecordError[],
): Promise<{ planned: PlannedEmployee; secret?: { sealed: string; digest: string } }> {
  const { raw, bankAccount, ...rest } = e;
  const evaluated = shaping.mapping.evaluate(e);
  const result = evaluated instanceof Promise ? await evaluated : evaluated;
  for (const problem of result.errors) recordErrors.push({ remoteId: e.remoteId, code: 'mapping_error', reason: `${problem.attribute}: ${problem.message}` });
  const mapped = withDisplayNameFallback(result.values, e);
  const shaped: PlannedEmployee = { ...rest, bankAccount: null, mapped };
  if (shaping.scopeRawPaths.length > 0) shaped.scopeRaw = Object.fromEntries(shaping.scopeRawPaths.map((p) => [p, readPath(raw, p.split('.'))]));
  if (!bankAccount) return { planned: shaped };
  const plain = JSON.stringify({ iban: bankAccount.iban ?? null, bic: bankAccount.bic ?? null, holder: bankAccount.holder ?? null });
  const digest = createHmac('sha256', key).update(`bank-account:${plain}`).digest('base64url');
  return { planned: { ...shaped, bankAccount: digest }, secret: { sealed: seal(key, plain), digest } };
}

/**
 * A manager who will not be a user (out of scope, no work email, a duplicate) cannot be pointed at:
 * such a manager counts as none, which keeps "manager changed" from firing on every run.
 */
function withResolvableManagers(employees: PlannedEmployee[], draft: Plan, users: DirectoryUser[], connectionId: string): PlannedEmployee[] {
  const present = new Set(users.filter((u) => u.connectionId === connectionId && u.remoteId).map((u) => u.remoteId!));
  for (const op of draft.operations) if (op.remoteId) present.add(op.remoteId);
  return employees.map((e) => (e.managerRemoteId && !present.has(e.managerRemoteId) ? { ...e, managerRemoteId: null } : e));
}

function overlay(base: PlannedEmployee[], changes: PlannedEmployee[]): PlannedEmployee[] {
  const byId = new Map(base.map((e) => [e.remoteId, e]));
  for (const e of changes) byId.set(e.remoteId, e);
  return [...byId.values()];
}

function classify(error: unknown): NonNullable<RunResult['failure']> {
  if (isHttpError(error)) {
    const message = error.detail ? `${error.message}: ${error.detail}` : error.message;
    if (error.kind === 'auth' || error.kind === 'permission') return { reason: 'invalid_credentials', message };
    if (error.kind === 'rate_limited') return { reason: 'rate_limited', message };
    if (error.kind === 'server' || error.kind === 'timeout' || error.kind === 'network') return { reason: 'hr_api_down', message };
    return { reason: 'sync_failed', message };
  }
  return { reason: 'sync_failed', message: (error as Error)?.message ?? String(error) };
}
