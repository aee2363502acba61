import type { StoredResource } from '../../../scim/store-port.js';
import { isRoot, query, type Executor } from '../../db/client.js';
import { isUuid } from '../../db/ids.js';
import type { DirectoryContext } from '../context.js';
import { createReadBatcher, type ReadBatcher } from '../read-batcher.js';
import { loadMembers } from './members.js';
import { groupNotFound } from './rows.js';
import { fromRawGroup, GROUP_COLUMNS, type RawGroup } from './update-group.js';

/*
 * GET of a group by id, coalesced across concurrent requests as users' are (users/batched-reads.ts):
 * Entra reads a group, without its members, before the changes it sends, and a tenant's admin
 * tools read many at once. Requests of one tenant and shape read in one statement scoped by that
 * tenant, members (when asked) in one more, and each request gets its own group or its own
 * not-found.
 */

const BY_ID = `select ${GROUP_COLUMNS} from groups g where g.tenant_id = $1 and g.id = any($2::uuid[])`;

/** Each id's group (with its members when asked) or its not-found, in order; the ids are UUIDs. */
export async function readGroups(db: Executor, tenantId: string, ids: string[], withMembers: boolean): Promise<(StoredResource | Error)[]> {
  const [found, members] = await Promise.all([
    // Checked as UUIDs by the caller: the array literal needs no quoting.
    query<RawGroup>(db, BY_ID, [tenantId, `{${ids.join(',')}}`]),
    withMembers ? loadMembers(db, tenantId, ids) : undefined,
  ]);
  const byId = new Map(found.map((row) => [row.id, row]));
  return ids.map((wanted) => {
    // PostgreSQL answers ids in lower case, whatever case the path spelled them in.
    const row = byId.get(wanted.toLowerCase());
    if (!row) return groupNotFound(wanted);
    const stored = fromRawGroup(row);
    // A copy each: the same group asked for twice in a batch is two answers.
    if (members) stored.members = [...(members.get(row.id) ?? [])];
    return stored;
  });
}

export interface BatchedGroupReads {
  get(ctx: DirectoryContext, id: string, withMembers: boolean): Promise<StoredResource>;
}

export function createBatchedGroupReads(batcher: ReadBatcher = createReadBatcher()): BatchedGroupReads {
  return {
    async get(ctx, id, withMembers) {
      if (!isUuid(id)) throw groupNotFound(id);
      // Inside a transaction the read must see that transaction: no batching across requests there.
      if (!isRoot(ctx.db)) {
        const [one] = await readGroups(ctx.db, ctx.tenantId, [id], withMembers);
        if (one instanceof Error) throw one;
        return one!;
      }
      return batcher.load<string, StoredResource>(`group:${ctx.tenantId}:${withMembers}`, id, (ids) => readGroups(ctx.db, ctx.tenantId, ids, withMembers));
    },
  };
}
