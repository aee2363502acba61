import type { HttpClient } from '../http/client.js';
import { HttpError, isHttpError } from '../http/errors.js';
import { parseJson, parseWith } from '../http/json.js';
import { createBearerTokenSource } from '../http/token-source.js';
import { tokenResponseSchema, type RemoteCredentials } from './schema.js';

/**
 * How requests authenticate. A customer API token is one bearer header that never expires. A
 * partner application gets one-hour tokens from `POST /auth/oauth2/token` with its id and secret
 * in HTTP Basic: `grant_type=refresh_token` with the company's refresh token gives a token that
 * acts for that company; without a refresh token, `client_credentials` gives a partner-only
 * token (Remote then refuses the company's employments, which validation reports). Tokens are
 * renewed shortly before `expires_in` runs out or when refused, and a rotated refresh token
 * replaces the old one for the rest of the connector's life.
 */
export interface RemoteAuth {
  headers(): Promise<Record<string, string>>;
  onUnauthorized(): Promise<boolean>;
  readonly mode: 'api_token' | 'company_oauth' | 'partner_oauth';
  readonly issued: number;
}

export const remoteTokenPath = '/auth/oauth2/token';

export function createRemoteAuth(credentials: RemoteCredentials, tokenHttp: HttpClient, now: () => number): RemoteAuth {
  if (credentials.apiToken) {
    const headers = { Authorization: `Bearer ${credentials.apiToken}` };
    return { mode: 'api_token', headers: async () => headers, onUnauthorized: async () => false, issued: 0 };
  }
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  let refreshToken = credentials.refreshToken;
  async function fetchToken() {
    const form: Record<string, string> = refreshToken ? { grant_type: 'refresh_token', refresh_token: refreshToken } : { grant_type: 'client_credentials' };
    try {
      const res = await tokenHttp.request({
        path: remoteTokenPath,
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
      });
      const token = parseWith(tokenResponseSchema, parseJson(res.text, res.url), 'Remote token response');
      if (token.refresh_token) refreshToken = token.refresh_token;
      return { token: token.access_token, expiresInS: token.expires_in ?? 3600 };
    } catch (err) {
      throw asCredentialError(err);
    }
  }

  const tokens = createBearerTokenSource(fetchToken, now);
  return {
    mode: refreshToken ? 'company_oauth' : 'partner_oauth',
    headers: tokens.headers,
    onUnauthorized: tokens.onUnauthorized,
    get issued() {
      return tokens.issued;
    },
  };
}

/** The token endpoint refuses a bad client or a revoked refresh token with 400 or 401: the stored credentials are wrong. */
function asCredentialError(err: unknown): unknown {
  if (!isHttpError(err) || (err.status !== 400 && err.status !== 401)) return err;
  return new HttpError({
    kind: 'auth',
    status: err.status,
    message: `Remote refused the OAuth client or refresh token (${err.status}${err.detail ? `: ${err.detail}` : ''})`,
    retryable: false,
    ...(err.detail === undefined ? {} : { detail: err.detail }),
    cause: err,
  });
}
