import { and, asc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { SyncObserver } from '../metrics/metrics.js';
import { createConnector, credentialsSchemaFor, descriptorFor, isProviderAvailable, settingsSchemaFor, type BudgetRegistry, type ProviderName } from '../../connectors/index.js';
import { DomainError } from '../../scim/errors.js';
import type { Executor } from '../db/client.js';
import { isUuid, uuidv7 } from '../db/ids.js';
import { connections } from '../db/schema.js';
import { appendEvents, type ChangeSource } from '../events/append.js';
import { connectionStatusEvent } from '../events/connection-events.js';
import { runSync, type RunResult } from '../sync/run.js';
import { finishRun, getRun, runView, type RunMode, type RunRow } from '../sync/runs.js';
import { connectionSettingsSchema, connectionView, newConnectionSchema, type ConnectionRow, type ConnectionSettings, type ConnectionView } from './connection.js';
import { createEgress, type Egress } from '../egress/index.js';
import { baseUrlRefusal, type BaseUrlRule } from './base-url.js';
import { connectorFor, sealCredentials, type ConnectorFactory } from './connector-for.js';
import { claimConnection, whileLeased } from './lease.js';
import { recordRunOutcome, releaseLease } from './outcome.js';
import { heapGrowth } from '../memory.js';
import { expectedRunMegabytes } from '../sync/run-size.js';

/** Everything connection work needs; one per process (the server, a CLI invocation, a test). */
export interface ConnectionDeps {
  db: Executor;
  secretKey: Buffer;
  log?: Logger;
  /** Builds connectors; tests point them at fake HR servers with short timeouts. */
  connectors?: ConnectorFactory;
  /** This process, as named in leases. */
  owner: string;
  leaseSeconds: number;
  batchSize?: number;
  now?: () => Date;
  /** Told of every run's end, for metrics. */
  observe?: SyncObserver;
  /**
   * The process's per-credential HR request budgets (runs, previews and credential checks share
   * them); on the database so replicas share them too. Without it each connector has its own.
   */
  budgets?: BudgetRegistry;
  /** Where HR requests may connect (EGRESS_ALLOWED); a policy with no allowances when omitted. */
  egress?: Egress;
  /** Base URLs besides the providers' own hosts (HR_ALLOWED_BASE_URLS). */
  allowedBaseUrls?: readonly BaseUrlRule[];
}

let strictEgress: Egress | undefined;
/** Without an egress of the process's own, HR requests still go through the policy, with no allowances. */
const egressOf = (deps: ConnectionDeps): Egress => deps.egress ?? (strictEgress ??= createEgress());

/** A base URL the provider's hosts and the operator's allow-list do not cover is refused before anything is sent to it. */
function checkBaseUrl(deps: ConnectionDeps, provider: ProviderName, baseUrl: string | null | undefined): void {
  if (!baseUrl) return;
  const refused = baseUrlRefusal(baseUrl, descriptorFor(provider).hosts, deps.allowedBaseUrls ?? []);
  if (refused) throw new DomainError('invalid_value', `baseUrl: ${refused}`);
}

/**
 * Whether an update moves where the connection's requests go: a new base URL, or a provider
 * setting the descriptor marks as choosing the host (HiBob's environment). Compared after the
 * settings schema applies its defaults, so `{}` and `{environment: 'production'}` are the same place.
 */
function destinationChanges(provider: ProviderName, current: ConnectionRow, baseUrl: string | null | undefined, settings: Record<string, unknown> | undefined): string[] {
  const changed: string[] = [];
  if (baseUrl !== undefined && baseUrl !== current.baseUrl) changed.push('baseUrl');
  if (settings !== undefined) {
    const descriptor = descriptorFor(provider);
    const before = descriptor.settingsSchema.parse(current.settings ?? {}) as Record<string, unknown>;
    const after = descriptor.settingsSchema.parse(settings) as Record<string, unknown>;
    for (const key of descriptor.routingSettings ?? []) if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(`settings.${key}`);
  }
  return changed;
}

export async function findConnection(db: Executor, tenantId: string, id: string): Promise<ConnectionRow> {
  if (!isUuid(id)) throw notFound(id);
  const [row] = await db.select().from(connections).where(and(eq(connections.tenantId, tenantId), eq(connections.id, id)));
  if (!row) throw notFound(id);
  return row;
}

export async function listConnections(db: Executor, tenantId: string): Promise<ConnectionView[]> {
  const rows = await db.select().from(connections).where(eq(connections.tenantId, tenantId)).orderBy(asc(connections.createdAt));
  return rows.map(connectionView);
}

/**
 * Connect: check the credentials' shape, then one cheap authenticated call, and only then store them
 * (sealed). The connection waits in `awaiting_configuration` until its first applied run.
 */
export async function createConnection(deps: ConnectionDeps, tenantId: string, body: unknown): Promise<ConnectionView> {
  const input = parse(newConnectionSchema, body);
  if (!isProviderAvailable(input.provider)) throw new DomainError('invalid_value', `The ${input.provider} connector is not available in this build`);
  const credentials = parseCredentials(input.provider, input.credentials);
  const providerSettings = parseProviderSettings(input.provider, input.settings ?? {});
  checkBaseUrl(deps, input.provider, input.baseUrl);
  const warnings = await validateOrFail(deps, input.provider, credentials, input.baseUrl ?? null, providerSettings);
  const [row] = await deps.db
    .insert(connections)
    .values({
      id: uuidv7(),
      tenantId,
      provider: input.provider,
      baseUrl: input.baseUrl ?? null,
      settings: providerSettings,
      credentials: sealCredentials(deps.secretKey, credentials),
      ...(input.scope ? { scopeRules: input.scope } : {}),
      ...(input.onboarding ? { onboarding: input.onboarding } : {}),
      ...(input.scheduleMinutes ? { scheduleMinutes: input.scheduleMinutes } : {}),
      ...(input.safetyThresholdPercent ? { safetyThresholdPercent: input.safetyThresholdPercent } : {}),
      ...(input.disconnectMode ? { disconnectMode: input.disconnectMode } : {}),
    })
    .returning();
  return { ...connectionView(row!), ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * Configure: scope, onboarding mode, schedule, safety threshold, disconnect mode, base URL, and new
 * credentials (validated first). New credentials lift an `invalid_credentials` error at once.
 */
export async function updateConnection(deps: ConnectionDeps, tenantId: string, id: string, body: unknown, source: ChangeSource = { kind: 'system', id: 'rollcall' }): Promise<ConnectionView> {
  const current = await findConnection(deps.db, tenantId, id);
  if (current.status === 'disconnected') throw new DomainError('conflict', `Connection ${id} is disconnected`);
  const { credentials: rawCredentials, ...rest } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const settings = parse(connectionSettingsSchema, rest);
  const changes: Partial<typeof connections.$inferInsert> = { updatedAt: new Date() };
  if (settings.scope) changes.scopeRules = settings.scope;
  if (settings.onboarding) changes.onboarding = settings.onboarding;
  if (settings.scheduleMinutes) changes.scheduleMinutes = settings.scheduleMinutes;
  if (settings.safetyThresholdPercent) changes.safetyThresholdPercent = settings.safetyThresholdPercent;
  if (settings.disconnectMode) changes.disconnectMode = settings.disconnectMode;
  if (settings.baseUrl !== undefined) changes.baseUrl = settings.baseUrl;
  const provider = current.provider as ProviderName;
  if (settings.settings !== undefined) changes.settings = parseProviderSettings(provider, settings.settings);
  checkBaseUrl(deps, provider, settings.baseUrl);
  // Credentials never follow a changed host: a new destination needs them again, checked there.
  const moved = destinationChanges(provider, current, settings.baseUrl, changes.settings);
  if (moved.length > 0 && rawCredentials === undefined) {
    throw new DomainError('invalid_value', `Changing ${moved.join(' and ')} changes where the credentials are sent: send the credentials again with it (they are validated there first)`, { reason: 'credentials_required' });
  }
  let warnings: string[] = [];
  if (rawCredentials !== undefined) {
    const credentials = parseCredentials(provider, rawCredentials);
    warnings = await validateOrFail(deps, provider, credentials, changes.baseUrl !== undefined ? changes.baseUrl : current.baseUrl, changes.settings ?? current.settings);
    changes.credentials = sealCredentials(deps.secretKey, credentials);
    if (current.status === 'error' && current.statusReason === 'invalid_credentials') {
      Object.assign(changes, { status: 'connected', statusReason: null, consecutiveFailures: 0, nextRunAt: new Date() });
    }
  }
  const row = await deps.db.transaction(async (tx) => {
    const [updated] = await tx.update(connections).set(changes).where(and(eq(connections.tenantId, tenantId), eq(connections.id, id))).returning();
    const event = connectionStatusEvent(updated!, current, source);
    if (event) await appendEvents(tx as unknown as Executor, [event]);
    return updated!;
  });
  return { ...connectionView(row), ...(warnings.length > 0 ? { warnings } : {}) };
}

export interface SyncOptions {
  mode: 'preview' | 'apply';
  trigger?: 'manual' | 'approval' | 'schedule';
  approved?: boolean;
  /** Called once the run is recorded, before any HR request: lets an API answer 202 with its id. */
  onStart?: (run: RunRow) => void;
  /** A preview of settings not saved yet: what the run would do with this scope, onboarding and threshold. */
  proposed?: Pick<ConnectionSettings, 'scope' | 'onboarding' | 'safetyThresholdPercent'>;
}

/**
 * Runs one sync of the connection now, under its lease: a second request while one runs (here or on
 * another replica) is a conflict, never a second concurrent run.
 */
export async function syncConnection(deps: ConnectionDeps, tenantId: string, id: string, options: SyncOptions): Promise<RunResult> {
  const existing = await findConnection(deps.db, tenantId, id);
  if (existing.status === 'disconnected') throw new DomainError('conflict', `Connection ${id} is disconnected`);
  const connection = await claimConnection(deps.db, deps.owner, deps.leaseSeconds, tenantId, id);
  if (!connection) throw new DomainError('conflict', `A sync of connection ${id} is already running`);
  return runClaimed(deps, connection, options);
}

/** Runs a connection this process has leased, and records the outcome on it. */
export async function runClaimed(deps: ConnectionDeps, connection: ConnectionRow, options: SyncOptions): Promise<RunResult> {
  let result: RunResult;
  // Proposed settings shape a preview only; an apply always runs with what is saved.
  const proposed = options.mode === 'preview' ? options.proposed : undefined;
  const planned: ConnectionRow = proposed
    ? {
        ...connection,
        ...(proposed.scope ? { scopeRules: proposed.scope } : {}),
        ...(proposed.onboarding ? { onboarding: proposed.onboarding } : {}),
        ...(proposed.safetyThresholdPercent ? { safetyThresholdPercent: proposed.safetyThresholdPercent } : {}),
      }
    : connection;
  // A large run (or one of unknown size) limits the heap's growth while it lasts (memory.ts).
  const releaseHeap = heapGrowth.hold(expectedRunMegabytes(connection));
  try {
    // The operator may have taken a base URL off the allow-list since the connection was made.
    checkBaseUrl(deps, connection.provider as ProviderName, connection.baseUrl);
    // The lease is renewed on a timer for as long as the run lasts (not per page: one query fewer per page).
    const lost = () => deps.log?.warn({ connectionId: connection.id }, 'sync lease lost to another replica while running');
    result = await whileLeased(deps.db, deps.owner, deps.leaseSeconds, connection.id, () => runSync(
      {
        db: deps.db,
        secretKey: deps.secretKey,
        ...(deps.log ? { log: deps.log } : {}),
        ...(deps.now ? { now: deps.now } : {}),
        ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
        ...(options.onStart ? { onStart: options.onStart } : {}),
      },
      {
        connection: planned,
        connector: connectorFor(connection, deps.secretKey, deps.connectors ?? createConnector, { budgets: deps.budgets, fetch: egressOf(deps).fetch }),
        mode: options.mode,
        trigger: options.trigger ?? 'manual',
        ...(options.approved ? { approved: true } : {}),
      },
    ), lost);
  } catch (error) {
    // The directory is unchanged or partly applied batch by batch; the next run converges either way.
    await recordRunOutcome(deps.db, connection, deps.owner, { mode: options.mode, held: false, failure: { reason: 'sync_failed', message: (error as Error).message } });
    deps.observe?.runFinished(connection.provider, undefined);
    throw error;
  } finally {
    releaseHeap();
  }
  deps.observe?.runFinished(connection.provider, result.run);
  await recordRunOutcome(deps.db, connection, deps.owner, { mode: result.run.mode as RunMode, held: result.run.state === 'held', ...(result.failure ? { failure: result.failure } : {}) });
  return result;
}

/** Approve a held run: it is marked approved and the sync runs again at once, without the safety stop. */
export async function approveRun(deps: ConnectionDeps, tenantId: string, runId: string, actor: string, onStart?: (run: RunRow) => void): Promise<RunResult> {
  const held = await getRun(deps.db, tenantId, runId);
  if (held.state !== 'held') throw new DomainError('conflict', `Sync run ${runId} is ${held.state}, not held`);
  // Lease first: an approval that cannot run now (another run holds the connection) changes nothing.
  const connection = await claimConnection(deps.db, deps.owner, deps.leaseSeconds, tenantId, held.connectionId);
  if (!connection) throw new DomainError('conflict', `A sync of connection ${held.connectionId} is already running`);
  try {
    await decide(deps.db, tenantId, runId, 'approved', actor);
  } catch (error) {
    await releaseLease(deps.db, connection.id, deps.owner);
    throw error;
  }
  return runClaimed(deps, connection, { mode: 'apply', trigger: 'approval', approved: true, ...(onStart ? { onStart } : {}) });
}

/** Reject a held run: nothing is applied; the connection returns to its schedule (and may be held again). */
export async function rejectRun(deps: ConnectionDeps, tenantId: string, runId: string, actor: string, source: ChangeSource = { kind: 'system', id: 'rollcall' }) {
  const held = await decide(deps.db, tenantId, runId, 'rejected', actor);
  const connection = await findConnection(deps.db, tenantId, held.connectionId);
  await deps.db.transaction(async (tx) => {
    const [after] = await tx
      .update(connections)
      .set({ status: 'connected', statusReason: null, nextRunAt: new Date(Date.now() + connection.scheduleMinutes * 60_000), updatedAt: new Date() })
      .where(eq(connections.id, connection.id))
      .returning();
    const event = connectionStatusEvent(after!, connection, source);
    if (event) await appendEvents(tx as unknown as Executor, [event]);
  });
  return runView(await getRun(deps.db, tenantId, runId));
}

async function decide(db: Executor, tenantId: string, runId: string, state: 'approved' | 'rejected', actor: string): Promise<RunRow> {
  const run = await getRun(db, tenantId, runId);
  if (run.state !== 'held') throw new DomainError('conflict', `Sync run ${runId} is ${run.state}, not held`);
  await finishRun(db, run.id, { state, decidedBy: actor });
  return run;
}

function parseCredentials(provider: ProviderName, raw: unknown): unknown {
  const parsed = credentialsSchemaFor(provider).safeParse(raw);
  if (!parsed.success) throw new DomainError('invalid_value', `Invalid ${provider} credentials: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'credentials'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Stored as given (defaults are the connector's to apply), so a later default change reaches old connections. */
function parseProviderSettings(provider: ProviderName, raw: Record<string, unknown>): Record<string, unknown> {
  const parsed = settingsSchemaFor(provider).safeParse(raw);
  if (!parsed.success) throw new DomainError('invalid_value', `Invalid ${provider} settings: ${parsed.error.issues.map((i) => `${['settings', ...i.path.map(String)].join('.')}: ${i.message}`).join('; ')}`);
  return raw;
}

/** Refused credentials throw; accepted ones may come with warnings (a field the key's user cannot see). */
async function validateOrFail(deps: ConnectionDeps, provider: ProviderName, credentials: unknown, baseUrl: string | null, settings: Record<string, unknown>): Promise<string[]> {
  const connector = (deps.connectors ?? createConnector)(provider, credentials, {
    ...(deps.budgets ? { budgets: deps.budgets } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
    fetch: egressOf(deps).fetch,
  });
  const result = await connector.validate();
  if (!result.ok) throw new DomainError('invalid_value', `The ${provider} credentials were refused (${result.kind}): ${result.message}`, { reason: result.kind });
  return result.warnings;
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new DomainError('invalid_value', parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

const notFound = (id: string) => new DomainError('not_found', `Connection ${id} not found`);
