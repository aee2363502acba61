import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { DomainError } from '../scim/errors.js';
import { createScimRouter, type ScimEnv } from '../scim/http/router.js';
import { canonicalEndpoint } from '../scim/http/endpoint-case.js';
import { carriesRequestId, errorResponse } from '../scim/http/media.js';
import { checkRequestTarget } from '../scim/http/body.js';
import { urlParts } from '../scim/http/url-parts.js';
import { createAdminRouter, type AdminDeps } from './admin/router.js';
import { createBackground } from './admin/background.js';
import { apiReference } from './admin/docs.js';
import { problemResponse } from './admin/problem.js';
import type { TokenVerifier } from './auth/scim-tokens.js';
import type { AuthGuard } from './auth/auth-failures.js';
import type { ConsoleOidc } from './auth/console-oidc.js';
import { getConnInfo } from '@hono/node-server/conninfo';
import { open } from './crypto/secret-box.js';
import { tokenFeedRoutes } from './events/token-routes.js';
import type { Database } from './db/client.js';
import { createScimStore } from './directory/scim-store.js';
import { createTenantSettingsCache } from './directory/tenant-settings.js';
import type { Env } from './env.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics/metrics.js';
import { createConsole } from './console/app.js';
import { createRecentScimRequests, type RecentScimRequests } from './audit/recent-scim-requests.js';

export interface AppDeps {
  database: Database;
  env: Pick<Env, 'PUBLIC_URL' | 'BODY_LIMIT' | 'SCIM_MAX_RESULTS'> & Partial<Pick<Env, 'TRUST_PROXY' | 'CONSOLE_IDLE_MINUTES'>>;
  log: Logger;
  tokens: TokenVerifier;
  /** The key secrets at rest are sealed with; without it, sealed attributes (the bank account) are never shown. */
  secretKey?: Buffer;
  /** Request metrics; `/metrics` is served here too unless `metricsOnOwnPort`. */
  metrics?: Metrics;
  metricsOnOwnPort?: boolean;
  /** Failed SCIM token and admin JWT attempts, limited per client address; omitted: no such limit. */
  authGuard?: AuthGuard;
  /** The admin API; omitted only where a test needs SCIM alone. */
  admin?: Omit<AdminDeps, 'database' | 'log' | 'tokensChanged' | 'publicUrl'>;
  /** The console's list of recent SCIM requests per tenant (one is made when omitted). */
  recentScim?: RecentScimRequests;
  /** Console sign-in with the company's identity provider (CONSOLE_OIDC_CLIENT_ID); omitted: links only. */
  consoleOidc?: ConsoleOidc | undefined;
}

/**
 * hono's bodyLimit, minus its cost on ordinary requests: it reads `c.req.raw.body`, which makes
 * @hono/node-server build a full fetch Request (streams, abort signal) for every call, GETs
 * included. GET and HEAD carry no body there, and a declared Content-Length without
 * Transfer-Encoding is judged from the header, as hono does; only streamed bodies go through hono.
 */
function cheapBodyLimit(options: Parameters<typeof bodyLimit>[0]): MiddlewareHandler {
  const streamed = bodyLimit(options);
  // Not async: a GET passes straight through without a frame and a promise of its own.
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (parseInt(length || '0', 10) > options.maxSize) return options.onError ? Promise.resolve(options.onError(c)) : streamed(c, next);
    return next();
  };
}

/** Prometheus text exposition of the process's metrics. */
export const metricsHandler = (metrics: Metrics) => async (c: Context) => {
  const { contentType, body } = await metrics.scrape();
  return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
};
/**
 * Who is calling, for the failed-authentication limit: the socket's peer, or, behind a trusted
 * proxy (TRUST_PROXY), the address that proxy appended last to X-Forwarded-For; earlier entries
 * are whatever the client wrote and prove nothing.
 */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

type AppEnv = { Variables: { requestId: string; tenantId?: string } & ScimEnv['Variables'] };

