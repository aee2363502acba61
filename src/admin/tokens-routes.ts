import { z } from 'zod';
import { DomainError } from '../../scim/errors.js';
import { createScimToken, listScimTokens, revokeScimToken } from '../auth/scim-tokens.js';
import { DEFAULT_OVERLAP_MS, rotateScimToken } from '../auth/token-rotation.js';
import { route } from './route.js';
import { empty, tokenCreate, tokenCreated, tokenRotate, tokenRotated, tokenView } from './schemas.js';
import { iso } from './view.js';

export const tokenRoutes = [
  route({
    operationId: 'listTokens',
    tag: 'Tokens',
    method: 'get',
    path: '/tenants/:slug/tokens',
    summary: 'List SCIM tokens (prefix, name, scopes, state, created, last used, expiry; never secrets)',
    access: 'tenant-read',
    response: z.array(tokenView),
    handler: async (ctx) =>
      (await listScimTokens(ctx.database.db, ctx.tenant!.id)).map((t) => ({
        ...t,
        createdAt: iso(t.createdAt)!,
        lastUsedAt: iso(t.lastUsedAt),
        expiresAt: iso(t.expiresAt),
        revokedAt: iso(t.revokedAt),
      })),
  }),
  route({
    operationId: 'createToken',
    tag: 'Tokens',
    method: 'post',
    path: '/tenants/:slug/tokens',
    summary: 'Issue a SCIM token; the secret is in this response only',
    access: 'tenant-write',
    body: tokenCreate,
    response: tokenCreated,
    status: 201,
    handler: async (ctx, { body }) => {
      const expiresAt = body.expiresInSeconds ? new Date(Date.now() + body.expiresInSeconds * 1000) : null;
      const created = await createScimToken(ctx.database.db, ctx.tenant!.id, { name: body.name, expiresAt, ...(body.scopes ? { scopes: body.scopes } : {}) });
      await ctx.audit('token.create', created.id, { name: body.name, prefix: created.prefix, scopes: body.scopes ?? ['scim:write'], expiresAt: iso(expiresAt) });
      return { id: created.id, prefix: created.prefix, secret: created.secret, expiresAt: iso(expiresAt) };
    },
  }),
  route({
    operationId: 'rotateToken',
    tag: 'Tokens',
    method: 'post',
    path: '/tenants/:slug/tokens/:id/rotate',
    summary: 'Rotate a token: a new secret now, the old one keeps working for the overlap (default 24 h)',
    access: 'tenant-write',
    body: tokenRotate,
    response: tokenRotated,
    status: 201,
    handler: async (ctx, { params, body }) => {
      const overlapMs = body.overlapSeconds !== undefined ? body.overlapSeconds * 1000 : DEFAULT_OVERLAP_MS;
      const rotated = await rotateScimToken(ctx.database.db, ctx.tenant!.id, params.id!, overlapMs);
      ctx.tokensChanged();
      await ctx.audit('token.rotate', params.id, { newTokenId: rotated.id, prefix: rotated.prefix, oldExpiresAt: iso(rotated.oldExpiresAt) });
      return { id: rotated.id, prefix: rotated.prefix, secret: rotated.secret, expiresAt: iso(rotated.expiresAt), previousTokenExpiresAt: iso(rotated.oldExpiresAt)! };
    },
  }),
  route({
    operationId: 'revokeToken',
    tag: 'Tokens',
    method: 'delete',
    path: '/tenants/:slug/tokens/:id',
    summary: 'Revoke a token (effective on the next request)',
    access: 'tenant-write',
    response: empty,
    status: 204,
    handler: async (ctx, { params }) => {
      if (!(await revokeScimToken(ctx.database.db, ctx.tenant!.id, params.id!))) throw new DomainError('not_found', `No token ${params.id}`);
      ctx.tokensChanged();
      await ctx.audit('token.revoke', params.id);
      return undefined;
    },
  }),
];
