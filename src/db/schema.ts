import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Bearer tokens for SCIM clients. Only a SHA-256 hash of the secret is stored. */
export const scimTokens = pgTable(
  'scim_tokens',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the secret, shown in listings so admins can tell tokens apart. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull().unique(),
    scopes: text('scopes').array().notNull().default(sql`'{scim:write}'::text[]`),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    /** Set on rotation: the token that replaced this one (which then expires after the overlap). */
    replacedBy: uuid('replaced_by'),
  },
  (t) => [index('scim_tokens_tenant_idx').on(t.tenantId)],
);

/**
 * SCIM users. `doc` holds the canonical resource without id/meta; the typed columns are derived
 * from it on every write so filters on the attributes clients search by hit an index.
 * Ids are UUIDv7, so ordering by id is creation order and serves both index and cursor paging.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userName: text('user_name').notNull(),
    externalId: text('external_id'),
    displayName: text('display_name'),
    active: boolean('active').notNull().default(true),
    /** Lower-cased `emails[].value`, for indexed `emails.value eq` / `emails eq` lookups. */
    emails: text('emails').array().notNull().default(sql`'{}'::text[]`),
    doc: jsonb('doc').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull().default(1),
    /** candidate → invited → active, or archived (product.md, "People"). SCIM-created users start active. */
    lifecycle: text('lifecycle').notNull().default('active'),
    /** manual (never from HR), managed (HR fields owned by `connectionId`), released (was managed). */
    management: text('management').notNull().default('manual'),
    connectionId: uuid('connection_id'),
    /** The person's id in the HR system of `connectionId`. */
    remoteId: text('remote_id'),
    /** HR fields as last applied (locked while managed); the bank account inside is sealed. */
    hr: jsonb('hr').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_connection_remote').on(t.connectionId, t.remoteId),
    uniqueIndex('users_tenant_user_name_ci').on(t.tenantId, sql`lower(${t.userName})`),
    index('users_tenant_id_idx').on(t.tenantId, t.id),
    index('users_tenant_external_id').on(t.tenantId, t.externalId),
    index('users_tenant_display_name_ci').on(t.tenantId, sql`lower(${t.displayName})`),
    // No index on updated_at (nor version): every write changes both, and an index on either would
    // make every update of a user touch all of its indexes. Without one, an update that leaves the
    // indexed columns alone (a title, a name, a manager) is a heap-only (HOT) update, kept on its
    // page: the migration leaves 10 % of each page free for them (fillfactor 90). A
    // `meta.lastModified` filter then reads the tenant's rows instead of an index range.
    index('users_tenant_created').on(t.tenantId, t.createdAt),
    index('users_emails_gin').using('gin', t.emails),
    index('users_tenant_lifecycle_user_name').on(t.tenantId, t.lifecycle, t.userName),
    // Keyset pages of the People list in creation order, filtered by lifecycle or HR status.
    index('users_tenant_lifecycle_id').on(t.tenantId, t.lifecycle, t.id),
    index('users_tenant_management_id').on(t.tenantId, t.management, t.id),
  ],
);

export const groups = pgTable(
  'groups',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull(),
    externalId: text('external_id'),
    doc: jsonb('doc').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull().default(1),
    /** Set while a connection's team sync owns this group (a team built from the HR hierarchy). */
    connectionId: uuid('connection_id'),
    /** The team's identity within its connection: the manager's remote id, a department, or "unassigned". */
    teamKey: text('team_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('groups_connection_team_key').on(t.connectionId, t.teamKey),
    uniqueIndex('groups_tenant_display_name_ci').on(t.tenantId, sql`lower(${t.displayName})`),
    index('groups_tenant_id_idx').on(t.tenantId, t.id),
    index('groups_tenant_external_id').on(t.tenantId, t.externalId),
    index('groups_tenant_updated').on(t.tenantId, t.updatedAt),
  ],
);

