import { Hono, type Context } from 'hono';
import { DomainError, scimErrorShape } from '../../scim/errors.js';
import { csrfMatches, csrfTokenFor, findConsoleSession } from '../auth/console-sessions.js';
import { findTenant, listTenants } from '../tenants/tenants.js';
import type { ConsoleDeps, ConsoleEnv } from './context.js';
import { ASSET_VERSION, Page } from './layout.js';
import { securityHeaders } from './security.js';
import { cookieSecret, sessionTimes, SignedOut, signInRoutes, signOut } from './sign-in.js';
import { oidcRoutes } from './oidc-sign-in.js';
import { staticAssets } from './static.js';
import { tenantPages } from './pages/index.js';
import { notFoundPage, Problem } from './problem.js';

export type { ConsoleDeps } from './context.js';

/**
 * The web console under /console: server-rendered pages over the admin API's own routes, signed in
 * with setup links, operator login links (and OIDC when configured). Every state-changing request
 * carries the session's CSRF token; every tenant page checks the session's tenant.
 */
export function createConsole(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const router = new Hono<ConsoleEnv>({ strict: false });
  router.use('*', securityHeaders);
  router.route('/static', staticAssets(ASSET_VERSION));
  signInRoutes(router as unknown as Hono, deps);
  if (deps.oidc) oidcRoutes(router, deps, deps.oidc);

  // Everything below needs a session; a state change also needs the session's CSRF token.
  router.use('*', async (c, next) => {
    const secret = cookieSecret(c);
    const session = secret ? await findConsoleSession(deps.database.db, secret, sessionTimes(deps)) : undefined;
    if (!session || !secret) return c.html(<SignedOut oidc={deps.oidc} />, 401);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      let presented = c.req.header('x-csrf-token');
      if (!presented && (c.req.header('content-type') ?? '').match(/^(application\/x-www-form-urlencoded|multipart\/form-data)/)) {
        const form = await c.req.parseBody({ all: true });
        presented = typeof form._csrf === 'string' ? form._csrf : undefined;
      }
      if (!csrfMatches(deps.secretKey, secret, presented)) {
        return c.html(<Problem status={403} title="This form has expired" detail="Reload the page and try again." />, 403);
      }
    }
    c.set('session', session);
    c.set('csrf', csrfTokenFor(deps.secretKey, secret));
    await next();
  });

  router.post('/sign-out', (c) => signOut(deps, c, c.get('session').id));

  router.get('/', async (c) => {
    const session = c.get('session');
    if (session.tenant) return c.redirect(`/console/t/${session.tenant.slug}`, 303);
    const tenants = await listTenants(deps.database.db);
    return c.html(
      <Page title="Tenants" session={session} csrf={c.get('csrf')}>
        <h1>Tenants</h1>
        <ul>
          {tenants.map((t) => (
            <li>
              <a href={`/console/t/${t.slug}`}>{t.name}</a> <span class="muted">({t.slug})</span>
            </li>
          ))}
        </ul>
      </Page>,
    );
  });

  // The tenant wall: a tenant session sees its own tenant and nothing else, as a plain 404.
  router.use('/t/:slug/*', async (c, next) => {
    const slug = c.req.param('slug');
    const session = c.get('session');
    if (session.role !== 'operator' && session.tenant?.slug !== slug) return notFoundPage(c);
    if (session.role === 'operator') {
      try {
        await findTenant(deps.database.db, slug);
      } catch {
        return notFoundPage(c);
      }
    }
    c.set('slug', slug);
    await next();
  });
  router.route('/t/:slug', tenantPages(deps));

  router.notFound(notFoundPage);
  router.onError((error, c) => {
    if (error instanceof DomainError) {
      if (error.code === 'not_found') return notFoundPage(c);
      const status = scimErrorShape(error.code).status as 400 | 403 | 409;
      return c.html(<Problem status={status} title={status === 403 ? 'Not allowed' : 'That did not work'} detail={error.detail} />, status);
    }
    deps.log?.error({ err: error, requestId: c.get('requestId') }, 'unexpected console error');
    return c.html(<Problem status={500} title="Something went wrong" detail={`Quote request id ${c.get('requestId') ?? ''} to your operator.`} />, 500);
  });
  return router;
}
