import { hkdfSync } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { DomainError } from '../../scim/errors.js';
import { OidcSignInError, type ConsoleOidc, type OidcRefusal, type PendingSignIn } from '../auth/console-oidc.js';
import { createConsoleSession } from '../auth/console-sessions.js';
import { open, seal } from '../crypto/secret-box.js';
import { findTenant } from '../tenants/tenants.js';
import { originOf, type ConsoleDeps, type ConsoleEnv } from './context.js';
import { Page } from './layout.js';
import { sessionTimes, startSession } from './sign-in.js';

/** The sign-in in flight, sealed: only this browser can finish it, within ten minutes. */
const PENDING_COOKIE = 'rollcall_oidc';
const PENDING_SECONDS = 600;
export const CALLBACK_PATH = '/console/auth/callback';

const pendingSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), redirectUri: z.string().url(), exp: z.number() });

/** Its own key, derived from the secret key, so a sealed pending sign-in is useless as anything else. */
const pendingKey = (secretKey: Buffer) => Buffer.from(hkdfSync('sha256', secretKey, new Uint8Array(), 'rollcall console oidc pending v1', 32));

function readPending(key: Buffer, raw: string | undefined): PendingSignIn | undefined {
  if (!raw || raw.length > 2000) return undefined;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(open(key, raw)));
    if (!parsed.success || parsed.data.exp < Date.now()) return undefined;
    const { exp: _exp, ...pending } = parsed.data;
    return pending;
  } catch {
    return undefined;
  }
}

interface RefusalPage {
  status: 400 | 401 | 403 | 502;
  title: string;
  text: (label: string) => string;
}

const REFUSALS: Record<OidcRefusal, RefusalPage> = {
  provider_error: { status: 401, title: 'Sign-in was not completed', text: (l) => `${l} did not sign you in. Try again, or ask your administrator for access to Rollcall.` },
  no_pending: { status: 400, title: 'This sign-in has expired', text: () => 'It was started more than ten minutes ago, in another browser, or it has been used. Start again.' },
  state_mismatch: { status: 400, title: 'This sign-in does not match', text: (l) => `The answer from ${l} belongs to another sign-in than the one this browser started. Start again.` },
  code_refused: { status: 401, title: 'The sign-in code was refused', text: (l) => `${l} did not accept the sign-in code: it has been used already or has expired. Start again.` },
  id_token_invalid: {
    status: 401,
    title: 'The sign-in could not be verified',
    text: (l) => `The answer from ${l} did not pass Rollcall's checks, so nobody was signed in. If this happens again, tell your operator; the reason is in the server log.`,
  },
  no_role: {
    status: 403,
    title: 'Not allowed',
    text: (l) => `Your account at ${l} has no Rollcall role. Ask your administrator to give you one (operator, admin or auditor).`,
  },
  no_tenant: { status: 403, title: 'Not allowed', text: (l) => `Your account at ${l} is an admin or auditor, but of no organisation. Ask your administrator to name one.` },
  unknown_tenant: { status: 403, title: 'Not allowed', text: (l) => `Your account at ${l} names an organisation this Rollcall does not serve. Ask your administrator.` },
  unreachable: { status: 502, title: 'The identity provider cannot be reached', text: (l) => `Rollcall could not reach ${l}. Try again in a moment; if it goes on, tell your operator.` },
};

function Refused(props: { title: string; text: string; code?: string | undefined; label: string }) {
  return (
    <Page title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      {props.code ? <p class="muted">The identity provider answered: {props.code}</p> : null}
      <p>
        <a class="button" href="/console/auth/start">
          Sign in with {props.label}
        </a>
      </p>
    </Page>
  );
}

/**
 * `/console/auth/start` sends the browser to the provider; `/console/auth/callback` finishes there.
 * Every refused callback counts against the client address in the failed-authentication limit, like
 * a bad SCIM token; a provider that cannot be reached is nobody's failed attempt and is not counted.
 */