/** Membership is its own table so a 100,000-member group is patched without rewriting a document. */
export const groupMembers = pgTable(
  'group_members',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').notNull(),
    memberType: text('member_type').notNull().default('User'),
    /** The `display` the client sent for this member, returned as sent; else the member's own name. */
    display: text('display'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] }), index('group_members_member_idx').on(t.memberId)],
);

/**
 * Membership changes, one row per statement that moved members of a group, never an update of the
 * group's row: concurrent member changes (PATCHes, deletes of member users) would otherwise queue on
 * that one row. A group's ETag version is its own `version` plus the sum of `changes` here, and its
 * `meta.lastModified` the later of its `updated_at` and the latest `at`. Both only grow, whatever
 * order concurrent writers commit in. Writers fold a group's rows into one now and then
 * (src/directory/groups/member-stamps.ts), keeping the sum. No foreign key to `groups`: checking
 * one would lock the group's row; a group's rows go with it in its delete.
 */
export const groupMemberChanges = pgTable(
  'group_member_changes',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').notNull(),
    changes: integer('changes').notNull().default(1),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('group_member_changes_group').on(t.groupId, t.changes, t.at)],
);

/** A PostgreSQL 64-bit transaction id (never wraps); compared as text-free numbers in SQL only. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** Append-only: every change, from any source, is written here in the same transaction as the change. */
export const changeEvents = pgTable(
  'change_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    /**
     * The writing transaction. `seq` is drawn at insert, not at commit, so a reader going by `seq`
     * alone could pass an event whose transaction commits later. The feed orders by (xid, seq) and
     * shows only transactions older than every one still running, so what it has shown never
     * gains an event before it (src/events/feed.ts).
     */
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: uuid('resource_id'),
    /** Who made the change: `{ kind: 'token' | 'connection' | 'admin' | 'system', id }`. */
    source: jsonb('source').$type<Record<string, unknown>>().notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('change_events_tenant_seq').on(t.tenantId, t.seq),
    index('change_events_tenant_position').on(t.tenantId, t.xid, t.seq),
    index('change_events_created').on(t.createdAt),
  ],
);

/** Where a tenant's change events are POSTed, signed with the endpoint's secret (sealed at rest). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description'),
    /** Event types sent; empty means every type. */
    eventTypes: text('event_types').array().notNull().default(sql`'{}'::text[]`),
    secret: text('secret').notNull(),
    /** After a rotation with overlap: the old secret also signs until `previousSecretUntil`. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true, mode: 'date' }),
    enabled: boolean('enabled').notNull().default(true),
    /** Why the dispatcher disabled the endpoint (it failed for the whole retry window). */
    disabledReason: text('disabled_reason'),
    /** Feed position of the last event handled (delivered, or not matching the filter). */
    cursorXid: xid8('cursor_xid').notNull(),
    cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull(),
    /** The head event's consecutive failed attempts, when the first failed, and when to try again. */
    attempts: integer('attempts').notNull().default(0),
    failingSince: timestamp('failing_since', { withTimezone: true, mode: 'date' }),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    /** Dispatcher lease (claimed with SKIP LOCKED): one delivery in flight per endpoint across replicas. */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_tenant').on(t.tenantId), index('webhook_endpoints_due').on(t.enabled, t.nextAttemptAt)],
);

/** The delivery log: one row per endpoint and event (updated on every attempt), plus test sends. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The change event; null for a test send. */
    eventSeq: bigint('event_seq', { mode: 'number' }),
    eventType: text('event_type').notNull(),
    /** delivered | retrying | failed (gave up) */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    durationMs: integer('duration_ms'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_endpoint_event').on(t.endpointId, t.eventSeq),
    index('webhook_deliveries_endpoint_id').on(t.endpointId, t.id),
    index('webhook_deliveries_created').on(t.createdAt),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'set null' }),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_tenant_id').on(t.tenantId, t.id)],
);

