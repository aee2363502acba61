import { and, eq, sql } from 'drizzle-orm';
import { checkIfMatch, versionsAccepted } from '../../../scim/http/etag.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { Preconditions, StoredResource } from '../../../scim/store-port.js';
import { isRoot } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { appendEvents, changedAttributes } from '../../events/append.js';
import { redactForEvent } from '../../events/redact.js';
import { userEventType } from '../../events/user-event-type.js';
import type { DirectoryContext } from '../context.js';
import { uniquely } from '../db-errors.js';
import { userColumns } from '../user-row.js';
import { recordConflicts, settleConflicts } from '../authority/conflicts.js';
import type { WriteDecision } from '../authority/decide.js';
import { loadTenantSettings, type TenantSettings } from '../tenant-settings.js';
import { holdToAuthority } from './hr-locks.js';
import { attachGroups, findUser, readUser, toStored } from './rows.js';
import { writeIfAt, type Change } from './write-if-at.js';

/** Reads before giving up on optimism and locking the row (a user rewritten that often is rare). */
const OPTIMISTIC_ATTEMPTS = 3;

/**
 * The one write path for an existing user (PUT and PATCH both end here): read the row, check
 * `If-Match`, compute the new document from the current one, hold it to the tenant's source of
 * authority, write it with a new version and its change event atomically. An update that changes
 * nothing keeps the version. A write with fields its source does not own (under `ignore`) takes the
 * transactional path, which also records the conflicts and their `user.conflict` event.
 * The event's type says what the change means (src/events/user-event-type.ts); `detail` adds the
 * caller's why (an HR run's reason) to its payload.
 */
export async function updateUser(
  ctx: DirectoryContext,
  id: string,
  pre: Preconditions,
  next: (current: ResourceDoc) => ResourceDoc,
  detail: Record<string, unknown> = {},
  options: UpdateOptions = {},
): Promise<StoredResource> {
  const withGroups = pre.withRelations ?? true;
  const settings = await settingsOf(ctx);
  const hold = (before: ResourceDoc): WriteDecision => holdToAuthority(ctx.source, settings, before, next(before), options.whole === true);
  // Inside a caller's transaction, keep to a savepoint and a row lock as before.
  if (!isRoot(ctx.db)) return lockedUpdate(ctx, id, pre, hold, withGroups, detail);
  const known = await fromRecent(ctx, id, pre, hold, withGroups, detail);
  if (known) return known;
  const read = options.read ?? readDirectly;
  for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
    const current = await read(ctx, id, withGroups);
    checkIfMatch(pre.ifMatch, current.version);
    const decision = hold(current.doc);
    if (decision.conflicts.length > 0) return lockedUpdate(ctx, id, pre, hold, withGroups, detail);
    const changed = changedAttributes(current.doc, decision.doc);
    if (changed.length === 0) return current;
    const written = await writeIfAt(ctx, id, current.version, { before: current.doc, after: decision.doc, changed }, withGroups, detail);
    if (written) return written;
    // Written or deleted since the read: read again, so a stale If-Match fails and a deletion is a 404.
  }
  return lockedUpdate(ctx, id, pre, hold, withGroups, detail);
}

/**
 * The write from this process's last copy of the user, when it has one the request's `If-Match`
 * accepts: one statement instead of a read and a write. Undefined sends the caller to the read path:
 * no copy, a copy the row has moved past, a change the copy says is none (the read path answers with
 * the stored row), conflicts with another source (the locked path records them), or a patch that
 * fails on the copy (the read path fails it, or not, on the row as it is).
 */
async function fromRecent(
  ctx: DirectoryContext,
  id: string,
  pre: Preconditions,
  hold: (before: ResourceDoc) => WriteDecision,
  withGroups: boolean,
  detail: Record<string, unknown>,
): Promise<StoredResource | undefined> {
  const known = ctx.recent?.get(ctx.tenantId, id);
  if (!known || !acceptsVersion(pre.ifMatch, known.version)) return undefined;
  let change: Change;
  try {
    const before = JSON.parse(known.doc) as ResourceDoc;
    const decision = hold(before);
    if (decision.conflicts.length > 0) return undefined;
    change = { before, after: decision.doc, changed: changedAttributes(before, decision.doc) };
  } catch {
    return undefined;
  }
  if (change.changed.length === 0) return undefined;
  const written = await writeIfAt(ctx, id, known.version, change, withGroups, detail);
  if (!written) ctx.recent!.forget(ctx.tenantId, id);
  return written;
}

const readDirectly = (ctx: DirectoryContext, id: string, withGroups: boolean): Promise<StoredResource> => readUser(ctx.db, ctx.tenantId, id, withGroups);

const acceptsVersion = (ifMatch: string | undefined, version: number): boolean => {
  const accepted = versionsAccepted(ifMatch);
  return accepted === undefined || accepted.includes(version);
};

export interface UpdateOptions {
  /** A whole-resource write (PUT): fields it leaves out that its source does not own are not asserted. */
  whole?: boolean;
  /**
   * How the optimistic path reads the row (outside transactions only): the SCIM store passes its
   * batched reads, so concurrent writes that need a read, a PATCH that changes nothing among
   * them, share statements as GETs do. A direct read by default.
   */
  read?: (ctx: DirectoryContext, id: string, withGroups: boolean) => Promise<StoredResource>;
}

const settingsOf = (ctx: DirectoryContext): Promise<TenantSettings> => ctx.settings?.get(ctx.tenantId) ?? loadTenantSettings(ctx.db, ctx.tenantId);

/** Lock the row, check, write, record: the transactional form, for callers already in a transaction and writes with conflicts. */
async function lockedUpdate(
  ctx: DirectoryContext,
  id: string,
  pre: Preconditions,
  hold: (before: ResourceDoc) => WriteDecision,
  withGroups: boolean,
  detail: Record<string, unknown>,
): Promise<StoredResource> {
  ctx.recent?.forget(ctx.tenantId, id);
  const stored = await uniquely('userName', () =>
    ctx.db.transaction(async (tx) => {
      const row = await findUser(tx, ctx.tenantId, id, true);
      checkIfMatch(pre.ifMatch, row.version);
      const before = row.doc as ResourceDoc;
      const decision = hold(before);
      const after = decision.doc;
      await recordConflicts(tx, { tenantId: ctx.tenantId, source: ctx.source, user: { id, doc: before }, conflicts: decision.conflicts });
      // Only connections' conflicts are read back (by the sync planner); an IdP's stale ones are filtered when shown.
      if (ctx.source.kind === 'connection') await settleConflicts(tx, { source: ctx.source, userId: id, paths: decision.settled });
      const changed = changedAttributes(before, after);
      if (changed.length === 0) return toStored(row);
      const [updated] = await tx
        .update(users)
        .set({ doc: after, ...userColumns(after), version: sql`${users.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, id)))
        .returning();
      const result = toStored(updated!);
      await appendEvents(tx, [
        {
          tenantId: ctx.tenantId,
          type: userEventType(before, after),
          resourceType: 'User',
          resourceId: id,
          source: ctx.source,
          payload: { resource: { id, ...redactForEvent(after) }, version: result.version, changed, ...detail },
        },
      ]);
      return result;
    }),
  );
  if (withGroups) await attachGroups(ctx, [stored]);
  return stored;
}
