import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { redeemConsoleLink, inspectConsoleLink, type Intent, type LinkRefusal } from '../auth/console-links.js';
import { createConsoleSession, endConsoleSession, type SessionTimes } from '../auth/console-sessions.js';
import { hashSecret } from '../auth/scim-tokens.js';
import { findTenantById } from '../tenants/tenants.js';
import { originOf, type ConsoleDeps } from './context.js';
import { Page } from './layout.js';

export const COOKIE = 'rollcall_console';
const ABSOLUTE_HOURS = 12;

export const sessionTimes = (deps: ConsoleDeps): SessionTimes => ({ idleMs: deps.idleMinutes * 60_000, absoluteMs: ABSOLUTE_HOURS * 3_600_000 });

/** Where a fresh session lands: the part of the console its link was made for. */
const LANDING: Record<Intent, string> = { all: '', idp: '/idp', hr: '/hr', teams: '/teams' };

const REFUSALS: Record<LinkRefusal, { status: 404 | 410; title: string; text: string }> = {
  unknown: { status: 404, title: 'This link is not valid', text: 'The link is incomplete or was never issued. Ask for a new one where you found it.' },
  used: { status: 410, title: 'This link has been used', text: 'Each link opens the console once. Ask for a new one where you found it.' },
  expired: { status: 410, title: 'This link has expired', text: 'Links work for a few minutes only. Ask for a new one where you found it.' },
};

function Refused(props: { why: LinkRefusal }) {
  const r = REFUSALS[props.why];
  return (
    <Page title={r.title}>
      <h1>{r.title}</h1>
      <p>{r.text}</p>
    </Page>
  );
}

function Continue(props: { action: string; token: string; what: string }) {
  return (
    <Page title="Open the console">
      <h1>Open the console</h1>
      <p>{props.what}</p>
      <form method="post" action={props.action}>
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">Continue</button>
      </form>
      <p class="muted">The link works once; after this it is used up.</p>
    </Page>
  );
}

export function startSession(deps: ConsoleDeps, c: Context, secret: string) {
  setCookie(c, COOKIE, secret, {
    path: '/console',
    httpOnly: true,
    secure: originOf(deps, c).startsWith('https:'),
    sameSite: 'Lax',
    maxAge: ABSOLUTE_HOURS * 3600,
  });
}

/**
 * What any console URL shows without a session: the ways in, with the identity provider's button
 * first when one is configured.
 */
export function SignedOut(props: { oidc?: { label: string } | undefined }) {
  return (
    <Page title="Sign in">
      <h1>Rollcall console</h1>
      <p>You are not signed in, or your session has ended.</p>
      {props.oidc ? (
        <p>
          <a class="button" href="/console/auth/start">
            Sign in with {props.oidc.label}
          </a>
        </p>
      ) : null}
      <ul>
        <li>Admins of an organisation: open the console from your app, which gives you a fresh link each time.</li>
        <li>
          Operators: run <code>rollcall console-link</code> on the server's host and open the link it prints.
        </li>
      </ul>
    </Page>
  );
}

/**
 * Setup links and operator login links. Opening a link shows a "Continue" button and redeems
 * nothing: a chat app or mail scanner fetching the URL to preview it must not use up the link.
 * The secret travels in the query string, which the request log leaves out.
 */
export function signInRoutes(router: Hono, deps: ConsoleDeps) {
  const db = deps.database.db;
  router.get('/setup', async (c) => {
    const token = c.req.query('token') ?? '';
    const link = await inspectConsoleLink(db, token, 'setup');
    if (typeof link === 'string') return c.html(<Refused why={link} />, REFUSALS[link].status);
    const tenant = await findTenantById(db, link.tenantId!);
    return c.html(<Continue action="/console/setup" token={token} what={`This link opens the Rollcall console for ${tenant?.name ?? 'your organisation'}.`} />);
  });
  router.post('/setup', async (c) => {
    const form = await c.req.parseBody();
    const link = await redeemConsoleLink(db, String(form.token ?? ''), 'setup');
    if (typeof link === 'string') return c.html(<Refused why={link} />, REFUSALS[link].status);
    const tenant = await findTenantById(db, link.tenantId!);
    if (!tenant) return c.html(<Refused why="unknown" />, 404);
    const session = await createConsoleSession(
      db,
      { role: 'admin', subject: `setup-link:${link.id}`, tenantId: tenant.id, intent: link.intent as Intent, returnUrl: link.returnUrl },
      sessionTimes(deps),
    );
    startSession(deps, c, session.secret);
    return c.redirect(`/console/t/${tenant.slug}${LANDING[link.intent as Intent]}`, 303);
  });

  router.get('/login', async (c) => {
    const token = c.req.query('token') ?? '';
    const link = await inspectConsoleLink(db, token, 'operator');
    if (typeof link === 'string') return c.html(<Refused why={link} />, REFUSALS[link].status);
    return c.html(<Continue action="/console/login" token={token} what="This one-time link signs you in to the Rollcall console as an operator." />);
  });
  router.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const link = await redeemConsoleLink(db, String(form.token ?? ''), 'operator');
    if (typeof link === 'string') return c.html(<Refused why={link} />, REFUSALS[link].status);
    const session = await createConsoleSession(db, { role: 'operator', subject: `console-link:${link.createdBy}`, tenantId: null, intent: 'all', returnUrl: null }, sessionTimes(deps));
    startSession(deps, c, session.secret);
    return c.redirect('/console', 303);
  });
}

/** Sign-out (CSRF-checked like every form): the session row goes, then the cookie. */
export async function signOut(deps: ConsoleDeps, c: Context, sessionId: string) {
  await endConsoleSession(deps.database.db, sessionId);
  deleteCookie(c, COOKIE, { path: '/console' });
  return c.html(
    <Page title="Signed out">
      <h1>You are signed out</h1>
      <p>To come back, open a new link from your app, or ask your operator.</p>
    </Page>,
  );
}

export const cookieSecret = (c: Context) => getCookie(c, COOKIE);
export { hashSecret };
