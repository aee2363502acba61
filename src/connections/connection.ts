import { z } from 'zod';
import { providerNameSchema, type ProviderName } from '../../connectors/index.js';
import { connections } from '../db/schema.js';
import { scopeRuleSchema, type ScopeRule } from '../sync/scope.js';

export type ConnectionRow = typeof connections.$inferSelect;

export const connectionStatuses = ['awaiting_configuration', 'connected', 'error', 'disconnected'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

/** Reasons a connection is in `error`; the first two stop the scheduler until an admin acts. */
export type ErrorReason = 'invalid_credentials' | 'needs_approval' | 'rate_limited' | 'hr_api_down' | 'sync_failed';

/** What an admin may change after connecting; every field optional (PATCH semantics). */
export const connectionSettingsSchema = z
  .object({
    scope: z.array(scopeRuleSchema).max(20),
    onboarding: z.enum(['review', 'auto']),
    /** Minutes between scheduled runs: 15 minutes to a week. */
    scheduleMinutes: z.number().int().min(15).max(7 * 24 * 60),
    safetyThresholdPercent: z.number().int().min(1).max(100),
    disconnectMode: z.enum(['keep', 'clean']),
    baseUrl: z.url({ protocol: /^https?$/ }).nullable(),
    /** Provider settings (Personio's API version and IBAN attribute, HiBob's environment), checked by the provider's schema. */
    settings: z.record(z.string(), z.unknown()),
  })
  .partial()
  .strict();
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;

export const newConnectionSchema = connectionSettingsSchema.extend({
  provider: providerNameSchema,
  credentials: z.record(z.string(), z.unknown()),
});
export type NewConnection = z.infer<typeof newConnectionSchema>;

/** A connection as admins see it: never the credentials, not even sealed. */
export interface ConnectionView {
  id: string;
  tenantId: string;
  provider: ProviderName;
  baseUrl: string | null;
  settings: Record<string, unknown>;
  status: ConnectionStatus;
  statusReason: string | null;
  scope: ScopeRule[];
  onboarding: 'review' | 'auto';
  scheduleMinutes: number;
  safetyThresholdPercent: number;
  disconnectMode: 'keep' | 'clean';
  nextRunAt: string | null;
  consecutiveFailures: number;
  created: string;
  lastModified: string;
  /** On connect and on new credentials: what the HR system accepted with reservations (a field the key cannot see). */
  warnings?: string[];
}

export function connectionView(row: ConnectionRow): ConnectionView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    provider: row.provider as ProviderName,
    baseUrl: row.baseUrl,
    settings: row.settings,
    status: row.status as ConnectionStatus,
    statusReason: row.statusReason,
    scope: row.scopeRules as ScopeRule[],
    onboarding: row.onboarding as 'review' | 'auto',
    scheduleMinutes: row.scheduleMinutes,
    safetyThresholdPercent: row.safetyThresholdPercent,
    disconnectMode: row.disconnectMode as 'keep' | 'clean',
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    consecutiveFailures: row.consecutiveFailures,
    created: row.createdAt.toISOString(),
    lastModified: row.updatedAt.toISOString(),
  };
}
