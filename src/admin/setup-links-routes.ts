import { z } from 'zod';
import { createConsoleLink, INTENTS, setupLinkBody } from '../auth/console-links.js';
import { route } from './route.js';

const setupLinkView = z
  .object({
    id: z.string(),
    /** Single use; open it in a browser to start a console session for this tenant and intent. */
    url: z.string(),
    intent: z.enum(INTENTS),
    returnUrl: z.string().nullable(),
    expiresAt: z.string(),
  })
  .meta({ id: 'SetupLink' });

/** Where links point: the configured public URL, else the origin the request came to. */
export const setupLinkUrl = (origin: string, secret: string) => `${origin.replace(/\/$/, '')}/console/setup?token=${encodeURIComponent(secret)}`;

export const setupLinkRoutes = [
  route({
    operationId: 'createSetupLink',
    tag: 'Setup links',
    method: 'post',
    path: '/tenants/:slug/setup-links',
    summary:
      "A single-use link into the web console for this tenant: `intent` (idp, hr, teams or all) limits what it shows, `returnUrl` is where \"Done\" goes, `lifetimeSeconds` defaults to 300 (at most 86400)",
    access: 'tenant-write',
    body: setupLinkBody,
    response: setupLinkView,
    status: 201,
    handler: async (ctx, { body }) => {
      const link = await createConsoleLink(ctx.database.db, {
        kind: 'setup',
        tenantId: ctx.tenant!.id,
        intent: body.intent,
        returnUrl: body.returnUrl,
        lifetimeSeconds: body.lifetimeSeconds,
        createdBy: `${ctx.principal.role}:${ctx.principal.subject}`,
      });
      await ctx.audit('setup_link.create', link.id, { intent: body.intent, returnUrl: body.returnUrl ?? null, expiresAt: link.expiresAt.toISOString() });
      return { id: link.id, url: setupLinkUrl(ctx.origin ?? '', link.secret), intent: body.intent, returnUrl: body.returnUrl ?? null, expiresAt: link.expiresAt.toISOString() };
    },
  }),
];
