import type { ResourceStore, ScimStore } from '../../scim/store-port.js';
import type { Executor } from '../db/client.js';
import { canonicalId } from '../db/ids.js';
import type { DirectoryContext } from './context.js';
import type { TenantSettingsCache } from './tenant-settings.js';
import { createGroupStore } from './groups/group-store.js';
import { createTogether } from './users/create-user.js';
import { deleteTogether } from './users/delete-user.js';
import { createRecentUsers } from './users/recent-users.js';
import { updateTogether } from './users/write-if-at.js';
import { createUserStore, type UserStoreOptions } from './users/user-store.js';

/** The directory as the SCIM routes see it: every call scoped to the calling token's tenant. */
export function createScimStore(db: Executor, options: UserStoreOptions & { settings?: TenantSettingsCache } = {}): ScimStore {
  // One per store, so two apps in one process (tests) never share copies.
  const recent = createRecentUsers();
  const together = { createTogether: createTogether(), updateTogether: updateTogether(), deleteTogether: deleteTogether() };
  const contextFor = (caller: { tenantId: string; tokenId: string }): DirectoryContext => ({
    db,
    tenantId: caller.tenantId,
    source: { kind: 'token', id: caller.tokenId },
    recent,
    ...together,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  return { users: withCanonicalIds(createUserStore(contextFor, options)), groups: withCanonicalIds(createGroupStore(contextFor)) };
}

/**
 * A UUID names the same resource in either case. A path that spells one in upper case is read as
 * the lower-case id once, here, so everything below (reads, writes, the change events' payloads,
 * the copies of recent users, member lists) sees the id as PostgreSQL prints it.
 */
function withCanonicalIds(store: ResourceStore): ResourceStore {
  return {
    ...store,
    get: (caller, id, options) => store.get(caller, canonicalId(id), options),
    replace: (caller, id, input, pre) => store.replace(caller, canonicalId(id), input, pre),
    patch: (caller, id, ops, pre) => store.patch(caller, canonicalId(id), ops, pre),
    delete: (caller, id, pre) => store.delete(caller, canonicalId(id), pre),
  };
}
