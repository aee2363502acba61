import type { EgressPolicy } from '../egress/index.js';
import type { z } from 'zod';
import type { AdminPrincipal } from '../auth/admin-jwt.js';
import type { ConnectionDeps } from '../connections/service.js';
import type { Database } from '../db/client.js';
import type { Tenant } from '../tenants/tenants.js';
import type { Background } from './background.js';

/**
 * Who may call a route: operators only; anyone with a role on the route's tenant (`:slug`);
 * or only those who may change that tenant (operators and the tenant's admins, never auditors).
 */
export type Access = 'operator' | 'tenant-read' | 'tenant-write' | 'any';

export interface AdminContext {
  database: Database;
  principal: AdminPrincipal;
  /** The route's tenant, resolved from `:slug` and already access-checked. */
  tenant?: Tenant;
  requestId: string;
  /** The service's public origin (PUBLIC_URL, else the request's), for links the response hands out. */
  origin?: string;
  /** Records an admin action in the audit log (never pass a secret in detail). */
  audit(action: string, target: string | undefined, detail?: Record<string, unknown>): Promise<void>;
  /** Called after a token change so cached verifications in this process end now. */
  tokensChanged(): void;
  /** Called after a tenant's extension or source of authority changes, so this process reads them again now. */
  settingsChanged?(tenantId: string): void;
  /** HR connection work (connect, sync, people); absent where a process serves no connections. */
  connections?: ConnectionDeps;
  /** Work that outlives its request (a sync answered 202): errors are logged, never thrown. */
  background: Background;
  /** Webhook secrets are sealed with this key; test sends wait this long. */
  webhooks?: WebhookSettings;
}

export interface WebhookSettings {
  secretKey: Buffer;
  timeoutMs: number;
  /** Which receivers may be connected to (EGRESS_ALLOWED). */
  egress: EgressPolicy;
  /** Tells this process's dispatcher to look for work now (after a replay or re-enable). */
  wake?: () => void;
}

export interface RouteInput<B, Q> {
  params: Record<string, string>;
  body: B;
  query: Q;
}

/** The groups of the API reference, in the order it shows them. */
export const TAGS = [
  'Tenants',
  'Tokens',
  'Users',
  'Groups',
  'Connections',
  'Runs',
  'People',
  'Team sync',
  'Webhooks',
  'Events',
  'Audit',
  'Providers',
  'Setup links',
  'Admin tokens',
  'Schema',
  'Source of authority',
  'Attribute mapping',
] as const;
export type Tag = (typeof TAGS)[number];

export interface AdminRoute<B = unknown, Q = unknown> {
  /** The operation's name in the OpenAPI document and in generated clients: camelCase, unique, never renamed. */
  operationId: string;
  /** Where the API reference lists it. */
  tag: Tag;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono path under /admin/v1, e.g. `/tenants/:slug/tokens`. */
  path: string;
  summary: string;
  access: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /**
   * What the document shows as the body when part of it is checked later by a schema of its own:
   * connect checks `credentials` against the chosen provider's schema, so the document shows one
   * branch per provider. Without it, the document shows `body`.
   */
  documentedBody?: z.ZodType;
  response: z.ZodType;
  status?: 200 | 201 | 202 | 204;
  /** Other answers worth documenting: further successes (200 after `?wait=true`) and errors (409). */
  responses?: Record<number, string>;
  handler(ctx: AdminContext, input: RouteInput<B, Q>): Promise<unknown>;
}

/** Keeps body and query types inferred per route while the table holds them uniformly. */
export const route = <B = undefined, Q = undefined>(r: AdminRoute<B, Q>): AdminRoute => r as unknown as AdminRoute;

/** A response whose status depends on the request (202 now, or 200 after waiting). */
export class Answer {
  constructor(
    readonly status: 200 | 201 | 202,
    readonly body: unknown,
  ) {}
}
