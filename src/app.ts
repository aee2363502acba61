import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../scim/errors.js';
import { createScimRouter, type ScimEnv } from '../scim/http/router.js';
import { canonicalEndpoint } from '../scim/http/endpoint-case.js';
import { errorResponse } from '../scim/http/media.js';
import { createAdminRouter, type AdminDeps } from './admin/router.js';
import { createBackground } from './admin/background.js';
import { problemResponse } from './admin/problem.js';
import type { TokenVerifier } from './auth/scim-tokens.js';
import { open } from './crypto/secret-box.js';
import { tokenFeedRoutes } from './events/token-routes.js';
import type { Database } from './db/client.js';
import { createScimStore } from './directory/scim-store.js';
import type { Env } from './env.js';
import type { Logger } from './log.js';
import { createConsole } from './console/app.js';
import { createRecentScimRequests, type RecentScimRequests } from './audit/recent-scim-requests.js';

export interface AppDeps {
  database: Database;
  env: Pick<Env, 'PUBLIC_URL' | 'BODY_LIMIT' | 'SCIM_MAX_RESULTS'> & Partial<Pick<Env, 'CONSOLE_IDLE_MINUTES'>>;
  log: Logger;
  tokens: TokenVerifier;
  /** The key secrets at rest are sealed with; without it, sealed attributes (the bank account) are never shown. */
  secretKey?: Buffer;
  /** The admin API; omitted only where a test needs SCIM alone. */
  admin?: Omit<AdminDeps, 'database' | 'log' | 'tokensChanged' | 'publicUrl'>;
  /** The console's list of recent SCIM requests per tenant (one is made when omitted). */
  recentScim?: RecentScimRequests;
}

/**
 * hono's bodyLimit, minus its cost on ordinary requests: it reads `c.req.raw.body`, which makes
 * @hono/node-server build a full fetch Request (streams, abort signal) for every call, GETs
 * included. GET and HEAD carry no body there, and a declared Content-Length without
 * Transfer-Encoding is judged from the header, as hono does; only streamed bodies go through hono.
 */
function cheapBodyLimit(options: Parameters<typeof bodyLimit>[0]): MiddlewareHandler {
  const streamed = bodyLimit(options);
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (parseInt(length || '0', 10) > options.maxSize) return options.onError ? options.onError(c) : streamed(c, next);
    return next();
  };
}

type AppEnv = { Variables: { requestId: string; tenantId?: string } & ScimEnv['Variables'] };

/** Composes the service: request ids and logs, limits, health, and the SCIM API. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>({ strict: false });

  app.use('*', async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    await next();
    // Set on the response as built: c.header() after the handler rebuilds the response around a
    // stream, which makes @hono/node-server send every body the slow way. Immutable headers
    // (a fetched or redirect response) still go through c.header().
    try {
      c.res.headers.set('x-request-id', requestId);
    } catch {
      c.header('x-request-id', requestId);
    }
    // Path only: query strings can carry filters with personal data, headers carry tokens.
    deps.log.info({
      requestId,
      tenant: c.get('scimAuth')?.tenantId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await deps.database.ping();
      return c.json({ status: 'ready' });
    } catch {
      return c.json({ status: 'unavailable', reason: 'database unreachable' }, 503);
    }
  });

  const secretKey = deps.secretKey;
  const baseUrl = (c: Context) => `${(deps.env.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, '')}/scim/v2`;
  const scim = createScimRouter({
    store: createScimStore(deps.database.db, secretKey ? { openSealed: (sealed) => open(secretKey, sealed) } : {}),
    authenticate: (header) => deps.tokens.verify(header),
    baseUrl,
    maxResults: deps.env.SCIM_MAX_RESULTS,
    bulk: { supported: true, maxOperations: 1000, maxPayloadSize: deps.env.BODY_LIMIT },
    onUnexpected: (error, c) => deps.log.error({ err: error, requestId: c.get('requestId') }, 'unexpected error'),
  });
  app.use(
    '/scim/*',
    cheapBodyLimit({
      maxSize: deps.env.BODY_LIMIT,
      // RFC 7644 §3.7.4: an oversized bulk request is 413 with scimType tooMany.
      onError: (c) =>
        errorResponse(
          new DomainError(/\/Bulk\/?$/.test(c.req.path) ? 'too_many' : 'payload_too_large', `The request body exceeds ${deps.env.BODY_LIMIT} bytes`),
        ),
    }),
  );
  // The console's live list of SCIM requests: a push per request into memory, after the answer is built.
  const recentScim = deps.recentScim ?? createRecentScimRequests();
  app.use('/scim/*', async (c, next) => {
    await next();
    const entry = { method: c.req.method, path: c.req.path, status: c.res.status, at: new Date().toISOString() };
    const auth = c.get('scimAuth');
    if (auth) recentScim.record(auth.tenantId, { ...entry, tokenId: auth.tokenId });
    else if (c.res.status === 401) recentScim.recordRefused(deps.database.db, c.req.header('authorization'), entry);
  });
  app.route('/scim/v2', scim as unknown as Hono<AppEnv>);

  app.route('/events', tokenFeedRoutes({ db: deps.database.db, tokens: deps.tokens }) as unknown as Hono<AppEnv>);

  if (deps.admin) {
    const tokensChanged = () => deps.tokens.forget();
    const admin = createAdminRouter({ ...deps.admin, database: deps.database, log: deps.log, tokensChanged, ...(deps.env.PUBLIC_URL ? { publicUrl: deps.env.PUBLIC_URL } : {}) });
    app.use('/admin/*', bodyLimit({ maxSize: deps.env.BODY_LIMIT, onError: () => problemResponse(new DomainError('payload_too_large', 'The request body is too large')) }));
    app.route('/admin/v1', admin as unknown as Hono<AppEnv>);
    if (secretKey) {
      const background = deps.admin.background ?? createBackground(deps.log);
      const console = createConsole({
        database: deps.database,
        tokensChanged,
        ...(deps.admin.connections ? { connections: deps.admin.connections } : {}),
        ...(deps.admin.webhooks ? { webhooks: deps.admin.webhooks } : {}),
        background,
        secretKey,
        ...(deps.env.PUBLIC_URL ? { publicUrl: deps.env.PUBLIC_URL } : {}),
        idleMinutes: deps.env.CONSOLE_IDLE_MINUTES ?? 30,
        recentScim,
        log: deps.log,
      });
      app.use('/console/*', bodyLimit({ maxSize: deps.env.BODY_LIMIT }));
      app.route('/console', console as unknown as Hono<AppEnv>);
    }
  }

  app.notFound((c) =>
    c.req.path.startsWith('/scim/')
      ? errorResponse(new DomainError('not_found', `No SCIM endpoint ${c.req.path}`))
      : c.json({ title: 'Not found', status: 404, detail: `No route for ${c.req.method} ${c.req.path}` }, 404),
  );
  app.onError((error, c) => {
    deps.log.error({ err: error, requestId: c.get('requestId') }, 'unexpected error');
    return c.json({ title: 'Internal error', status: 500, detail: `Quote request id ${c.get('requestId')}` }, 500);
  });
  return {
    fetch: (request: Request, ...rest: unknown[]) => app.fetch(canonicalEndpoint(request, '/scim/v2'), ...(rest as [])),
  };
}
