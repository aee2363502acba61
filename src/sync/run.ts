import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { isHttpError, type Connector, type NormalisedEmployee, type RecordError } from '../../connectors/index.js';
import type { Executor } from '../db/client.js';
import { uuidv7 } from '../db/ids.js';
import { seal } from '../crypto/secret-box.js';
import type { ConnectionRow } from '../connections/connection.js';
import { applyOperations } from './apply.js';
import { loadBankAccountDigests, loadDirectoryUsers } from './directory-users.js';
import { planSync } from './plan.js';
import { planLines } from './run-operations.js';
import type { DirectoryUser, Plan } from './plan-types.js';
import { finishRun, recordProgress, startRun, type RunMode, type RunProgress, type RunRow, type RunTrigger } from './runs.js';
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
const FIRST_REPORT_MS = 1_000;

/**
 * One sync run: stream the HR system's pages in, plan against the directory, then either record
 * the plan (preview, or a run the safety stop holds) or apply it in batches. Nothing is written to
 * the directory until every page has arrived: an HR API failing mid-run leaves the directory as it
 * was and a failed run in the history.
 */
export async function runSync(deps: SyncDeps, request: RunRequest): Promise<RunResult> {
  const { db } = deps;
  const { connection } = request;
  // A run this connection's last holder left running (it died) is failed by this start.
  const run = await startRun(db, { tenantId: connection.tenantId, connectionId: connection.id, mode: request.mode, trigger: request.trigger });
  deps.onStart?.(run);
  const progress: RunProgress = { fetched: 0, planned: 0, applied: 0 };
  // Progress is written a few times a second at most: an API of small pages would otherwise add a
  // round trip to every page (2,000 pages of 25 for 50,000 people). The first write waits a second:
  // a small company's whole run is shorter, and its start and end say all there is (a fleet of
  // such runs is made of round trips). The scheduler renews its lease on a timer of its own.
  let nextReportAt = performance.now() + FIRST_REPORT_MS;
  const report = async () => {
    const now = performance.now();
    if (now < nextReportAt) return;
    nextReportAt = now + REPORT_EVERY_MS;
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
  // A preview applies nothing, so it seals nothing; an apply seals only accounts not already stored.
  const sealing: Sealing = {
    key: deps.secretKey,
    digestKey: createSecretKey(deps.secretKey),
    seal: request.mode === 'apply',
    // Read with the first page that brings an account: most systems' runs bring none.
    stored: undefined,
    loadStored: () => loadBankAccountDigests(db, connection.tenantId, connection.id),
  };
  try {
    fetched = await fetchAll(request.connector, deps, sealing, progress, recordErrors, report, updatedSince, { mapping: mapping.compiled, scopeRawPaths: scopeRawPaths(rules) });
  } catch (error) {
    const failure = classify(error);
    deps.log?.warn({ connectionId: connection.id, runId: run.id, reason: failure.reason, err: failure.message }, 'sync run failed while fetching');
    const finished = await finishRun(db, run.id, { state: 'failed', progress, recordErrors: recordErrors.slice(0, 1000), error: failure.message });
    return { run: finished, failure };
  }

  progress.fetchMs = lap();
  await report();
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
  // A report points only at a manager who is or will be a user: the planner decides who that is in the same pass.
  const plan = planSync({ ...input, onlyResolvableManagers: true });
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
  /**
   * Bank accounts sealed right away, so the plaintext never outlives the page it came in; only
   * those whose digest differs from the one the user already holds (the stored account is kept then).
   */
  secrets: Map<string, { sealed: string; digest: string }>;
}

/** How bank accounts are digested and sealed in a run. */
interface Sealing {
  key: Buffer;
  /** The same key, imported once for the per-employee HMAC. */
  digestKey: KeyObject;
  /** False for a preview, which never writes an account. */
  seal: boolean;
  /** The digest each of the connection's users holds, by remote id, read before the first page with an account. */
  stored: Map<string, string> | undefined;
  loadStored: () => Promise<Map<string, string>>;
}

async function fetchAll(
  connector: Connector,
  deps: SyncDeps,
  sealing: Sealing,
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
    if (sealing.seal && !sealing.stored && page.employees.some((e) => e.bankAccount)) sealing.stored = await sealing.loadStored();
    for (const e of page.employees) {
      const prepared = prepare(e, sealing, shaping, recordErrors);
      const { planned, secret } = prepared instanceof Promise ? await prepared : prepared;
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

type Prepared = { planned: PlannedEmployee; secret?: { sealed: string; digest: string } };

/**
 * The planner's view of an employee: its mapped attribute values and the raw fields scope rules
 * name instead of the whole raw record, the bank account only as a keyed digest. A mapping that
 * fails for one person (a value of the wrong type, an expression error) leaves that attribute
 * empty and is listed on the run; the person is still planned. The account is sealed only when it
 * is not the one the user holds: equal digests (same key) mean the same account, and applying
 * keeps the stored sealed value when the user's digest still matches. Synchronous unless the
 * mapping has an expression to wait for.
 */
function prepare(e: NormalisedEmployee, sealing: Sealing, shaping: Shaping, recordErrors: RunRecordError[]): Prepared | Promise<Prepared> {
  const evaluated = shaping.mapping.evaluate(e);
  return evaluated instanceof Promise ? evaluated.then((result) => shape(e, sealing, shaping, recordErrors, result)) : shape(e, sealing, shaping, recordErrors, evaluated);
}

function shape(
  e: NormalisedEmployee,
  sealing: Sealing,
  shaping: Shaping,
  recordErrors: RunRecordError[],
  result: Awaited<ReturnType<CompiledMapping['evaluate']>>,
): Prepared {
  const { raw, bankAccount, ...rest } = e;
  for (const problem of result.errors) recordErrors.push({ remoteId: e.remoteId, code: 'mapping_error', reason: `${problem.attribute}: ${problem.message}` });
  const mapped = withDisplayNameFallback(result.values, e);
  const planned: PlannedEmployee = Object.assign(rest, { bankAccount: null as string | null, mapped });
  if (shaping.scopeRawPaths.length > 0) planned.scopeRaw = Object.fromEntries(shaping.scopeRawPaths.map((p) => [p, readPath(raw, p.split('.'))]));
  if (!bankAccount) return { planned };
  const plain = JSON.stringify({ iban: bankAccount.iban ?? null, bic: bankAccount.bic ?? null, holder: bankAccount.holder ?? null });
  const digest = createHmac('sha256', sealing.digestKey).update(`bank-account:${plain}`).digest('base64url');
  planned.bankAccount = digest;
  if (!sealing.seal || sealing.stored?.get(e.remoteId) === digest) return { planned };
  return { planned, secret: { sealed: seal(sealing.key, plain), digest } };
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
