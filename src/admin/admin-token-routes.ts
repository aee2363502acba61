import { z } from 'zod';
import { revokeAdminToken } from '../auth/admin-revocations.js';
import { route } from './route.js';

const revoke = z
  .object({
    jti: z.string().min(1).max(200).optional(),
    token: z.string().min(1).max(16_384).optional(),
  })
  .strict()
  .refine((b) => (b.jti === undefined) !== (b.token === undefined), 'give either jti or token');

export const adminTokenRoutes = [
  route({
    operationId: 'revokeAdminToken',
    tag: 'Admin tokens',
    method: 'post',
    path: '/admin-tokens/revoke',
    summary: 'Revoke an admin JWT before it expires, by its jti or the token itself (rollcall admin-token revoke)',
    access: 'operator',
    body: revoke,
    response: z.object({ jti: z.string(), expiresAt: z.string() }),
    handler: async (ctx, { body }) => {
      const done = await revokeAdminToken(ctx.database.db, body);
      await ctx.audit('admin-token.revoke', done.jti, { expiresAt: done.expiresAt.toISOString() });
      return { jti: done.jti, expiresAt: done.expiresAt.toISOString() };
    },
  }),
];
