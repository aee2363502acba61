import { Hono, type Context } from 'hono';
import type { ScimAuth } from '../../scim/http/router.js';
import { DomainError } from '../../scim/errors.js';
import { problemResponse } from '../admin/problem.js';
import type { TokenVerifier } from '../auth/scim-tokens.js';
import type { Executor } from '../db/client.js';
import { decodeCursor, readFeed } from './feed.js';
import { feedQuery } from './feed-query.js';

/**
 * `GET /events`: the change feed for the app on top, with the SCIM token it reads the directory
 * with (`scim:read`, or `scim:write`). A token reads its own tenant's feed only; there is nothing
 * to write here (other methods: 405).
 */
export function tokenFeedRoutes(deps: { db: Executor; tokens: Pick<TokenVerifier, 'verify'>; guard?: (c: Context, verify: () => Promise<ScimAuth>) => Promise<ScimAuth> }) {
  const router = new Hono();
  router.get('/', async (c) => {
    const verify = () => deps.tokens.verify(c.req.header('authorization'));
    const auth = await (deps.guard ? deps.guard(c, verify) : verify());
    if (!auth.scopes.includes('scim:read') && !auth.scopes.includes('scim:write')) throw new DomainError('forbidden', 'The feed needs a scim:read token');
    const parsed = feedQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new DomainError('invalid_value', `query.${issue.path.join('.')}: ${issue.message}`);
    }
    const { after, limit, types } = parsed.data;
    return c.json(await readFeed(deps.db, auth.tenantId, { after: decodeCursor(after), limit, types: types ?? [] }));
  });
  router.all('/', () => new Response(JSON.stringify({ title: 'Method not allowed', status: 405, detail: 'The feed is read-only: GET /events' }), {
    status: 405,
    headers: { 'content-type': 'application/problem+json', allow: 'GET' },
  }));
  router.onError((error) => {
    if (error instanceof DomainError) return problemResponse(error, error.extra);
    throw error;
  });
  return router;
}
