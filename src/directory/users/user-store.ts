import { unwrap } from '../../../scim/errors.js';
import { applyPatch } from '../../../scim/patch/apply-patch.js';
import { userResourceType } from '../../../scim/schemas/resource-types.js';
import type { ResourceStore } from '../../../scim/store-port.js';
import type { DirectoryContext } from '../context.js';
import { createUser } from './create-user.js';
import { deleteUser } from './delete-user.js';
import { listUsers, listUsersAfter } from './list-users.js';
import { readUser } from './rows.js';
import { updateUser } from './update-user.js';

/** The SCIM store port for users, bound to a context factory that scopes each call to the caller's tenant. */
export function createUserStore(contextFor: (caller: { tenantId: string; tokenId: string }) => DirectoryContext): ResourceStore {
  return {
    create: (caller, input) => createUser(contextFor(caller), input),
    get(caller, id, options) {
      const ctx = contextFor(caller);
      return readUser(ctx.db, ctx.tenantId, id, options.withRelations);
    },
    list: (caller, query) => listUsers(contextFor(caller), query),
    listAfter: (caller, query) => listUsersAfter(contextFor(caller), query),
    // PUT replaces every client-writable attribute; the password is accepted and discarded (see README).
    replace: (caller, id, input, pre) => updateUser(contextFor(caller), id, pre, () => input.doc),
    patch: (caller, id, ops, pre) =>
      updateUser(contextFor(caller), id, pre, (doc) => unwrap(applyPatch(userResourceType, doc, ops, { id })).doc),
    delete: (caller, id, pre) => deleteUser(contextFor(caller), id, pre),
  };
}
