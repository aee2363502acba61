import { URN } from '../../scim/schemas/urns.js';
import { query, type Executor } from '../db/client.js';
import { isUuid } from '../db/ids.js';
import type { DirectoryContext } from '../directory/context.js';
import { updateUsers } from '../directory/users/update-users.js';
import type { ChangeSource } from '../events/append.js';
import { HR_URN, withHrState } from '../sync/hr-doc.js';

/** Which candidates to invite: these ids, or every candidate matching the filter (all of them for `{}`). */
export type InviteSelection = { ids: string[] } | { filter: CandidateFilter };

export interface CandidateFilter {
  connectionId?: string;
  /** The department as HR names it (exact). */
  department?: string;
  /** The work location as HR names it (exact). */
  location?: string;
}

export interface InviteSkip {
  id: string;
  /** `not_found`: no such user in this tenant (another tenant's id included); `not_candidate`: invited, active or archived already. */
  reason: 'not_found' | 'not_candidate';
  detail: string;
}

export interface InviteOutcome {
  invited: number;
  skipped: InviteSkip[];
}

/** People per transaction: a failure costs at most this many, and no row stays locked for long. */
export const INVITE_BATCH = 500;

/**
 * candidate → invited for many people: one transaction per batch, each person written as a single
 * invitation writes them (its change event, `user.invited`, included), the batch in a few statements. Rows are locked before
 * they are checked, so a person invited by someone else meanwhile is skipped, never invited twice.
 */
export async function inviteCandidates(db: Executor, tenantId: string, selection: InviteSelection, source: ChangeSource, batchSize = INVITE_BATCH): Promise<InviteOutcome> {
  return 'ids' in selection ? inviteByIds(db, tenantId, selection.ids, source, batchSize) : inviteByFilter(db, tenantId, selection.filter, source, batchSize);
}

const LOCK_IDS = `select id, lifecycle from users where tenant_id = $1 and id = any($2::uuid[]) order by id for update`;

async function inviteByIds(db: Executor, tenantId: string, given: string[], source: ChangeSource, batchSize: number): Promise<InviteOutcome> {
  const ids = [...new Set(given)];
  const skipped: InviteSkip[] = ids.filter((id) => !isUuid(id)).map((id) => notFound(id));
  const wellFormed = ids.filter(isUuid);
  let invited = 0;
  for (let start = 0; start < wellFormed.length; start += batchSize) {
    const batch = wellFormed.slice(start, start + batchSize);
    const outcome = await db.transaction(async (tx) => {
      const executor = tx as unknown as Executor;
      const found = new Map((await query<{ id: string; lifecycle: string }>(executor, LOCK_IDS, [tenantId, `{${batch.join(',')}}`])).map((r) => [r.id, r.lifecycle]));
      const skips: InviteSkip[] = [];
      const toInvite: string[] = [];
      for (const id of batch) {
        const lifecycle = found.get(id);
        if (lifecycle === undefined) skips.push(notFound(id));
        else if (lifecycle !== 'candidate') skips.push({ id, reason: 'not_candidate', detail: `${id} is ${lifecycle}, not a candidate` });
        else toInvite.push(id);
      }
      await inviteLocked(executor, tenantId, toInvite, source);
      return { invited: toInvite.length, skips };
    });
    invited += outcome.invited;
    skipped.push(...outcome.skips);
  }
  return { invited, skipped };
}

const notFound = (id: string): InviteSkip => ({ id, reason: 'not_found', detail: `User ${id} not found` });

/**
 * Batches in id order from where the last one stopped. Each batch reads the next ids, then locks
 * those still candidates: a candidate invited by another request meanwhile is passed over, and the
 * walk's position comes from the unlocked read, so a batch thinned by such races never ends it early.
 */
async function inviteByFilter(db: Executor, tenantId: string, filter: CandidateFilter, source: ChangeSource, batchSize: number): Promise<InviteOutcome> {
  const params: unknown[] = [tenantId];
  const conditions = [`tenant_id = $1`, `lifecycle = 'candidate'`];
  if (filter.connectionId !== undefined) {
    if (!isUuid(filter.connectionId)) return { invited: 0, skipped: [] };
    params.push(filter.connectionId);
    conditions.push(`connection_id = $${params.length}`);
  }
  if (filter.department !== undefined) {
    params.push(filter.department);
    conditions.push(`doc -> '${URN.enterpriseUser}' ->> 'department' = $${params.length}`);
  }
  if (filter.location !== undefined) {
    params.push(filter.location);
    conditions.push(`doc -> '${HR_URN}' ->> 'location' = $${params.length}`);
  }
  const where = conditions.join(' and ');
  const next = `select id from users where ${where} and id > $${params.length + 1}::uuid order by id limit ${Math.floor(batchSize)}`;
  const lock = `select id from users where ${where} and id = any($${params.length + 1}::uuid[]) order by id for update`;
  let invited = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const seen = (await query<{ id: string }>(db, next, [...params, after])).map((r) => r.id);
    if (seen.length === 0) return { invited, skipped: [] };
    invited += await db.transaction(async (tx) => {
      const executor = tx as unknown as Executor;
      const ids = (await query<{ id: string }>(executor, lock, [...params, `{${seen.join(',')}}`])).map((r) => r.id);
      await inviteLocked(executor, tenantId, ids, source);
      return ids.length;
    });
    if (seen.length < batchSize) return { invited, skipped: [] };
    after = seen.at(-1)!;
  }
}

async function inviteLocked(db: Executor, tenantId: string, ids: string[], source: ChangeSource): Promise<void> {
  const ctx: DirectoryContext = { db, tenantId, source };
  // Each write's own event is user.invited: the type follows from the lifecycle step.
  await updateUsers(ctx, ids, (current) => withHrState(current, { lifecycle: 'invited' }));
}
