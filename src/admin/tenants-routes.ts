import { eq, sql } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import { tenants, users } from '../db/schema.js';
import { createTenant, findTenant, listTenants } from '../tenants/tenants.js';
import { route } from './route.js';
import { empty, principalView, tenantCreate, tenantDeleteQuery, tenantRename, tenantView } from './schemas.js';
import { tenantJson } from './view.js';
import { z } from 'zod';

export const tenantRoutes = [
  route({
    operationId: 'getMe',
    tag: 'Admin tokens',
    method: 'get',
    path: '/me',
    summary: 'The caller as the admin API sees it (role, tenant)',
    access: 'any',
    response: principalView,
    handler: async (ctx) => ctx.principal,
  }),
  route({
    operationId: 'listTenants',
    tag: 'Tenants',
    method: 'get',
    path: '/tenants',
    summary: 'List tenants (operators see all, others their own)',
    access: 'any',
    response: z.array(tenantView),
    handler: async (ctx) => {
      const all = await listTenants(ctx.database.db);
      return all.filter((t) => ctx.principal.role === 'operator' || t.slug === ctx.principal.tenant).map(tenantJson);
    },
  }),
  route({
    operationId: 'createTenant',
    tag: 'Tenants',
    method: 'post',
    path: '/tenants',
    summary: 'Create a tenant',
    access: 'operator',
    body: tenantCreate,
    response: tenantView,
    status: 201,
    handler: async (ctx, { body }) => {
      const tenant = await createTenant(ctx.database.db, body.slug, body.name);
      await ctx.audit('tenant.create', tenant.slug, { tenantId: tenant.id, name: tenant.name });
      return tenantJson(tenant);
    },
  }),
  route({
    operationId: 'getTenant',
    tag: 'Tenants',
    method: 'get',
    path: '/tenants/:slug',
    summary: 'Get a tenant',
    access: 'tenant-read',
    response: tenantView,
    handler: async (ctx) => tenantJson(ctx.tenant!),
  }),
  route({
    operationId: 'updateTenant',
    tag: 'Tenants',
    method: 'patch',
    path: '/tenants/:slug',
    summary: "Rename a tenant (its display name; the slug is permanent)",
    access: 'tenant-write',
    body: tenantRename,
    response: tenantView,
    handler: async (ctx, { body }) => {
      const [row] = await ctx.database.db
        .update(tenants)
        .set({ name: body.name, updatedAt: sql`now()` })
        .where(eq(tenants.id, ctx.tenant!.id))
        .returning();
      await ctx.audit('tenant.rename', ctx.tenant!.slug, { from: ctx.tenant!.name, to: body.name });
      return tenantJson(row!);
    },
  }),
  route({
    operationId: 'deleteTenant',
    tag: 'Tenants',
    method: 'delete',
    path: '/tenants/:slug',
    summary: 'Delete a tenant; refused while it has users unless ?force=true, which removes all its data and tokens',
    access: 'operator',
    query: tenantDeleteQuery,
    response: empty,
    status: 204,
    handler: async (ctx, { query }) => {
      const tenant = ctx.tenant!;
      const [count] = await ctx.database.db.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.tenantId, tenant.id));
      if (count!.n > 0 && query.force !== 'true') {
        throw new DomainError('conflict', `Tenant ${tenant.slug} has ${count!.n} users; pass force=true to delete them with it`);
      }
      await ctx.database.db.delete(tenants).where(eq(tenants.id, tenant.id));
      ctx.tokensChanged();
      await ctx.audit('tenant.delete', tenant.slug, { tenantId: tenant.id, users: count!.n, forced: query.force === 'true' });
      return undefined;
    },
  }),
];

export { findTenant };
