import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { auditLog } from '../db/schema.js';

export interface AuditEntry {
  tenantId: string | null;
  actor: string;
  action: string;
  target?: string;
  /** Never a secret: callers pass identifiers and settings only. */
  detail?: Record<string, unknown>;
  requestId?: string;
}

export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: entry.tenantId,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    detail: entry.detail ?? {},
    requestId: entry.requestId ?? null,
  });
}

export interface AuditQuery {
  tenantId?: string;
  action?: string;
  actor?: string;
  /** Entries older than this id (newest first paging). */
  before?: number;
  limit: number;
}

export async function listAudit(db: Executor, q: AuditQuery) {
  const conditions: (SQL | undefined)[] = [
    q.tenantId ? eq(auditLog.tenantId, q.tenantId) : undefined,
    q.action ? eq(auditLog.action, q.action) : undefined,
    q.actor ? eq(auditLog.actor, q.actor) : undefined,
    q.before ? lt(auditLog.id, q.before) : undefined,
  ];
  const found = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const items = found.slice(0, q.limit);
  return { items, nextBefore: found.length > q.limit ? items.at(-1)!.id : undefined };
}
