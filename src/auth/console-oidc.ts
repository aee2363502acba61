import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { isEgressRefusal } from '../egress/index.js';
import { ROLES, type Role } from './admin-jwt.js';

/**
 * Console sign-in with the company's identity provider: the OpenID Connect authorization code flow
 * with PKCE (S256), `state` and `nonce`, through openid-client. The issuer is the one trusted for
 * admin JWTs, and the role and tenant come from the same claims.
 */
export interface ConsoleOidcOptions {
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone); otherwise sent with HTTP Basic, the default of Okta and Entra. */
  clientSecret?: string;
  roleClaim: string;
  tenantClaim: string;
  /** The egress policy's fetch: discovery, token and key-set requests go where every outbound request may. */
  fetch: typeof fetch;
  /** What the sign-in button names; the issuer's host when absent. */
  name?: string;
}

/** What the browser keeps between leaving for the provider and coming back (sealed in a cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
}

/** Who signed in: an operator, or an admin or auditor of the tenant named by its slug. */
export interface OidcIdentity {
  subject: string;
  role: Role;
  tenant?: string;
}

/** Why a callback made no session; each reason is one page and one count against the address. */
export type OidcRefusal =
  | 'provider_error'
  | 'no_pending'
  | 'state_mismatch'
  | 'code_refused'
  | 'id_token_invalid'
  | 'no_role'
  | 'no_tenant'
  | 'unknown_tenant'
  | 'unreachable';

