import type { HttpClient } from '../http/client.js';
import { HttpError, isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { createBearerTokenSource } from '../http/token-source.js';
import { parseFactorialJson } from './ids.js';
import { tokenResponseSchema, type FactorialCredentials } from './schema.js';

/**
 * How requests authenticate. An API key is one header that never expires. OAuth access tokens
 * last two hours by the token endpoint's own `expires_in` (an older page says a week, so the
 * response decides), are renewed from the refresh token shortly before expiry or when refused,
 * and a rotated refresh token replaces the old one for the rest of the connector's life.
 */
export interface FactorialAuth {
  headers(): Promise<Record<string, string>>;
  /** The API answered 401: renew the token (OAuth) and say whether a retry can help. */
  onUnauthorized(): Promise<boolean>;
  readonly mode: 'api_key' | 'oauth';
  /** Access tokens obtained so far. */
  readonly issued: number;
}

export function createFactorialAuth(credentials: FactorialCredentials, tokenHttp: HttpClient, tokenPath: string, now: () => number): FactorialAuth {
  if (credentials.apiKey) {
    const headers = { 'x-api-key': credentials.apiKey };
    return { mode: 'api_key', headers: async () => headers, onUnauthorized: async () => false, issued: 0 };
  }
  const { clientId, clientSecret } = credentials as Required<FactorialCredentials>;
  let refreshToken = credentials.refreshToken!;
  async function fetchToken() {
    const body = new URLSearchParams({ client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken, grant_type: 'refresh_token' });
    try {
      const res = await tokenHttp.request({ path: tokenPath, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: body.toString() });
      const token = parseWith(tokenResponseSchema, parseFactorialJson(res.text, res.url), 'Factorial token response');
      // A rotated refresh token replaces the old one for the rest of the connector's life.
      if (token.refresh_token) refreshToken = token.refresh_token;
      return { token: token.access_token, expiresInS: token.expires_in ?? 7200 };
    } catch (err) {
      throw asCredentialError(err);
    }
  }

  // Single flight matters here: Factorial may keep only one token per app and user, so two
  // concurrent renewals could each revoke the other's token.
  const tokens = createBearerTokenSource(fetchToken, now);
  return {
    mode: 'oauth',
    headers: tokens.headers,
    onUnauthorized: tokens.onUnauthorized,
    get issued() {
      return tokens.issued;
    },
  };
}

/**
 * The token endpoint refuses a bad client or a revoked refresh token with 400 or 401
 * (`invalid_client`, `invalid_grant`): either way the stored credentials are wrong.
 */
function asCredentialError(err: unknown): unknown {
  if (!isHttpError(err) || (err.status !== 400 && err.status !== 401)) return err;
  return new HttpError({
    kind: 'auth',
    status: err.status,
    message: `Factorial refused the OAuth client or refresh token (${err.status}${err.detail ? `: ${err.detail}` : ''})`,
    retryable: false,
    ...(err.detail === undefined ? {} : { detail: err.detail }),
    cause: err,
  });
}
