import { unwrap } from '../../../scim/errors.js';
import { applyPatch } from '../../../scim/patch/apply-patch.js';
import { keepServerOwned } from '../../../scim/resource/server-owned.js';
import { userResourceType } from '../../../scim/schemas/resource-types.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { ResourceTypeDef } from '../../../scim/schemas/types.js';
import type { ResourceStore, StoredResource } from '../../../scim/store-port.js';
import type { DirectoryContext } from '../context.js';
import { forAnswer, type OpenSealed } from './bank-account.js';
import { createUser } from './create-user.js';
import { deleteUser } from './delete-user.js';
import { listUsers, listUsersAfter } from './list-users.js';
import { createBatchedUserReads } from './batched-reads.js';
import { updateUser } from './update-user.js';

export interface UserStoreOptions {
  /** Opens sealed values (the bank account) for answers that request them; without it they are never shown. */
  openSealed?: OpenSealed;
}

/** A document with nothing server-owned in it: what a client's create starts from. */
const NOTHING: ResourceDoc = { schemas: [] };

/** The SCIM store port for users, bound to a context factory that scopes each call to the caller's tenant. */
export function createUserStore(
  contextFor: (caller: { tenantId: string; tokenId: string }) => DirectoryContext,
  options: UserStoreOptions = {},
): ResourceStore {
  // The caller's tenant's User type (its own extension included) validates and patches its writes.
  const typeOf = (caller: { resourceType?: ResourceTypeDef }) => caller.resourceType ?? userResourceType;
  const shown = (requested: string[] | undefined) => (stored: StoredResource) => forAnswer(stored, requested, options.openSealed);
  // Concurrent GETs by id and userName / externalId lookups of one tenant share a statement.
  const reads = createBatchedUserReads();
  // A write that must read its row (no copy of it here, or a change the copy says is none) reads it as a GET would.
  const patchOptions = { read: reads.get };
  const replaceOptions = { whole: true, read: reads.get };
  return {
    // Server-owned attributes (the HR extension) are the HR sync's to set, never a client's.
    create: async (caller, input) =>
      shown(undefined)(await createUser(contextFor(caller), { ...input, doc: keepServerOwned(typeOf(caller), NOTHING, input.doc) })),
    async get(caller, id, options) {
      const ctx = contextFor(caller);
      return shown(options.requested)(await reads.get(ctx, id, options.withRelations));
    },
    list: async (caller, query) => {
      const ctx = contextFor(caller);
      const page = await (reads.lookup(ctx, query) ?? listUsers(ctx, query));
      return { ...page, resources: page.resources.map(shown(query.requested)) };
    },
    listAfter: async (caller, query) => {
      const page = await listUsersAfter(contextFor(caller), query);
      return { ...page, resources: page.resources.map(shown(query.requested)) };
    },
    // PUT replaces every client-writable attribute but those it leaves out that another source owns;
    // the password is accepted and discarded (see README).
    replace: async (caller, id, input, pre) =>
      shown(pre.requested)(
        await updateUser(contextFor(caller), id, pre, (current) => keepServerOwned(typeOf(caller), current, input.doc), {}, replaceOptions),
      ),
    patch: async (caller, id, ops, pre) => {
      const rt = typeOf(caller);
      return shown(pre.requested)(
        await updateUser(contextFor(caller), id, pre, (current) => keepServerOwned(rt, current, unwrap(applyPatch(rt, current, ops, { id })).doc), {}, patchOptions),
      );
    },
    delete: (caller, id, pre) => deleteUser(contextFor(caller), id, pre),
  };
}
