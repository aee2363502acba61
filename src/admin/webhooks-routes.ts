import { z } from 'zod';
import { DomainError } from '../../scim/errors.js';
import {
  createEndpoint,
  deleteEndpoint,
  deliveryView,
  endpointCreate,
  endpointUpdate,
  endpointView,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  replayFrom,
  rotateSecret,
  signingSecrets,
  updateEndpoint,
  viewOf,
} from '../events/webhooks/endpoints.js';
import { postSigned } from '../events/webhooks/post.js';
import { recordTest } from '../events/webhooks/record.js';
import { empty } from './schemas.js';
import { route, type AdminContext, type WebhookSettings } from './route.js';

function webhooksOf(ctx: AdminContext): WebhookSettings {
  if (!ctx.webhooks) throw new DomainError('internal', 'Webhooks are not served by this process');
  return ctx.webhooks;
}

/** What the audit log may say of a URL: its origin and path. A query string can carry a receiver's own key. */
const auditedUrl = (raw: string) => {
  const url = new URL(raw);
  return `${url.origin}${url.pathname}`;
};

/**
 * A URL whose host is an address the egress policy refuses is refused at once (400), so the admin
 * learns it now rather than from failed deliveries. Names are judged where a delivery connects.
 */
function checkReachable(settings: WebhookSettings, url: string | undefined): void {
  if (url === undefined) return;
  const refused = settings.egress.refusalOfHost(new URL(url).hostname);
  if (refused) throw new DomainError('invalid_value', `url: ${new URL(url).hostname} is a ${refused}; webhooks go to public addresses only (an operator can allow a self-hosted receiver with EGRESS_ALLOWED)`);
}

/** Rotation keeps the old secret signing this long unless asked otherwise: the same overlap as SCIM tokens'. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;

/** Named as the OpenAPI document's components. */
const webhookView = endpointView.meta({ id: 'Webhook' });
const withSecret = webhookView.extend({ secret: z.string() });
const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.string().max(64).optional() });
const deliveriesPage = z.object({ items: z.array(deliveryView.meta({ id: 'WebhookDelivery' })), nextBefore: z.string().optional() });
const rotateBody = z.object({ overlapSeconds: z.number().int().min(0).max(30 * 86400).optional() }).strict();
const replayBody = z.object({ after: z.string().max(64).optional() }).strict();
const testResult = z.object({ ok: z.boolean(), status: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() });