export function oidcRoutes(router: Hono<ConsoleEnv>, deps: ConsoleDeps, oidc: ConsoleOidc) {
  const key = pendingKey(deps.secretKey);
  const guard = deps.guard ?? (<T,>(_c: Context, verify: () => Promise<T>) => verify());
  const cookieOptions = (c: Context) => ({ path: '/console/auth', httpOnly: true, secure: originOf(deps, c).startsWith('https:'), sameSite: 'Lax' as const });

  const refuse = (c: Context<ConsoleEnv>, reason: OidcRefusal, detail?: string) => {
    const page = REFUSALS[reason];
    // The reason and a code or claim name, never what was presented: no code, token or state.
    deps.log?.warn({ requestId: c.get('requestId'), reason, detail }, 'console sign-in refused');
    const code = reason === 'provider_error' ? detail : undefined;
    return c.html(<Refused title={page.title} text={page.text(oidc.label)} code={code} label={oidc.label} />, page.status);
  };

  router.get('/auth/start', async (c) => {
    const redirectUri = `${originOf(deps, c)}${CALLBACK_PATH}`;
    let started: Awaited<ReturnType<ConsoleOidc['start']>>;
    try {
      started = await oidc.start(redirectUri);
    } catch (error) {
      return refuse(c, 'unreachable', error instanceof OidcSignInError ? error.detail : 'start');
    }
    const sealed = seal(key, JSON.stringify({ ...started.pending, exp: Date.now() + PENDING_SECONDS * 1000 }));
    setCookie(c, PENDING_COOKIE, sealed, { ...cookieOptions(c), maxAge: PENDING_SECONDS });
    return c.redirect(started.url.href, 303);
  });

  router.get('/auth/callback', async (c) => {
    const pending = readPending(key, getCookie(c, PENDING_COOKIE));
    // Used up whatever happens next: a second visit of this URL finds no sign-in to finish.
    deleteCookie(c, PENDING_COOKIE, cookieOptions(c));
    let unreachable: OidcSignInError | undefined;
    try {
      const { identity, tenant } = await guard(c, async () => {
        try {
          const identity = await oidc.finish(new URL(c.req.url), pending);
          // Only "no such tenant" is the person's refusal; a database failure stays the server's error.
          const tenant = identity.tenant
            ? await findTenant(deps.database.db, identity.tenant).catch((error: unknown) => {
                if (error instanceof DomainError && error.code === 'not_found') return undefined;
                throw error;
              })
            : undefined;
          if (identity.tenant && !tenant) throw new OidcSignInError('unknown_tenant');
          return { identity, tenant };
        } catch (error) {
          if (!(error instanceof OidcSignInError)) throw error;
          if (error.reason === 'unreachable') {
            unreachable = error;
            throw error;
          }
          throw new DomainError('unauthorized', error.reason, { refusal: error });
        }
      });
      const session = await createConsoleSession(
        deps.database.db,
        { role: identity.role, subject: identity.subject, tenantId: tenant?.id ?? null, intent: 'all', returnUrl: null },
        sessionTimes(deps),
      );
      startSession(deps, c, session.secret);
      return c.redirect(tenant ? `/console/t/${tenant.slug}` : '/console', 303);
    } catch (error) {
      if (unreachable) return refuse(c, 'unreachable', unreachable.detail);
      if (error instanceof DomainError && error.code === 'unauthorized') {
        const refusal = error.extra.refusal as OidcSignInError;
        return refuse(c, refusal.reason, refusal.detail);
      }
      if (error instanceof DomainError && error.code === 'rate_limited') {
        const wait = Number(error.extra.retryAfter ?? 60);
        deps.log?.warn({ requestId: c.get('requestId') }, 'console sign-in refused: too many failures from this address');
        c.header('retry-after', String(wait));
        return c.html(
          <Refused title="Too many failed sign-ins" text={`Too many sign-ins from this address have failed. Try again in ${wait} seconds.`} label={oidc.label} />,
          429,
        );
      }
      throw error;
    }
  });
}
