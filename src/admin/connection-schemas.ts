import { z } from 'zod';
import { connectionSettingsSchema, connectionStatuses, newConnectionSchema } from '../connections/connection.js';
import { OPERATION_KINDS } from '../sync/run-operations.js';
import { scopeRuleSchema } from '../sync/scope.js';
import { providerName } from './provider-schemas.js';

/** Connect: the provider, its credentials (checked against the HR system before saving) and settings. */
export const connectionCreate = newConnectionSchema;
/** Configure: any setting, and new credentials (checked first, like on connect). */
export const connectionUpdate = connectionSettingsSchema.extend({ credentials: z.record(z.string(), z.unknown()).optional() });
/** Settings to preview before saving them (all optional: an empty body previews what is saved). */
export const previewBody = connectionSettingsSchema.pick({ scope: true, onboarding: true, safetyThresholdPercent: true });
export const disconnectBody = z.object({ mode: z.enum(['keep', 'clean']).optional() }).strict();

export const waitQuery = z.object({ wait: z.enum(['true', 'false']).optional() });
export const runQuery = z.object({ operations: z.enum(['true', 'false']).optional() });
export const runsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** A run id from the previous page's `nextBefore`: runs older than it. */
  before: z.uuid().optional(),
});
export const candidatesQuery = z.object({
  connection: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});
export const peopleQuery = z.object({
  lifecycle: z.enum(['candidate', 'invited', 'active', 'archived']).optional(),
  management: z.enum(['managed', 'released', 'manual']).optional(),
  source: z.enum(['hr', 'scim']).optional(),
  connection: z.string().max(100).optional(),
  search: z.string().trim().max(200).optional(),
  department: z.string().max(200).optional(),
  location: z.string().max(200).optional(),
  /** `next`, `previous` or `last` of a page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const inviteBody = z
  .object({
    /** These people (at most 10,000 a request). */
    ids: z.array(z.string().max(100)).min(1).max(10_000).optional(),
    /** Every candidate matching: of one connection, a department, a location (`{}`: every candidate). */
    filter: z
      .object({ connection: z.string().max(100).optional(), department: z.string().max(200).optional(), location: z.string().max(200).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: 'give either ids or a filter' });
export const inviteOutcome = z.object({
  invited: z.number(),
  /** Who was not invited and why: `not_found` (no such user here) or `not_candidate` (invited, active or archived already). */
  skipped: z.array(z.object({ id: z.string(), reason: z.enum(['not_found', 'not_candidate']), detail: z.string() })),
});
export const connectionCandidatesQuery = candidatesQuery.omit({ connection: true });

export const connectionView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    provider: providerName,
    baseUrl: z.string().nullable(),
    /** Provider settings as given: Personio's apiVersion and bank-detail attributes, HiBob's environment. */
    settings: z.record(z.string(), z.unknown()),
    status: z.enum(connectionStatuses),
    /** Why it is in `error`: invalid_credentials, needs_approval, rate_limited, hr_api_down, sync_failed. */
    statusReason: z.string().nullable(),
    scope: z.array(scopeRuleSchema),
    onboarding: z.enum(['review', 'auto']),
    scheduleMinutes: z.number(),
    safetyThresholdPercent: z.number(),
    disconnectMode: z.enum(['keep', 'clean']),
    nextRunAt: z.string().nullable(),
    consecutiveFailures: z.number(),
    created: z.string(),
    lastModified: z.string(),
  })
  .meta({ id: 'Connection' });

export const runView = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    mode: z.enum(['preview', 'apply']),
    trigger: z.enum(['schedule', 'manual', 'approval']),
    state: z.enum(['running', 'succeeded', 'failed', 'held', 'approved', 'rejected']),
    /** create, link, update, archive, release, unchanged…; after an apply also applied and failed. */
    counts: z.record(z.string(), z.number()),
    progress: z.record(z.string(), z.number()),
    error: z.string().nullable(),
    held: z.record(z.string(), z.unknown()).nullable(),
    decidedBy: z.string().nullable(),
    recordErrors: z.array(z.unknown()),
    /** With `?operations=true` (and in a preview's answer): each planned operation with its reason. */
    operations: z.array(z.record(z.string(), z.unknown())).optional(),
    conflicts: z.array(z.unknown()).optional(),
    /** With team sync on: the team changes (counts, teams created, renamed, removed). */
    teams: z.record(z.string(), z.unknown()).optional(),
    started: z.string(),
    finished: z.string().nullable(),
  })
  .meta({ id: 'Run' });
export const runPage = z.object({ items: z.array(runView), nextBefore: z.string().optional() }).meta({ id: 'RunPage' });
export const operationsQuery = z.object({
  kind: z.enum(OPERATION_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** `next` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export const operationLine = z
  .object({
    kind: z.string(),
    remoteId: z.string().nullable(),
    userId: z.string().optional(),
    email: z.string().optional(),
    lifecycle: z.string().optional(),
    changed: z.array(z.string()).optional(),
    reason: z.string(),
  })
  .meta({ id: 'RunOperation' });
export const operationsPage = z.object({ items: z.array(operationLine), next: z.string().nullable() }).meta({ id: 'RunOperationPage' });

export const personView = z
  .object({
    id: z.string(),
    userName: z.string(),
    displayName: z.string().nullable(),
    lifecycle: z.enum(['candidate', 'invited', 'active', 'archived']),
    management: z.enum(['managed', 'released', 'manual']),
    connectionId: z.string().nullable(),
    remoteId: z.string().nullable(),
  })
  .meta({ id: 'Person' });
export const disconnected = z
  .object({
    mode: z.enum(['keep', 'clean']),
    /** Users that stay, no longer managed. */
    kept: z.number(),
    /** Candidates and pending invitations removed (clean mode). */
    removed: z.number(),
    connection: connectionView,
  })
  .meta({ id: 'Disconnected' });
