import { eq } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { query, type Executor } from '../db/client.js';
import { connections } from '../db/schema.js';
import type { DirectoryContext } from '../directory/context.js';
import { deleteUser } from '../directory/users/delete-user.js';
import { findUser } from '../directory/users/rows.js';
import { releaseTeams } from '../directory/groups/team-writes.js';
import { updateUser } from '../directory/users/update-user.js';
import { appendEvents, type ChangeSource } from '../events/append.js';
import { connectionStatusEvent } from '../events/connection-events.js';
import { HR_URN, hrExtensionOf, withHrState, type HrExtension } from '../sync/hr-doc.js';
import { teamSyncState } from '../teams/settings.js';
import { findConnection } from './service.js';

export interface PersonView {
  id: string;
  userName: string;
  displayName: string | null;
  lifecycle: HrExtension['lifecycle'];
  management: HrExtension['management'];
  connectionId: string | null;
  remoteId: string | null;
}

// The typed lifecycle and connection columns mirror the HR extension on every write; with the
// (tenant, lifecycle, user name) index a page of candidates is read in order, not sorted out of 50,000.
const PEOPLE = `select id, user_name, doc ->> 'displayName' as display_name, doc -> $2::text as ext from users
  where tenant_id = $1 and lifecycle = $3 and doc -> $2::text is not null and ($4::text is null or connection_id::text = $4::text)
  order by user_name limit $5`;

/** Candidates (people HR knows, waiting for an admin's invitation), optionally of one connection. */
export async function listCandidates(db: Executor, tenantId: string, connectionId: string | null, limit = 1000): Promise<PersonView[]> {
  const found = await query<{ id: string; user_name: string; display_name: string | null; ext: HrExtension }>(db, PEOPLE, [tenantId, HR_URN, 'candidate', connectionId, limit]);
  return found.map((r) => personView(r.id, r.user_name, r.display_name, r.ext));
}

const personView = (id: string, userName: string, displayName: string | null, ext: HrExtension): PersonView => ({
  id,
  userName,
  displayName,
  lifecycle: ext.lifecycle,
  management: ext.management,
  connectionId: ext.connection?.value ?? null,
  remoteId: ext.remoteId ?? null,
});

/** candidate → invited: the downstream app sends the invitation. */
export function inviteCandidate(db: Executor, tenantId: string, userId: string, source: ChangeSource) {
  return moveLifecycle(db, tenantId, userId, source, 'candidate', 'invited');
}

/** invited → active: the downstream app reports the invitation accepted. */
export function acceptInvitation(db: Executor, tenantId: string, userId: string, source: ChangeSource) {
  return moveLifecycle(db, tenantId, userId, source, 'invited', 'active');
}

async function moveLifecycle(
  db: Executor,
  tenantId: string,
  userId: string,
  source: ChangeSource,
  from: HrExtension['lifecycle'],
  to: HrExtension['lifecycle'],
): Promise<PersonView> {
  return db.transaction(async (tx) => {
    const executor = tx as unknown as Executor;
    const row = await findUser(executor, tenantId, userId, true);
    const lifecycle = hrExtensionOf(row.doc as ResourceDoc)?.lifecycle ?? 'active';
    if (lifecycle !== from) throw new DomainError('conflict', `User ${userId} is ${lifecycle}, not ${from}`);
    const ctx: DirectoryContext = { db: executor, tenantId, source };
    // The update's own event is user.invited or user.activated: the type follows from the lifecycle step.
    const stored = await updateUser(ctx, userId, { withRelations: false }, (current) => withHrState(current, { lifecycle: to }));
    return personView(stored.id, String(stored.doc.userName), (stored.doc.displayName as string | undefined) ?? null, hrExtensionOf(stored.doc)!);
  });
}

export interface DisconnectSummary {
  mode: 'keep' | 'clean';
  /** Users that stay, no longer managed. */
  kept: number;
  /** Candidates and pending invitations removed (clean mode). */
  removed: number;
}

const MANAGED_BY = `select id, doc -> $2::text ->> 'lifecycle' as lifecycle from users
  where tenant_id = $1 and doc -> $2::text -> 'connection' ->> 'value' = $3::text and doc -> $2::text ->> 'management' in ('managed', 'released')`;

/**
 * Disconnect (product.md): `keep` leaves every user as it is, now unmanaged; `clean` also removes the
 * candidates and pending invitations this connection created. Users who accepted stay either way.
 * One transaction: a disconnect never stops half-way.
 */
export async function disconnectConnection(db: Executor, tenantId: string, connectionId: string, mode: 'keep' | 'clean' | undefined, source: ChangeSource): Promise<DisconnectSummary> {
  const connection = await findConnection(db, tenantId, connectionId);
  if (connection.status === 'disconnected') throw new DomainError('conflict', `Connection ${connectionId} is already disconnected`);
  const chosen = mode ?? (connection.disconnectMode as 'keep' | 'clean');
  return db.transaction(async (tx) => {
    const executor = tx as unknown as Executor;
    const ctx: DirectoryContext = { db: executor, tenantId, source };
    const managed = await query<{ id: string; lifecycle: string }>(executor, MANAGED_BY, [tenantId, HR_URN, connectionId]);
    let kept = 0;
    let removed = 0;
    for (const user of managed) {
      if (chosen === 'clean' && (user.lifecycle === 'candidate' || user.lifecycle === 'invited')) {
        await deleteUser(ctx, user.id, {});
        removed++;
      } else {
        await updateUser(ctx, user.id, { withRelations: false }, (current) => withHrState(current, { management: 'manual' }));
        kept++;
      }
    }
    // Either way managed teams become editable again (product.md, "Connections").
    await releaseTeams(executor, { tenantId, connectionId, source });
    const [after] = await executor
      .update(connections)
      .set({ teamSync: { ...teamSyncState(connection.teamSync), enabled: false }, status: 'disconnected', statusReason: null, nextRunAt: null, leaseOwner: null, leaseUntil: null, credentials: '', updatedAt: new Date() })
      .where(eq(connections.id, connectionId))
      .returning();
    await appendEvents(executor, [connectionStatusEvent(after!, connection, source, { mode: chosen, kept, removed })!]);
    return { mode: chosen, kept, removed };
  });
}
