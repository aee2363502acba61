import { URN } from '../../scim/schemas/urns.js';
import { tenantConflictsOf, userConflictsOf } from '../directory/authority/list-conflicts.js';
import { resetAuthority, saveAuthority } from '../directory/authority/save.js';
import { declareTenantAttribute, listTenantAttributes, removeTenantAttribute } from '../directory/extension/attributes.js';
import { loadTenantSettings } from '../directory/tenant-settings.js';
import {
  authorityEdit,
  authorityView,
  tenantAttributeDeclare,
  tenantAttributeList,
  tenantAttributeView,
  tenantConflictList,
  tenantConflictQuery,
  userConflictList,
} from './authority-schemas.js';
import { route, type AdminContext } from './route.js';
import { empty } from './schemas.js';

/** A tenant's own SCIM extension, its source of authority, and the conflicts the rules leave (README, "Source of authority"). */

const tenantOf = (ctx: AdminContext) => ctx.tenant!.id;
const attributeView = (a: { name: string; type: string; multiValued: boolean; caseExact: boolean; description: string }) => ({
  ...a,
  path: `${URN.tenantUser}:${a.name}`,
});
const authorityAnswer = async (ctx: AdminContext) => {
  const settings = await loadTenantSettings(ctx.database.db, tenantOf(ctx));
  return { rules: settings.authority.rules, policies: settings.authority.policies, default: settings.defaultAuthority };
};

export const authorityRoutes = [
  route({
    method: 'get',
    path: '/tenants/:slug/schema/attributes',
    operationId: 'listSchemaAttributes',
    tag: 'Schema',
    summary: "The attributes of the tenant's own SCIM extension",
    access: 'tenant-read',
    response: tenantAttributeList,
    handler: async (ctx) => ({ schema: URN.tenantUser, items: (await listTenantAttributes(ctx.database.db, tenantOf(ctx))).map(attributeView) }),
  }),
  route({
    method: 'post',
    path: '/tenants/:slug/schema/attributes',
    operationId: 'addSchemaAttribute',
    tag: 'Schema',
    summary: "Declare an attribute of the tenant's own SCIM extension (names of core, enterprise and HR attributes are refused; 409 when taken)",
    access: 'tenant-write',
    body: tenantAttributeDeclare,
    response: tenantAttributeView,
    status: 201,
    responses: { 409: 'The name is already declared (whatever its case)' },
    handler: async (ctx, { body }) => {
      const declared = await declareTenantAttribute(ctx.database.db, tenantOf(ctx), body);
      ctx.settingsChanged?.(tenantOf(ctx));
      await ctx.audit('schema.attribute.declare', body.name, { ...body });
      return attributeView(declared);
    },
  }),
  route({
    method: 'delete',
    path: '/tenants/:slug/schema/attributes/:name',
    operationId: 'removeSchemaAttribute',
    tag: 'Schema',
    summary: 'Remove an attribute no user holds a value of and no rule names (else 409)',
    access: 'tenant-write',
    response: empty,
    status: 204,
    responses: { 409: 'Users hold values of it, or a rule names it' },
    handler: async (ctx, { params }) => {
      await removeTenantAttribute(ctx.database.db, tenantOf(ctx), params.name!);
      ctx.settingsChanged?.(tenantOf(ctx));
      await ctx.audit('schema.attribute.remove', params.name);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/tenants/:slug/authority',
    operationId: 'getAuthority',
    tag: 'Source of authority',
    summary: 'Which source owns which user field, and the policy per kind of writer',
    access: 'tenant-read',
    response: authorityView,
    handler: authorityAnswer,
  }),
  route({
    method: 'patch',
    path: '/tenants/:slug/authority',
    operationId: 'setAuthority',
    tag: 'Source of authority',
    summary: 'Set owners (`rules: {path: owner | null}`) and policies (`policies: {scim, manual, hr}`); the result is validated whole',
    access: 'tenant-write',
    body: authorityEdit,
    response: authorityView,
    handler: async (ctx, { body }) => {
      await saveAuthority(ctx.database.db, tenantOf(ctx), {
        ...(body.rules ? { rules: body.rules } : {}),
        ...(body.policies ? { policies: Object.fromEntries(Object.entries(body.policies).filter(([, v]) => v !== undefined)) } : {}),
      });
      ctx.settingsChanged?.(tenantOf(ctx));
      await ctx.audit('authority.update', ctx.tenant!.slug, { ...body });
      return authorityAnswer(ctx);
    },
  }),
  route({
    method: 'delete',
    path: '/tenants/:slug/authority',
    operationId: 'resetAuthority',
    tag: 'Source of authority',
    summary: 'Back to the default rules and policies',
    access: 'tenant-write',
    response: authorityView,
    handler: async (ctx) => {
      await resetAuthority(ctx.database.db, tenantOf(ctx));
      ctx.settingsChanged?.(tenantOf(ctx));
      await ctx.audit('authority.reset', ctx.tenant!.slug);
      return authorityAnswer(ctx);
    },
  }),
  route({
    method: 'get',
    path: '/tenants/:slug/conflicts',
    operationId: 'listConflicts',
    tag: 'Source of authority',
    summary: "The tenant's open conflicts: what a source that does not own a field tried to write, newest first",
    access: 'tenant-read',
    query: tenantConflictQuery,
    response: tenantConflictList,
    handler: async (ctx, { query }) => {
      const page = await tenantConflictsOf(ctx.database.db, tenantOf(ctx), {
        limit: query.limit ?? 100,
        ...(query.before ? { before: new Date(query.before) } : {}),
      });
      return {
        items: page.items.map((c) => ({ ...c, firstAt: c.firstAt.toISOString(), lastAt: c.lastAt.toISOString() })),
        nextBefore: page.nextBefore?.toISOString() ?? null,
      };
    },
  }),
  route({
    method: 'get',
    path: '/tenants/:slug/users/:id/conflicts',
    operationId: 'listUserConflicts',
    tag: 'Source of authority',
    summary: "One user's fields where sources disagree: the stored (owner's) value and what each other source says",
    access: 'tenant-read',
    response: userConflictList,
    handler: async (ctx, { params }) => ({
      items: (await userConflictsOf(ctx.database.db, tenantOf(ctx), params.id!)).map((f) => ({
        ...f,
        sources: f.sources.map((s) => ({ ...s, firstAt: s.firstAt.toISOString(), lastAt: s.lastAt.toISOString() })),
      })),
    }),
  }),
];
