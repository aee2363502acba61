import { userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../scim/errors.js';
import { recordAudit } from '../audit/audit.js';
import type { ConnectionDeps } from '../connections/service.js';
import type { Database } from '../db/client.js';
import { isUuid } from '../db/ids.js';
import { findTenant } from '../tenants/tenants.js';
import { createBackground, type Background } from './background.js';
import { Answer, type AdminContext, type WebhookSettings } from './route.js';
import { adminRoutes } from './router.js';

/**
 * Runs an admin route in-process as an operator, for the CLI: the same handlers, validation and
 * audit entries as the HTTP API, so the two cannot disagree.
 */
export async function invokeAdmin(
  database: Database,
  method: 'get' | 'post' | 'put' | 'patch' | 'delete',
  path: string,
  input: { params?: Record<string, string>; body?: unknown; query?: Record<string, string | undefined> } = {},
  /** For the connection commands: the store's connection work, and where a run started without waiting goes on. */
  work: { connections?: ConnectionDeps; background?: Background; webhooks?: WebhookSettings; origin?: string } = {},
): Promise<unknown> {
  const route = adminRoutes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no admin route ${method} ${path}`);
  const params = input.params ?? {};
  if (params.id !== undefined && !isUuid(params.id)) throw new DomainError('not_found', `No such resource ${params.id}`);
  const tenant = params.slug !== undefined ? await findTenant(database.db, params.slug) : undefined;
  const actor = `operator:cli:${safeUser()}`;
  const requestId = randomUUID();
  const ctx: AdminContext = {
    database,
    principal: { subject: `cli:${safeUser()}`, role: 'operator', issuer: 'rollcall-cli' },
    ...(tenant ? { tenant } : {}),
    requestId,
    ...(work.origin ? { origin: work.origin } : {}),
    tokensChanged: () => {},
    ...(work.connections ? { connections: work.connections } : {}),
    background: work.background ?? createBackground(work.connections?.log),
    ...(work.webhooks ? { webhooks: work.webhooks } : {}),
    audit: (action, target, detail) =>
      recordAudit(database.db, {
        // A created tenant is named in its own entry; a deleted one is gone, so its entry stands alone.
        tenantId: action === 'tenant.delete' ? null : (tenant?.id ?? (typeof detail?.tenantId === 'string' ? detail.tenantId : null)),
        actor,
        action,
        ...(target ? { target } : {}),
        ...(detail ? { detail } : {}),
        requestId,
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
  const query = Object.fromEntries(Object.entries(input.query ?? {}).filter(([, v]) => v !== undefined));
  const result = await route.handler(ctx, { params, body: parse(route.body, input.body ?? {}, 'body'), query: parse(route.query, query, 'option') });
  return result instanceof Answer ? result.body : result;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
