import { DomainError } from '../../scim/errors.js';
import type { AdminPrincipal } from '../auth/admin-jwt.js';
import { recordAudit } from '../audit/audit.js';
import type { ConnectionDeps } from '../connections/service.js';
import type { Database } from '../db/client.js';
import { isUuid } from '../db/ids.js';
import { findTenant, type Tenant } from '../tenants/tenants.js';
import type { Background } from './background.js';
import { Answer, type AdminContext, type WebhookSettings } from './route.js';
import { adminRoutes, authorise } from './router.js';

/** What calling an admin route in-process needs: the same as the HTTP admin API is built with. */
export interface AdminCallDeps {
  database: Database;
  tokensChanged(): void;
  settingsChanged?(tenantId: string): void;
  connections?: ConnectionDeps;
  background: Background;
  webhooks?: WebhookSettings;
}

export interface AdminCall {
  params?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string | undefined>;
}

/**
 * Runs an admin route as the given principal, with the route's own access check, validation and
 * audit entries: the console writes through exactly what the HTTP admin API does, so the two cannot
 * disagree, and a tenant admin reaching for another tenant's id meets the same 403/404.
 */
export async function callAdmin(
  deps: AdminCallDeps,
  principal: AdminPrincipal,
  method: 'get' | 'post' | 'put' | 'patch' | 'delete',
  path: string,
  input: AdminCall,
  meta: { requestId: string; origin: string },
): Promise<unknown> {
  const route = adminRoutes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no admin route ${method} ${path}`);
  const params = input.params ?? {};
  authorise(principal, route, params.slug);
  if (params.id !== undefined && !isUuid(params.id)) throw new DomainError('not_found', `No such resource ${params.id}`);
  const tenant: Tenant | undefined = params.slug !== undefined ? await findTenant(deps.database.db, params.slug) : undefined;
  const ctx: AdminContext = {
    database: deps.database,
    principal,
    ...(tenant ? { tenant } : {}),
    requestId: meta.requestId,
    origin: meta.origin,
    tokensChanged: deps.tokensChanged,
    ...(deps.settingsChanged ? { settingsChanged: deps.settingsChanged } : {}),
    ...(deps.connections ? { connections: deps.connections } : {}),
    background: deps.background,
    ...(deps.webhooks ? { webhooks: deps.webhooks } : {}),
    audit: (action, target, detail) =>
      recordAudit(deps.database.db, {
        tenantId: tenant?.id ?? null,
        actor: `${principal.role}:${principal.subject}`,
        action,
        ...(target ? { target } : {}),
        ...(detail ? { detail } : {}),
        requestId: meta.requestId,
      }),
  };
  const parse = (schema: typeof route.body, value: unknown, where: string) => {
    if (!schema) return undefined;
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new DomainError('invalid_value', `${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
    }
    return result.data;
  };
  const query = Object.fromEntries(Object.entries(input.query ?? {}).filter(([, v]) => v !== undefined && v !== ''));
  const result = await route.handler(ctx, { params, body: parse(route.body, input.body ?? {}, 'body'), query: parse(route.query, query, 'query') });
  return result instanceof Answer ? result.body : result;
}
