import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../../../scim/errors.js';
import { open, seal } from '../../crypto/secret-box.js';
import type { Executor } from '../../db/client.js';
import { isUuid, uuidv7 } from '../../db/ids.js';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema.js';
import { EVENT_TYPES } from '../catalogue.js';
import { decodeCursor, encodeCursor, feedHead, type FeedPosition } from '../feed.js';
import { newWebhookSecret } from './signature.js';
import { webhookUrl } from './url.js';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

const eventTypes = z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length);

export const endpointCreate = z
  .object({
    url: webhookUrl,
    /** Types to send; omitted or empty: all. */
    events: eventTypes.optional(),
    description: z.string().max(500).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export const endpointUpdate = endpointCreate.partial().strict();

export const endpointView = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  /** Why the dispatcher disabled it, when it did. */
  disabledReason: z.string().nullable(),
  /** Feed position of the last event handled: deliveries continue after it. */
  cursor: z.string(),
  /** Failed attempts at the event it is stuck on, since when, and the next try. */
  failingAttempts: z.number(),
  failingSince: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EndpointView = z.infer<typeof endpointView>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function viewOf(row: EndpointRow): EndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.eventTypes,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    cursor: encodeCursor({ xid: row.cursorXid, seq: Number(row.cursorSeq) }),
    failingAttempts: row.attempts,
    failingSince: iso(row.failingSince),
    nextAttemptAt: iso(row.nextAttemptAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const notFound = (id: string) => new DomainError('not_found', `Webhook endpoint ${id} not found`);

export async function findEndpoint(db: Executor, tenantId: string, id: string): Promise<EndpointRow> {
  if (!isUuid(id)) throw notFound(id);
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)));
  if (!row) throw notFound(id);
  return row;
}

export const listEndpoints = (db: Executor, tenantId: string) =>
  db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)).orderBy(webhookEndpoints.id);

/** A new endpoint receives the events that settle after its creation; its secret is returned this once. */
export async function createEndpoint(db: Executor, key: Buffer, tenantId: string, input: z.infer<typeof endpointCreate>) {
  const secret = newWebhookSecret();
  const head = await feedHead(db, tenantId);
  const [row] = await db
    .insert(webhookEndpoints)
    .values({
      id: uuidv7(),
      tenantId,
      url: input.url,
      description: input.description ?? null,
      eventTypes: input.events ?? [],
      secret: seal(key, secret),
      enabled: input.enabled ?? true,
      cursorXid: head.xid,
      cursorSeq: head.seq,
    })
    .returning();
  return { endpoint: row!, secret };
}

/** Enabling an endpoint (again) clears why it was disabled and retries its stuck event now. */
export async function updateEndpoint(db: Executor, tenantId: string, id: string, input: z.infer<typeof endpointUpdate>): Promise<EndpointRow> {
  const current = await findEndpoint(db, tenantId, id);
  const reenabled = input.enabled === true && !current.enabled;
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.events !== undefined ? { eventTypes: input.events } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      ...(reenabled ? { disabledReason: null, attempts: 0, failingSince: null, nextAttemptAt: null } : {}),
      updatedAt: new Date(),
    })
    .where(eq(webhookEndpoints.id, current.id))
    .returning();
  return row!;
}

export async function deleteEndpoint(db: Executor, tenantId: string, id: string): Promise<void> {
  const current = await findEndpoint(db, tenantId, id);
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, current.id));
}

/**
 * A new secret, returned this once. With an overlap the old one keeps signing too (a second `v1=`)
 * until it ends, so receivers can switch without losing a delivery.
 */
export async function rotateSecret(db: Executor, key: Buffer, tenantId: string, id: string, overlapSeconds: number) {
  const current = await findEndpoint(db, tenantId, id);
  const secret = newWebhookSecret();
  const until = overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null;
  const [row] = await db
    .update(webhookEndpoints)
    .set({ secret: seal(key, secret), previousSecret: until ? current.secret : null, previousSecretUntil: until, updatedAt: new Date() })
    .where(eq(webhookEndpoints.id, current.id))
    .returning();
  return { endpoint: row!, secret, previousSecretUntil: until };
}

/**
 * Replay: deliver again every matching event after `after` (the start of the retained feed when
 * omitted). Deliveries keep their idempotency ids. A disabled endpoint stays disabled until enabled.
 * The lease is taken away too: a dispatcher draining the endpoint right now would otherwise record
 * its own cursor over the replayed one; without its lease it stops at its next record.
 */
export async function replayFrom(db: Executor, tenantId: string, id: string, after: string | undefined): Promise<EndpointRow> {
  const current = await findEndpoint(db, tenantId, id);
  const position: FeedPosition = decodeCursor(after);
  const [row] = await db
    .update(webhookEndpoints)
    .set({ cursorXid: position.xid, cursorSeq: position.seq, attempts: 0, failingSince: null, nextAttemptAt: null, leaseOwner: null, leaseUntil: null, updatedAt: new Date() })
    .where(eq(webhookEndpoints.id, current.id))
    .returning();
  return row!;
}

/** The secrets that sign a delivery now: the current one, and the previous during a rotation's overlap. */
export function signingSecrets(key: Buffer, row: Pick<EndpointRow, 'secret' | 'previousSecret' | 'previousSecretUntil'>, now = new Date()): string[] {
  const secrets = [open(key, row.secret)];
  if (row.previousSecret && row.previousSecretUntil && row.previousSecretUntil > now) secrets.push(open(key, row.previousSecret));
  return secrets;
}

export const deliveryView = z.object({
  id: z.string(),
  eventId: z.string().nullable(),
  eventType: z.string(),
  state: z.enum(['delivered', 'retrying', 'failed']),
  attempts: z.number(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  durationMs: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deliveredAt: z.string().nullable(),
});

/** The delivery log of an endpoint, newest first; `before` pages on. */
export async function listDeliveries(db: Executor, endpointId: string, limit: number, before?: string) {
  const found = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), before && isUuid(before) ? lt(webhookDeliveries.id, before) : undefined))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit + 1);
  const items = found.slice(0, limit).map((d) => ({
    id: d.id,
    eventId: d.eventSeq === null ? null : String(d.eventSeq),
    eventType: d.eventType,
    state: d.state as 'delivered' | 'retrying' | 'failed',
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    durationMs: d.durationMs,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    deliveredAt: iso(d.deliveredAt),
  }));
  return { items, ...(found.length > limit ? { nextBefore: items.at(-1)!.id } : {}) };
}

