import type { ScimStore } from '../../scim/store-port.js';
import type { Executor } from '../db/client.js';
import type { DirectoryContext } from './context.js';
import { createGroupStore } from './groups/group-store.js';
import { createUserStore, type UserStoreOptions } from './users/user-store.js';

/** The directory as the SCIM routes see it: every call scoped to the calling token's tenant. */
export function createScimStore(db: Executor, options: UserStoreOptions = {}): ScimStore {
  const contextFor = (caller: { tenantId: string; tokenId: string }): DirectoryContext => ({
    db,
    tenantId: caller.tenantId,
    source: { kind: 'token', id: caller.tokenId },
  });
  return { users: createUserStore(contextFor, options), groups: createGroupStore(contextFor) };
}
