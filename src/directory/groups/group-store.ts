import { unwrap } from '../../../scim/errors.js';
import { applyPatch } from '../../../scim/patch/apply-patch.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import { keepServerOwned } from '../../../scim/resource/server-owned.js';
import { groupResourceType } from '../../../scim/schemas/resource-types.js';
import type { ResourceStore } from '../../../scim/store-port.js';
import type { DirectoryContext } from '../context.js';
import { createGroup } from './create-group.js';
import { deleteGroup } from './delete-group.js';
import { listGroups, listGroupsAfter } from './list-groups.js';
import { createBatchedGroupReads } from './batched-reads.js';
import { updateGroup } from './update-group.js';

/** A document with nothing server-owned in it: what a client's create starts from. */
const NOTHING: ResourceDoc = { schemas: [] };

export function createGroupStore(contextFor: (caller: { tenantId: string; tokenId: string }) => DirectoryContext): ResourceStore {
  const reads = createBatchedGroupReads();
  return {
    // The team extension is team sync's to write, never a client's; PUT and PATCH keep what is stored.
    create: (caller, input) => createGroup(contextFor(caller), { ...input, doc: keepServerOwned(groupResourceType, NOTHING, input.doc) }),
    // Members are not read for excludedAttributes=members.
    get: (caller, id, options) => reads.get(contextFor(caller), id, options.withRelations),
    list: (caller, query) => listGroups(contextFor(caller), query),
    listAfter: (caller, query) => listGroupsAfter(contextFor(caller), query),
    // PUT with `members` replaces the list; a PUT without `members` leaves membership alone (Okta's rename PUTs).
    replace: (caller, id, input, pre) =>
      updateGroup(
        contextFor(caller),
        id,
        pre,
        (current) => ({ doc: keepServerOwned(groupResourceType, current, input.doc), members: input.members ? [{ kind: 'replace', members: input.members }] : [] }),
        pre.withRelations ?? true,
      ),
    patch: (caller, id, ops, pre) =>
      updateGroup(
        contextFor(caller),
        id,
        pre,
        (doc) => {
          const result = unwrap(applyPatch(groupResourceType, doc, ops, { id }));
          return { doc: keepServerOwned(groupResourceType, doc, result.doc), members: result.members };
        },
        pre.withRelations ?? true,
      ),
    delete: (caller, id, pre) => deleteGroup(contextFor(caller), id, pre),
  };
}