export class OidcSignInError extends Error {
  override readonly name = 'OidcSignInError';
  /** `detail` is for the log (an error code or a claim name), never a token, a code or a secret. */
  constructor(
    readonly reason: OidcRefusal,
    readonly detail?: string,
  ) {
    super(`console sign-in refused: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

/** Error codes a provider may put in the callback (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6); anything else is shown as "error". */
const PROVIDER_ERRORS = new Set([
  'access_denied', 'invalid_request', 'unauthorized_client', 'unsupported_response_type', 'invalid_scope', 'server_error',
  'temporarily_unavailable', 'interaction_required', 'login_required', 'account_selection_required', 'consent_required',
  'invalid_request_uri', 'invalid_request_object', 'request_not_supported', 'request_uri_not_supported', 'registration_not_supported',
]);
export const providerErrorCode = (raw: string | null) => (raw && PROVIDER_ERRORS.has(raw) ? raw : 'error');

/** Server metadata is read again after this long, so a provider's changed endpoints are picked up. */
const DISCOVERY_TTL_MS = 3_600_000;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
/** Plain http only on loopback (a development provider); openid-client refuses it anywhere else. */
export const insecureAllowed = (issuer: string) => {
  const url = new URL(issuer);
  return url.protocol === 'http:' && LOOPBACK.test(url.hostname);
};

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The role and tenant from the ID token's claims. Entra's app roles arrive as an array (`roles`),
 * so an array is read too, taking the strongest role it holds.
 */
export function identityFrom(claims: Record<string, unknown>, roleClaim: string, tenantClaim: string): OidcIdentity {
  const rawRole = claims[roleClaim];
  const held = (Array.isArray(rawRole) ? rawRole : [rawRole]).filter((r): r is string => typeof r === 'string');
  const role = ROLES.find((r) => held.includes(r));
  if (!role) throw new OidcSignInError('no_role', roleClaim);
  const subject = `oidc:${String(claims.sub)}`;
  if (role === 'operator') return { subject, role };
  const rawTenant = claims[tenantClaim];
  const tenant = Array.isArray(rawTenant) && rawTenant.length === 1 ? rawTenant[0] : rawTenant;
  if (typeof tenant !== 'string' || tenant === '') throw new OidcSignInError('no_tenant', tenantClaim);
  return { subject, role, tenant };
}

/** Sorts a failed exchange into what the person is told: the code refused, the answer unverifiable, or no answer. */
function classify(error: unknown): OidcSignInError {
  if (error instanceof OidcSignInError) return error;
  if (error instanceof client.ResponseBodyError) return new OidcSignInError('code_refused', error.error);
  if (error instanceof client.AuthorizationResponseError) return new OidcSignInError('provider_error', providerErrorCode(error.error));
  if (isEgressRefusal(error)) return new OidcSignInError('unreachable', 'egress refused');
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError' || (error instanceof TypeError && /fetch failed/.test(error.message)))) {
    return new OidcSignInError('unreachable', error.name);
  }
  if (error instanceof client.ClientError) {
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON') return new OidcSignInError('unreachable', error.code);
    // The claim that failed, or oauth4webapi's own fixed sentence ("JWT signature verification failed"); never a value.
    const cause = error.cause as { message?: unknown; cause?: { claim?: unknown } } | undefined;
    const claim = cause?.cause?.claim;
    const why = typeof claim === 'string' ? claim : error.code === 'OAUTH_INVALID_RESPONSE' && typeof cause?.message === 'string' ? cause.message : undefined;
    return new OidcSignInError('id_token_invalid', `${error.code ?? 'invalid'}${why ? ` ${why}` : ''}`);
  }
  return new OidcSignInError('id_token_invalid', error instanceof Error ? error.name : 'unknown');
}

export function createConsoleOidc(options: ConsoleOidcOptions) {
  const issuer = new URL(options.issuer);
  let discovered: { config: Promise<client.Configuration>; at: number } | undefined;

  /** Discovery once an hour at most; a failed one is forgotten, so the next sign-in tries again. */
  const configuration = (): Promise<client.Configuration> => {
    if (discovered && Date.now() - discovered.at < DISCOVERY_TTL_MS) return discovered.config;
    const config = client
      .discovery(
        issuer,
        options.clientId,
        options.clientSecret,
        options.clientSecret ? client.ClientSecretBasic(options.clientSecret) : client.None(),
        {
          [client.customFetch]: options.fetch as client.CustomFetch,
          timeout: 10,
          // The ID token's signature is checked against the provider's keys too, not only its claims.
          execute: [client.enableNonRepudiationChecks, ...(insecureAllowed(options.issuer) ? [client.allowInsecureRequests] : [])],
        },
      )
      .catch((error: unknown) => {
        discovered = undefined;
        // Whatever went wrong, without metadata there is no provider to sign in with.
        throw new OidcSignInError('unreachable', `discovery: ${classify(error).detail ?? 'failed'}`);
      });
    discovered = { config, at: Date.now() };
    return config;
  };

  return {
    issuer: options.issuer,
    label: options.name ?? issuer.host,

    /** The provider's authorization URL and what must come back with the person to finish. */
    async start(redirectUri: string): Promise<{ url: URL; pending: PendingSignIn }> {
      const config = await configuration();
      const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), redirectUri };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
      });
      return { url, pending };
    },

    /**
     * Checks the callback against the sign-in this browser started, redeems the code with the PKCE
     * verifier, verifies the ID token (signature, issuer, audience = client id, nonce, expiry) and
     * reads the role. Throws OidcSignInError with the reason; no other outcome makes a session.
     */
    async finish(callback: URL, pending: PendingSignIn | undefined): Promise<OidcIdentity> {
      const params = callback.searchParams;
      if (params.has('error')) throw new OidcSignInError('provider_error', providerErrorCode(params.get('error')));
      if (!pending) throw new OidcSignInError('no_pending');
      if (!sameText(params.get('state') ?? '', pending.state)) throw new OidcSignInError('state_mismatch');
      try {
        const config = await configuration();
        // The redirect URI sent to the token endpoint is this URL without its query: the one the
        // sign-in started with, not the request's own URL (which differs behind a proxy).
        const current = new URL(pending.redirectUri);
        current.search = callback.search;
        const tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new OidcSignInError('id_token_invalid', 'no id_token');
        return identityFrom(claims, options.roleClaim, options.tenantClaim);
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

export type ConsoleOidc = ReturnType<typeof createConsoleOidc>;
