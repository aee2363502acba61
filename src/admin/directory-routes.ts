import { unwrap } from '../../scim/errors.js';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { parseFilter } from '../../scim/filter/parse.js';
import { groupResourceType } from '../../scim/schemas/resource-types.js';
import type { DirectoryContext } from '../directory/context.js';
import { z } from 'zod';
import { deleteGroup } from '../directory/groups/delete-group.js';
import { listGroups } from '../directory/groups/list-groups.js';
import { updateGroup } from '../directory/groups/update-group.js';
import { deleteUser } from '../directory/users/delete-user.js';
import { loadTenantSettings } from '../directory/tenant-settings.js';
import { listUsers } from '../directory/users/list-users.js';
import { teamExtensionOf } from '../teams/team-doc.js';
import { route, type AdminContext } from './route.js';
import { directoryQuery, empty, groupSummary, page, userSummary } from './schemas.js';
import { iso, userView } from './view.js';

function teamSummary(doc: ResourceDoc) {
  const ext = teamExtensionOf(doc);
  if (!ext) return null;
  return { kind: ext.kind, management: ext.management, connectionId: ext.connection.value, managerId: ext.manager?.value ?? null, parentId: ext.parent?.value ?? null };
}

const directoryContext = (ctx: AdminContext): DirectoryContext => ({
  db: ctx.database.db,
  tenantId: ctx.tenant!.id,
  source: { kind: 'admin', id: ctx.principal.subject },
});

/** An admin's edit of a group: rename, add and remove members (user or group ids). */
const groupEdit = z
  .object({
    displayName: z.string().trim().min(1).max(256),
    addMembers: z.array(z.uuid()).max(1000),
    removeMembers: z.array(z.uuid()).max(1000),
  })
  .partial()
  .strict();
const groupEdited = z.object({ id: z.string(), displayName: z.string(), version: z.number() });

export const directoryRoutes = [
  route({
    operationId: 'listUsers',
    tag: 'Users',
    method: 'get',
    path: '/tenants/:slug/users',
    summary: 'List and search users (SCIM filter syntax) with their source and lifecycle state',
    access: 'tenant-read',
    query: directoryQuery,
    response: page(userSummary),
    handler: async (ctx, { query }) => {
      const startIndex = query.startIndex ?? 1;
      const result = await listUsers(directoryContext(ctx), {
        // The tenant's own extension attributes filter here as over SCIM.
        ...(query.filter ? { filter: unwrap(parseFilter((await loadTenantSettings(ctx.database.db, ctx.tenant!.id)).userType, query.filter)) } : {}),
        descending: false,
        startIndex,
        count: query.count ?? 100,
        withRelations: false,
      });
      return {
        total: result.total,
        startIndex,
        items: result.resources.map((u) => userView(u)),
      };
    },
  }),
  route({
    operationId: 'listGroups',
    tag: 'Groups',
    method: 'get',
    path: '/tenants/:slug/groups',
    summary: 'List and search groups (SCIM filter syntax)',
    access: 'tenant-read',
    query: directoryQuery,
    response: page(groupSummary),
    handler: async (ctx, { query }) => {
      const startIndex = query.startIndex ?? 1;
      const result = await listGroups(directoryContext(ctx), {
        ...(query.filter ? { filter: unwrap(parseFilter(groupResourceType, query.filter)) } : {}),
        descending: false,
        startIndex,
        count: query.count ?? 100,
        withRelations: false,
      });
      return {
        total: result.total,
        startIndex,
        items: result.resources.map((g) => ({
          id: g.id,
          displayName: String(g.doc.displayName),
          externalId: typeof g.doc.externalId === 'string' ? g.doc.externalId : null,
          team: teamSummary(g.doc),
          createdAt: iso(g.created)!,
          updatedAt: iso(g.lastModified)!,
        })),
      };
    },
  }),
  route({
    operationId: 'updateGroup',
    tag: 'Groups',
    method: 'patch',
    path: '/tenants/:slug/groups/:id',
    summary: 'Edit a group by hand: rename, add or remove members (a team under team sync is read-only: 400 mutability)',
    access: 'tenant-write',
    body: groupEdit,
    response: groupEdited,
    handler: async (ctx, { params, body }) => {
      const stored = await updateGroup(
        directoryContext(ctx),
        params.id!,
        {},
        (current) => ({
          doc: body.displayName ? { ...current, displayName: body.displayName } : current,
          members: [
            ...(body.addMembers?.length ? [{ kind: 'add' as const, members: body.addMembers.map((value) => ({ value })) }] : []),
            ...(body.removeMembers?.length ? [{ kind: 'remove' as const, ids: body.removeMembers }] : []),
          ],
        }),
        false,
      );
      await ctx.audit('group.update', params.id, { ...body });
      return { id: stored.id, displayName: String(stored.doc.displayName), version: stored.version };
    },
  }),
  route({
    operationId: 'deleteGroup',
    tag: 'Groups',
    method: 'delete',
    path: '/tenants/:slug/groups/:id',
    summary: 'Delete a group by hand (a team under team sync is read-only: 400 mutability)',
    access: 'tenant-write',
    response: empty,
    status: 204,
    handler: async (ctx, { params }) => {
      await deleteGroup(directoryContext(ctx), params.id!, {});
      await ctx.audit('group.delete', params.id);
      return undefined;
    },
  }),
  route({
    operationId: 'deleteUser',
    tag: 'Users',
    method: 'delete',
    path: '/tenants/:slug/users/:id',
    summary: 'Delete a user by hand (memberships go with it)',
    access: 'tenant-write',
    response: empty,
    status: 204,
    handler: async (ctx, { params }) => {
      await deleteUser(directoryContext(ctx), params.id!, {});
      await ctx.audit('user.delete', params.id);
      return undefined;
    },
  }),
];
