import { DomainError } from '../../scim/errors.js';
import type { Context } from 'hono';
import type { AdminPrincipal } from '../auth/admin-jwt.js';
import type { ConsoleOidc } from '../auth/console-oidc.js';
import type { Intent } from '../auth/console-links.js';
import type { ConsoleSession } from '../auth/console-sessions.js';
import { callAdmin, type AdminCall, type AdminCallDeps } from '../admin/call.js';
import type { RecentScimRequests } from '../audit/recent-scim-requests.js';
import type { Logger } from '../log.js';

/** What the console is built with: the admin API's own dependencies, plus its session settings. */
export interface ConsoleDeps extends AdminCallDeps {
  /** Signs CSRF tokens; the service's secret key. */
  secretKey: Buffer;
  publicUrl?: string;
  idleMinutes: number;
  recentScim?: RecentScimRequests;
  log?: Logger;
  /** Sign-in with the company's identity provider; absent, the sign-in page offers links only. */
  oidc?: ConsoleOidc;
  /** The failed-authentication limit per client address, shared with the APIs; absent, nothing is counted. */
  guard?: <T>(c: Context, verify: () => Promise<T>) => Promise<T>;
}

export type ConsoleEnv = {
  Variables: {
    requestId: string;
    session: ConsoleSession;
    /** The cookie secret, from which the page's CSRF token derives. */
    csrf: string;
    /** The tenant of a /console/t/:slug page, checked against the session. */
    slug: string;
  };
};

/** Which parts of the console each setup-link intent opens; `all` opens every part. */
export type Area = 'overview' | 'idp' | 'hr' | 'teams' | 'authority' | 'admin';
/** Who owns which field matters to whoever connects a source of writes: the identity provider or an HR system. */
const AREAS: Record<Intent, Area[]> = {
  idp: ['overview', 'idp', 'authority'],
  hr: ['overview', 'hr', 'authority'],
  teams: ['overview', 'teams'],
  all: ['overview', 'idp', 'hr', 'teams', 'authority', 'admin'],
};
export const allows = (intent: Intent, area: Area) => AREAS[intent].includes(area);

export const principalOf = (s: ConsoleSession): AdminPrincipal => ({
  subject: s.subject,
  role: s.role,
  ...(s.tenant ? { tenant: s.tenant.slug } : {}),
  issuer: 'rollcall-console',
});

export const originOf = (deps: ConsoleDeps, c: Context) => (deps.publicUrl ?? new URL(c.req.url).origin).replace(/\/$/, '');

/** Calls an admin route as the signed-in person: the route's own access checks and audit entries apply. */
export function adminAs(deps: ConsoleDeps, c: Context<ConsoleEnv>) {
  const principal = principalOf(c.get('session'));
  const meta = { requestId: c.get('requestId') ?? 'console', origin: originOf(deps, c) };
  return <T = unknown>(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, input: AdminCall = {}) =>
    callAdmin(deps, principal, method, path, { ...input, params: { slug: c.get('slug'), ...input.params } }, meta) as Promise<T>;
}

/**
 * An admin call whose refusal the page shows next to the form (bad input, a conflict, an HR system
 * that said no); not-found and forbidden still end in the 404/403 pages.
 */
export async function attempt<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    if (error instanceof DomainError && error.code !== 'not_found' && error.code !== 'forbidden' && error.code !== 'internal') return { ok: false, error: error.detail };
    throw error;
  }
}