export const webhookRoutes = [
  route({
    operationId: 'listWebhooks',
    tag: 'Webhooks',
    method: 'get',
    path: '/tenants/:slug/webhooks',
    summary: "The tenant's webhook endpoints: URL, event filter, enabled, why disabled, cursor, failing state (never the secret)",
    access: 'tenant-read',
    response: z.array(webhookView),
    handler: async (ctx) => (await listEndpoints(ctx.database.db, ctx.tenant!.id)).map(viewOf),
  }),
  route({
    operationId: 'createWebhook',
    tag: 'Webhooks',
    method: 'post',
    path: '/tenants/:slug/webhooks',
    summary: 'Add a webhook endpoint `{url, events?, description?, enabled?}`; it receives the events from now on. The signing secret is in this response only',
    access: 'tenant-write',
    body: endpointCreate,
    response: withSecret,
    status: 201,
    handler: async (ctx, { body }) => {
      checkReachable(webhooksOf(ctx), body.url);
      const { endpoint, secret } = await createEndpoint(ctx.database.db, webhooksOf(ctx).secretKey, ctx.tenant!.id, body);
      await ctx.audit('webhook.create', endpoint.id, { url: auditedUrl(body.url), events: endpoint.eventTypes, enabled: endpoint.enabled });
      return { ...viewOf(endpoint), secret };
    },
  }),
  route({
    operationId: 'getWebhook',
    tag: 'Webhooks',
    method: 'get',
    path: '/tenants/:slug/webhooks/:id',
    summary: 'One webhook endpoint',
    access: 'tenant-read',
    response: webhookView,
    handler: async (ctx, { params }) => viewOf(await findEndpoint(ctx.database.db, ctx.tenant!.id, params.id!)),
  }),
  route({
    operationId: 'updateWebhook',
    tag: 'Webhooks',
    method: 'patch',
    path: '/tenants/:slug/webhooks/:id',
    summary: 'Change URL, event filter, description; `enabled: true` re-enables a disabled endpoint (clearing its reason and retrying now)',
    access: 'tenant-write',
    body: endpointUpdate,
    response: webhookView,
    handler: async (ctx, { params, body }) => {
      if (body.url !== undefined) checkReachable(webhooksOf(ctx), body.url);
      const row = await updateEndpoint(ctx.database.db, ctx.tenant!.id, params.id!, body);
      await ctx.audit('webhook.update', row.id, { changed: Object.keys(body).sort(), ...(body.url ? { url: auditedUrl(body.url) } : {}), events: row.eventTypes, enabled: row.enabled });
      ctx.webhooks?.wake?.();
      return viewOf(row);
    },
  }),
  route({
    operationId: 'deleteWebhook',
    tag: 'Webhooks',
    method: 'delete',
    path: '/tenants/:slug/webhooks/:id',
    summary: 'Remove a webhook endpoint and its delivery log',
    access: 'tenant-write',
    response: empty,
    status: 204,
    handler: async (ctx, { params }) => {
      await deleteEndpoint(ctx.database.db, ctx.tenant!.id, params.id!);
      await ctx.audit('webhook.delete', params.id);
      return undefined;
    },
  }),
  route({
    operationId: 'testWebhook',
    tag: 'Webhooks',
    method: 'post',
    path: '/tenants/:slug/webhooks/:id/test',
    summary: 'Send a signed `webhook.test` event now and answer what the receiver said (also in the delivery log); without an HTTP answer, one generic reason',
    access: 'tenant-write',
    response: testResult,
    handler: async (ctx, { params }) => {
      const settings = webhooksOf(ctx);
      const endpoint = await findEndpoint(ctx.database.db, ctx.tenant!.id, params.id!);
      const id = `test-${crypto.randomUUID()}`;
      const body = JSON.stringify({ id, type: 'webhook.test', occurredAt: new Date().toISOString(), tenantId: endpoint.tenantId, source: { kind: 'admin', id: ctx.principal.subject } });
      // A failure without an HTTP answer gets one generic reason, whatever the socket said: this
      // button must not tell a tenant admin which inside ports are open.
      const outcome = await postSigned(
        { url: endpoint.url, body, deliveryId: `${endpoint.id}:${id}`, eventType: 'webhook.test', secrets: signingSecrets(settings.secretKey, endpoint) },
        { timeoutMs: settings.timeoutMs, egress: settings.egress },
      );
      await recordTest(ctx.database.db, endpoint.tenantId, endpoint.id, outcome);
      await ctx.audit('webhook.test', endpoint.id, { ok: outcome.ok, status: outcome.status });
      return outcome;
    },
  }),
  route({
    operationId: 'listWebhookDeliveries',
    tag: 'Webhooks',
    method: 'get',
    path: '/tenants/:slug/webhooks/:id/deliveries',
    summary: "An endpoint's delivery log, newest first: event, state (delivered, retrying, failed), attempts, last status or error (page with `before`)",
    access: 'tenant-read',
    query: deliveriesQuery,
    response: deliveriesPage,
    handler: async (ctx, { params, query }) => {
      const endpoint = await findEndpoint(ctx.database.db, ctx.tenant!.id, params.id!);
      return listDeliveries(ctx.database.db, endpoint.id, query.limit, query.before);
    },
  }),
  route({
    operationId: 'replayWebhook',
    tag: 'Webhooks',
    method: 'post',
    path: '/tenants/:slug/webhooks/:id/replay',
    summary: 'Deliver again every matching event after `after` (a feed cursor; omitted: the oldest retained event), with the same delivery ids',
    access: 'tenant-write',
    body: replayBody,
    response: webhookView,
    handler: async (ctx, { params, body }) => {
      const row = await replayFrom(ctx.database.db, ctx.tenant!.id, params.id!, body.after);
      await ctx.audit('webhook.replay', row.id, { after: body.after ?? null });
      ctx.webhooks?.wake?.();
      return viewOf(row);
    },
  }),
  route({
    operationId: 'rotateWebhookSecret',
    tag: 'Webhooks',
    method: 'post',
    path: '/tenants/:slug/webhooks/:id/rotate-secret',
    summary: 'A new signing secret, shown this once; the old one also signs for `overlapSeconds` (default 86400, 24 h; 0 ends it now), as two `v1=` signatures',
    access: 'tenant-write',
    body: rotateBody,
    response: withSecret.extend({ previousSecretUntil: z.string().nullable() }),
    status: 201,
    handler: async (ctx, { params, body }) => {
      const rotated = await rotateSecret(ctx.database.db, webhooksOf(ctx).secretKey, ctx.tenant!.id, params.id!, body.overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS);
      const until = rotated.previousSecretUntil?.toISOString() ?? null;
      await ctx.audit('webhook.rotate_secret', rotated.endpoint.id, { previousSecretUntil: until });
      return { ...viewOf(rotated.endpoint), secret: rotated.secret, previousSecretUntil: until };
    },
  }),
];
