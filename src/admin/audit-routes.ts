import { listAudit } from '../audit/audit.js';
import { route, type AdminContext } from './route.js';
import { auditPage, auditQuery } from './schemas.js';
import { iso } from './view.js';
import type { z } from 'zod';

async function auditList(ctx: AdminContext, query: z.infer<typeof auditQuery>, tenantId?: string) {
  const { items, nextBefore } = await listAudit(ctx.database.db, { ...query, ...(tenantId ? { tenantId } : {}) });
  return {
    items: items.map((e) => ({ ...e, createdAt: iso(e.createdAt)! })),
    ...(nextBefore ? { nextBefore } : {}),
  };
}

export const auditRoutes = [
  route({
    operationId: 'listTenantAudit',
    tag: 'Audit',
    method: 'get',
    path: '/tenants/:slug/audit',
    summary: "A tenant's audit log, newest first (filter by action or actor; page with `before`)",
    access: 'tenant-read',
    query: auditQuery,
    response: auditPage,
    handler: (ctx, { query }) => auditList(ctx, query, ctx.tenant!.id),
  }),
  route({
    operationId: 'listAudit',
    tag: 'Audit',
    method: 'get',
    path: '/audit',
    summary: 'The whole audit log across tenants (operators)',
    access: 'operator',
    query: auditQuery,
    response: auditPage,
    handler: (ctx, { query }) => auditList(ctx, query),
  }),
];