/** An HR system connected to a tenant; credentials are sealed with the secret key. */
export const connections = pgTable(
  'connections',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    baseUrl: text('base_url'),
    credentials: text('credentials').notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    scopeRules: jsonb('scope_rules').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    onboarding: text('onboarding').notNull().default('review'),
    scheduleMinutes: integer('schedule_minutes').notNull().default(180),
    safetyThresholdPercent: integer('safety_threshold_percent').notNull().default(20),
    disconnectMode: text('disconnect_mode').notNull().default('keep'),
    status: text('status').notNull().default('awaiting_configuration'),
    statusReason: text('status_reason'),
    teamSync: jsonb('team_sync').$type<Record<string, unknown>>(),
    nextRunAt: timestamp('next_run_at', { withTimezone: true, mode: 'date' }),
    /** Scheduler lease: the replica running this connection and until when (claimed with SKIP LOCKED). */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /**
     * Employees in the connection's snapshot (null before its first applied run), written with the
     * snapshot: what the scheduler budgets a run's memory by, read with the claim instead of
     * counting the snapshot's rows each time.
     */
    snapshotEmployees: integer('snapshot_employees'),
    createdAt: createdAt(),
    /** When an admin last changed the connection; runs do not touch it (incremental runs compare against it). */
    updatedAt: updatedAt(),
  },
  (t) => [
    index('connections_tenant').on(t.tenantId),
    index('connections_due').on(t.status, t.nextRunAt),
    // The scheduler's claim walks this in due order and stops at the first it may take: one claim
    // costs the same with 20 or 20,000 connections due, instead of sorting every due row.
    index('connections_due_at').on(t.nextRunAt).where(sql`status in ('connected', 'error')`),
    // Connections leased right now (a run in progress): the claim looks up whether a tenant is busy here.
    index('connections_leased').on(t.tenantId).where(sql`lease_until is not null`),
  ],
);

/** One sync run: preview or apply, with counts, live progress and per-record errors. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    mode: text('mode').notNull(),
    trigger: text('trigger').notNull(),
    state: text('state').notNull().default('running'),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    progress: jsonb('progress').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    recordErrors: jsonb('record_errors').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    error: text('error'),
    /** What the run would do (preview) or did (apply): counts, then the operations with a reason each. */
    plan: jsonb('plan').$type<Record<string, unknown>>(),
    /** Why the safety stop held the run; an admin approves or rejects it. */
    held: jsonb('held').$type<Record<string, unknown>>(),
    /** The admin who approved or rejected a held run. */
    decidedBy: text('decided_by'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('sync_runs_connection').on(t.connectionId, t.startedAt),
    // A run's start fails any run of its connection left running (by a process that died): found here, not among years of history.
    index('sync_runs_running').on(t.connectionId).where(sql`state = 'running'`),
  ],
);

/**
 * A run's planned operations and the HR records it skipped, one row each, in plan order. Kept out
 * of the run's row so a run page reads one page of one kind (50 of 47,811 creates) through the
 * index instead of a plan document of several megabytes.
 */
export const syncRunOperations = pgTable(
  'sync_run_operations',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => syncRuns.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** create, link, update, reactivate, archive, release; or skipped (with why in `reason`). */
    kind: text('kind').notNull(),
    remoteId: text('remote_id'),
    userId: text('user_id'),
    email: text('email'),
    reason: text('reason').notNull(),
    /** What else the operation says: a create's lifecycle, an update's changed fields. */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] }), index('sync_run_operations_kind').on(t.runId, t.kind, t.seq)],
);

/** The latest HR snapshot per connection, streamed in page by page before planning. */
export const snapshotEmployees = pgTable(
  'snapshot_employees',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    remoteId: text('remote_id').notNull(),
    /** The run that last changed this record. */
    runId: uuid('run_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** Digest of `data`: a run rewrites only the records that changed. */
    digest: text('digest').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.remoteId] })],
);

/**
 * One request budget per HR credential and endpoint group, shared by every replica: the GCRA
 * "theoretical arrival time" of the next request, in epoch milliseconds, moved forward by one
 * atomic upsert per request (src/db/request-budgets.ts). The key holds a fingerprint of the
 * credential's public identifier, never a secret. Rows are tiny and few (one per credential).
 */