/** Composes the service: request ids and logs, limits, health, and the SCIM API. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>({ strict: false });
  // The SCIM API answers from its own app: its few routes fit hono's one-regular-expression router,
  // where sharing one with the admin API and the console meant walking a trie of every route on
  // each request (some 8 µs of a GET's 140). Named, not left to hono's choice, so that a SCIM route
  // it cannot take fails at start-up instead of silently bringing the trie back.
  const scimApp = new Hono<AppEnv>({ strict: false, router: new RegExpRouter() });

  const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    await next();
    // Set on the response as built: c.header() after the handler rebuilds the response around a
    // stream, which makes @hono/node-server send every body the slow way. Immutable headers
    // (a fetched or redirect response) still go through c.header().
    if (!carriesRequestId(c.res)) {
      try {
        c.res.headers.set('x-request-id', requestId);
      } catch {
        c.header('x-request-id', requestId);
      }
    }
    // The route template, never the path: ids in paths would make a label per user.
    deps.metrics?.httpRequest(routePath(c, -1), c.req.method, c.res.status, (performance.now() - started) / 1000);
    // Path only: query strings can carry filters with personal data, headers carry tokens.
    // The entry is not even built when request logs are off (LOG_LEVEL above info).
    if (!deps.log.isLevelEnabled('info')) return;
    deps.log.info({
      requestId,
      tenant: c.get('scimAuth')?.tenantId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  };
  // Before any route reads a parameter: an escape that is not UTF-8 or spells U+0000 is the client's 400.
  const targetCheck: MiddlewareHandler<AppEnv> = (c, next) => {
    checkRequestTarget(c.req.url);
    return next();
  };
  app.use('*', requestLog, targetCheck);
  scimApp.use('*', requestLog);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Off the SCIM and admin auth paths, like /healthz; METRICS_PORT moves it off the public port.
  if (deps.metrics && !deps.metricsOnOwnPort) app.get('/metrics', metricsHandler(deps.metrics));
  app.get('/readyz', async (c) => {
    try {
      await deps.database.ping();
      return c.json({ status: 'ready' });
    } catch {
      return c.json({ status: 'unavailable', reason: 'database unreachable' }, 503);
    }
  });

  const guard = <T>(c: Context, verify: () => Promise<T>): Promise<T> =>
    deps.authGuard ? deps.authGuard.attempt(clientAddress(c, deps.env.TRUST_PROXY ?? false), verify) : verify();

  const secretKey = deps.secretKey;
  // Each tenant's own extension and source of authority, read per SCIM request and user write.
  const settings = createTenantSettingsCache(deps.database.db);
  const settingsChanged = (tenantId: string) => settings.forget(tenantId);
  const publicBase = deps.env.PUBLIC_URL ? `${deps.env.PUBLIC_URL.replace(/\/$/, '')}/scim/v2` : undefined;
  const baseUrl = (c: Context) => publicBase ?? `${urlParts(c.req.url).origin}/scim/v2`;
  const scim = createScimRouter({
    store: createScimStore(deps.database.db, { settings, ...(secretKey ? { openSealed: (sealed: string) => open(secretKey, sealed) } : {}) }),
    authenticate: (header, c) => guard(c, () => deps.tokens.verify(header)),
    resourceTypesFor: (tenantId) => settings.resourceTypes(tenantId),
    baseUrl,
    maxResults: deps.env.SCIM_MAX_RESULTS,
    bulk: { supported: true, maxOperations: 1000, maxPayloadSize: deps.env.BODY_LIMIT },
    onUnexpected: (error, c) => deps.log.error({ err: error, requestId: c.get('requestId') }, 'unexpected error'),
  });
  const scimBodyLimit = cheapBodyLimit({
    maxSize: deps.env.BODY_LIMIT,
    // RFC 7644 §3.7.4: an oversized bulk request is 413 with scimType tooMany.
    onError: (c) =>
      errorResponse(
        new DomainError(/\/Bulk\/?$/.test(c.req.path) ? 'too_many' : 'payload_too_large', `The request body exceeds ${deps.env.BODY_LIMIT} bytes`),
      ),
  });
  // The console's live list of SCIM requests: a push per request into memory, after the answer is built.
  const recentScim = deps.recentScim ?? createRecentScimRequests();
  // The request target, the body limit and the live list share one middleware: each level of hono's
  // chain costs every request an async step of its own.
  scimApp.use('*', async (c, next) => {
    checkRequestTarget(c.req.url);
    // A body over the limit is answered here, before authentication: nothing to list.
    const refused = await scimBodyLimit(c, next);
    if (refused instanceof Response) return refused;
    const auth = c.get('scimAuth');
    const status = c.res.status;
    if (auth) recentScim.record(auth.tenantId, { method: c.req.method, path: c.req.path, status, at: Date.now(), tokenId: auth.tokenId });
    else if (status === 401) recentScim.recordRefused(deps.database.db, c.req.header('authorization'), { method: c.req.method, path: c.req.path, status, at: Date.now() });
  });
  scimApp.route('/scim/v2', scim as unknown as Hono<AppEnv>);

  app.route('/events', tokenFeedRoutes({ db: deps.database.db, tokens: deps.tokens, guard }) as unknown as Hono<AppEnv>);

  if (deps.admin) {
    const tokensChanged = () => deps.tokens.forget();
    const admin = createAdminRouter({ ...deps.admin, database: deps.database, log: deps.log, tokensChanged, settingsChanged, guard, ...(deps.env.PUBLIC_URL ? { publicUrl: deps.env.PUBLIC_URL } : {}) });
    app.use('/admin/*', bodyLimit({ maxSize: deps.env.BODY_LIMIT, onError: () => problemResponse(new DomainError('payload_too_large', 'The request body is too large')) }));
    app.route('/admin/v1', admin as unknown as Hono<AppEnv>);
    app.route('/admin/docs', apiReference() as unknown as Hono<AppEnv>);
    if (secretKey) {
      const background = deps.admin.background ?? createBackground(deps.log);
      const console = createConsole({
        database: deps.database,
        tokensChanged,
        settingsChanged,
        ...(deps.admin.connections ? { connections: deps.admin.connections } : {}),
        ...(deps.admin.webhooks ? { webhooks: deps.admin.webhooks } : {}),
        background,
        secretKey,
        ...(deps.env.PUBLIC_URL ? { publicUrl: deps.env.PUBLIC_URL } : {}),
        idleMinutes: deps.env.CONSOLE_IDLE_MINUTES ?? 30,
        recentScim,
        log: deps.log,
        ...(deps.consoleOidc ? { oidc: deps.consoleOidc } : {}),
        guard,
      });
      app.use('/console/*', bodyLimit({ maxSize: deps.env.BODY_LIMIT }));
      app.route('/console', console as unknown as Hono<AppEnv>);
    }
  }

  /** The error body of the API a path belongs to: SCIM's on /scim, problem+json elsewhere. */
  const answer = (c: Context, error: DomainError) => (c.req.path.startsWith('/scim/') ? errorResponse(error) : problemResponse(error, error.extra));
  for (const each of [app, scimApp]) {
    each.notFound((c) => answer(c, new DomainError('not_found', c.req.path.startsWith('/scim/') ? `No SCIM endpoint ${c.req.path}` : `No route for ${c.req.method} ${c.req.path}`)));
    each.onError((error, c) => {
      if (error instanceof DomainError) return answer(c, error);
      deps.log.error({ err: error, requestId: c.get('requestId') }, 'unexpected error');
      return answer(c, new DomainError('internal', `Internal error; quote request id ${c.get('requestId')}`));
    });
  }
  return {
    fetch: (request: Request, ...rest: unknown[]) => {
      const canonical = canonicalEndpoint(request, '/scim/v2');
      const served = urlParts(canonical.url).pathname.startsWith('/scim/') ? scimApp : app;
      return served.fetch(canonical, ...(rest as []));
    },
  };
}
