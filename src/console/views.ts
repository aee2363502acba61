/** The admin API's answers as the pages read them (the routes' zod schemas define them in full). */
export interface ConnectionV {
  id: string;
  provider: string;
  baseUrl: string | null;
  status: string;
  statusReason: string | null;
  scope: { field: string; op: 'in' | 'notIn'; values: string[] }[];
  onboarding: 'review' | 'auto';
  scheduleMinutes: number;
  safetyThresholdPercent: number;
  nextRunAt: string | null;
  warnings?: string[];
}
export interface RunV {
  id: string;
  connectionId: string;
  mode: 'preview' | 'apply';
  trigger: string;
  state: string;
  counts: Record<string, number>;
  progress: Record<string, number>;
  error: string | null;
  held: Record<string, unknown> | null;
  decidedBy: string | null;
  recordErrors: unknown[];
  operations?: Record<string, unknown>[];
  conflicts?: unknown[];
  teams?: Record<string, unknown>;
  started: string;
  finished: string | null;
}
export interface PersonV {
  id: string;
  userName: string;
  displayName: string | null;
  lifecycle: string;
  management: string;
  connectionId: string | null;
  remoteId: string | null;
}
export interface TokenV {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  state: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}
export interface WebhookV {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingAttempts: number;
  failingSince: string | null;
  nextAttemptAt: string | null;
}
export interface UserV {
  id: string;
  userName: string;
  displayName: string | null;
  active: boolean;
  source: string;
  lifecycle: string;
  management: string;
  connectionId: string | null;
}
export interface PeoplePageV {
  items: UserV[];
  total: number | null;
  totalExact: boolean;
  next: string | null;
  previous: string | null;
  last: string | null;
}
export interface InviteOutcomeV {
  invited: number;
  skipped: { id: string; reason: string; detail: string }[];
}
export interface OperationV {
  kind: string;
  remoteId: string | null;
  userId?: string;
  email?: string;
  changed?: string[];
  reason: string;
}
export interface OperationsPageV {
  items: OperationV[];
  next: string | null;
}