export const requestBudgets = pgTable('request_budgets', {
  key: text('key').primaryKey(),
  tat: doublePrecision('tat').notNull(),
  updatedAt: updatedAt(),
});

/**
 * Admin JWTs revoked before their expiry, by `jti`. A row is needed only until the token would
 * have expired anyway; expired rows are dropped when another is added.
 */
export const revokedAdminTokens = pgTable('revoked_admin_tokens', {
  jti: text('jti').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * One-time links into the web console: setup links an app hands its customer's admin (one tenant,
 * one intent) and operator login links printed on the server's host. Only a hash of the secret is
 * stored; `usedAt` makes a link single-use (set by the one request that redeems it).
 */
export const consoleLinks = pgTable(
  'console_links',
  {
    id: uuid('id').primaryKey(),
    secretHash: text('secret_hash').notNull().unique(),
    /** setup (a tenant admin, scoped to `intent`) or operator (every tenant). */
    kind: text('kind').notNull(),
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    intent: text('intent').notNull().default('all'),
    returnUrl: text('return_url'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('console_links_expires').on(t.expiresAt)],
);

/**
 * Signed-in console sessions, bound to one role and (for admins and auditors) one tenant. The cookie
 * carries a random secret; the row is found by its hash, so a leaked database gives no session.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    id: uuid('id').primaryKey(),
    secretHash: text('secret_hash').notNull().unique(),
    role: text('role').notNull(),
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    intent: text('intent').notNull().default('all'),
    returnUrl: text('return_url'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('console_sessions_expires').on(t.expiresAt)],
);

/**
 * A tenant's own SCIM extension (README, "A tenant's own SCIM extension"): one row per attribute it
 * declares. Names are unique per tenant whatever their case, as SCIM attribute names are.
 */
export const tenantAttributes = pgTable(
  'tenant_attributes',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    multiValued: boolean('multi_valued').notNull().default(false),
    caseExact: boolean('case_exact').notNull().default(false),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] }), uniqueIndex('tenant_attributes_name_ci').on(t.tenantId, sql`lower(${t.name})`)],
);

/**
 * Which source owns which field of a tenant's users, and what happens to a write from a source that
 * does not (README, "Source of authority"). No row: the defaults.
 */
export const tenantAuthority = pgTable('tenant_authority', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** `[{ path, owner }]`, owner `hr`, `scim`, `manual` or `connection:<id>`. */
  rules: jsonb('rules').$type<{ path: string; owner: string }[]>().notNull(),
  /** `{ scim, manual, hr }`: `ignore` or `reject`. */
  policies: jsonb('policies').$type<Record<string, string>>().notNull(),
  updatedAt: updatedAt(),
});

/**
 * What a source that does not own a field tried to write to it, per user, field and source: the
 * latest attempt, kept until that source agrees or the user is deleted.
 */
export const userConflicts = pgTable(
  'user_conflicts',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    /** `token:<id>`, `connection:<id>` or `admin:<subject>`: one row per writer. */
    sourceKey: text('source_key').notNull(),
    source: jsonb('source').$type<{ kind: string; id: string }>().notNull(),
    /** The owner as the rule named it when the write was ignored. */
    owner: text('owner').notNull(),
    /** The value the source sent; null when it cleared the field. */
    attempted: jsonb('attempted').$type<unknown>(),
    firstAt: timestamp('first_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastAt: timestamp('last_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.path, t.sourceKey] }), index('user_conflicts_tenant_last').on(t.tenantId, t.lastAt)],
);

/**
 * A connection's attribute mapping, one row per save (README, "Attribute mapping"): the highest
 * version is the one in force; older ones are kept as history. No row: the connector's default.
 */
export const connectionMappings = pgTable(
  'connection_mappings',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** `{ attributes: [{ attribute, source }] }`, validated against the tenant's attributes when saved. */
    mapping: jsonb('mapping').$type<{ attributes: unknown[] }>().notNull(),
    /** Who saved it: `admin:<subject>`, as the audit log names actors. */
    savedBy: text('saved_by'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.version] })],
);
