import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../scim/errors.js';
import { readJsonBody } from '../../scim/http/body.js';
import type { AdminPrincipal, AdminVerifier } from '../auth/admin-jwt.js';
import { recordAudit } from '../audit/audit.js';
import type { ConnectionDeps } from '../connections/service.js';
import type { Database } from '../db/client.js';
import { isUuid } from '../db/ids.js';
import type { Logger } from '../log.js';
import { findTenant, type Tenant } from '../tenants/tenants.js';
import { adminTokenRoutes } from './admin-token-routes.js';
import { auditRoutes } from './audit-routes.js';
import { authorityRoutes } from './authority-routes.js';
import { mappingRoutes } from './mapping-routes.js';
import { createBackground, type Background } from './background.js';
import { connectionRoutes } from './connections-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { openApiDocument } from './openapi.js';
import { problemResponse } from './problem.js';
import { peopleRoutes } from './people-routes.js';
import { providerRoutes } from './providers-routes.js';
import { Answer, type AdminContext, type AdminRoute, type WebhookSettings } from './route.js';
import { runRoutes } from './runs-routes.js';
import { setupLinkRoutes } from './setup-links-routes.js';
import { teamSyncRoutes } from './team-sync-routes.js';
import { tenantRoutes } from './tenants-routes.js';
import { tokenRoutes } from './tokens-routes.js';
import { eventRoutes } from './events-routes.js';
import { webhookRoutes } from './webhooks-routes.js';

export const adminRoutes: AdminRoute[] = [
  ...tenantRoutes,
  ...providerRoutes,
  ...tokenRoutes,
  ...directoryRoutes,
  ...auditRoutes,
  ...connectionRoutes,
  ...runRoutes,
  ...teamSyncRoutes,
  ...peopleRoutes,
  ...eventRoutes,
  ...webhookRoutes,
  ...adminTokenRoutes,
  ...setupLinkRoutes,
  ...authorityRoutes,
  ...mappingRoutes,
];

export interface AdminDeps {
  database: Database;
  verify: AdminVerifier;
  log: Logger;
  tokensChanged(): void;
  /** A tenant's settings changed (its extension, its source of authority): drop what this process holds. */
  settingsChanged?(tenantId: string): void;
  /** HR connection work; without it the connection routes answer 500. */
  connections?: ConnectionDeps;
  /** Where runs answered 202 go on; the process's shutdown waits for it. */
  background?: Background;
  /** Webhook endpoints; without it their routes answer 500. */
  webhooks?: WebhookSettings;
  /** Counts failed verifications per client address (429 past the limit); none: no such limit. */
  guard?: <T>(c: Context, verify: () => Promise<T>) => Promise<T>;
  /** PUBLIC_URL: the origin of links the API hands out (else the request's own). */
  publicUrl?: string;
}

type Env = { Variables: { requestId: string } };

/** Decides whether the principal may use a route on a tenant; a role on one tenant never reaches another. */
export function authorise(principal: AdminPrincipal, route: AdminRoute, slug: string | undefined): void {
  const operator = principal.role === 'operator';
  switch (route.access) {
    case 'any':
      return;
    case 'operator':
      if (!operator) throw new DomainError('forbidden', 'Only operators may do this');
      return;
    case 'tenant-read':
    case 'tenant-write':
      if (!operator && principal.tenant !== slug) throw new DomainError('forbidden', `No access to tenant ${slug}`);
      if (route.access === 'tenant-write' && principal.role === 'auditor') throw new DomainError('forbidden', 'Auditors have read-only access');
      return;
    default: {
      const unreachable: never = route.access;
      throw new Error(`unknown access ${String(unreachable)}`);
    }
  }
}

async function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): Promise<T> {
  if (!schema) return undefined as T;
  const result = await schema.safeParseAsync(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DomainError('invalid_value', `${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
  }
  return result.data;
}

/** A JSON body (an empty one reads as `{}`); another media type is 415. */
async function readBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type');
  if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new DomainError('unsupported_media_type', `Unsupported content type ${type.slice(0, 80)}: send application/json`);
  }
  return readJsonBody(c, {});
}

export function createAdminRouter(deps: AdminDeps): Hono<Env> {
  const router = new Hono<Env>({ strict: false });
  const openapi = () => openApiDocument(adminRoutes);
  const background = deps.background ?? createBackground(deps.log);
  router.get('/openapi.json', (c) => c.json(openapi()));

  for (const route of adminRoutes) {
    router.on(route.method.toUpperCase(), route.path, async (c) => {
      const verify = () => deps.verify(c.req.header('authorization'));
      const principal = await (deps.guard ? deps.guard(c, verify) : verify());
      const params = c.req.param() as Record<string, string>;
      authorise(principal, route, params.slug);
      if (params.id !== undefined && !isUuid(params.id)) throw new DomainError('not_found', `No such resource ${params.id}`);
      let tenant: Tenant | undefined;
      if (params.slug !== undefined) tenant = await findTenant(deps.database.db, params.slug);
      const requestId = c.get('requestId');
      const ctx: AdminContext = {
        database: deps.database,
        principal,
        ...(tenant ? { tenant } : {}),
        requestId,
        origin: deps.publicUrl ?? new URL(c.req.url).origin,
        tokensChanged: deps.tokensChanged,
        ...(deps.settingsChanged ? { settingsChanged: deps.settingsChanged } : {}),
        ...(deps.connections ? { connections: deps.connections } : {}),
        background,
        ...(deps.webhooks ? { webhooks: deps.webhooks } : {}),
        audit: (action, target, detail) =>
          recordAudit(deps.database.db, {
            // A created tenant is named in its own entry; a deleted one is gone, so its entry stands alone.
        tenantId: action === 'tenant.delete' ? null : (tenant?.id ?? (typeof detail?.tenantId === 'string' ? detail.tenantId : null)),
            actor: `${principal.role}:${principal.subject}`,
            action,
            ...(target ? { target } : {}),
            ...(detail ? { detail } : {}),
            requestId,
          }),
      };
      const body = await parse(route.body, route.body ? await readBody(c) : undefined, 'body');
      const query = await parse(route.query, c.req.query(), 'query');
      const result = await route.handler(ctx, { params, body, query });
      if (route.status === 204) return c.body(null, 204);
      if (result instanceof Answer) return c.json(result.body as object, result.status);
      return c.json(result as object, route.status ?? 200);
    });
  }

  // A real path asked with a method it does not take: 405 naming the ones it does (RFC 9110 §15.5.6).
  const methodsByPath = new Map<string, string[]>();
  for (const route of adminRoutes) methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method.toUpperCase()]);
  for (const [path, methods] of methodsByPath) {
    const allow = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    router.all(path, () => {
      throw new DomainError('method_not_allowed', `${path} accepts ${allow.join(', ')}`, { allow: allow.join(', ') });
    });
  }

  router.notFound((c) => problemResponse(new DomainError('not_found', `No admin route ${c.req.method} ${c.req.path}`)));
  router.onError((error, c) => {
    if (error instanceof DomainError) return problemResponse(error, error.extra);
    deps.log.error({ err: error, requestId: c.get('requestId') }, 'unexpected admin error');
    return problemResponse(new DomainError('internal', `Internal error; quote request id ${c.get('requestId')}`));
  });
  return router;
}
