import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import { deepEqual } from '../../../scim/resource/json.js';
import type { Executor } from '../../db/client.js';
import { userConflicts } from '../../db/schema.js';
import { appendEvents, type ChangeSource } from '../../events/append.js';
import type { Conflict } from './decide.js';

/** One row per writer: its latest attempt at each field it does not own. */
export const sourceKeyOf = (source: ChangeSource) => `${source.kind}:${source.id}`;

/**
 * Forgets a source's conflicts on paths where it now agrees with the stored value (or asserts none).
 * Called on the transactional write path, which every HR sync takes: the sync planner reads these rows
 * as "what HR last said" (src/sync/directory-users.ts), so a stale one would plan an update every run.
 */
export async function settleConflicts(tx: Executor, input: { source: ChangeSource; userId: string; paths: string[] }): Promise<void> {
  if (input.paths.length === 0) return;
  await tx
    .delete(userConflicts)
    .where(and(eq(userConflicts.userId, input.userId), eq(userConflicts.sourceKey, sourceKeyOf(input.source)), inArray(userConflicts.path, input.paths)));
}

/**
 * Keeps what a non-owning source tried to write, in the caller's transaction. The change feed gets a
 * `user.conflict` for attempts that are new or differ from the source's last one, so an identity
 * provider repeating the same value on every push (Okta's PUT) is one event, not one per push.
 */
export async function recordConflicts(
  tx: Executor,
  input: { tenantId: string; source: ChangeSource; user: { id: string; doc: ResourceDoc }; conflicts: Conflict[] },
): Promise<void> {
  const { tenantId, source, user, conflicts } = input;
  if (conflicts.length === 0) return;
  const sourceKey = sourceKeyOf(source);
  const paths = conflicts.map((c) => c.path);
  const before = await tx
    .select({ path: userConflicts.path, attempted: userConflicts.attempted })
    .from(userConflicts)
    .where(and(eq(userConflicts.userId, user.id), eq(userConflicts.sourceKey, sourceKey), inArray(userConflicts.path, paths)));
  const known = new Map(before.map((r) => [r.path, r.attempted ?? null]));
  const fresh = conflicts.filter((c) => !known.has(c.path) || !deepEqual(known.get(c.path), c.attempted ?? null));
  await tx
    .insert(userConflicts)
    .values(conflicts.map((c) => ({ tenantId, userId: user.id, path: c.path, sourceKey, source, owner: c.owner, attempted: c.attempted ?? null })))
    .onConflictDoUpdate({
      target: [userConflicts.userId, userConflicts.path, userConflicts.sourceKey],
      set: {
        owner: sql`excluded.owner`,
        firstAt: sql`case when ${userConflicts.attempted} is not distinct from excluded.attempted then ${userConflicts.firstAt} else now() end`,
        attempted: sql`excluded.attempted`,
        lastAt: sql`now()`,
      },
    });
  if (fresh.length === 0) return;
  await appendEvents(tx, [
    {
      tenantId,
      type: 'user.conflict',
      resourceType: 'User',
      resourceId: user.id,
      source,
      payload: {
        resource: { id: user.id, userName: user.doc.userName },
        conflicts: fresh.map((c) => ({ path: c.path, owner: c.owner, attempted: c.attempted ?? null, stored: c.stored ?? null })),
      },
    },
  ]);
}
