import type { HttpClient } from '../../http/client.js';
import { HttpError, isHttpError } from '../../http/errors.js';
import { parseWith } from '../../http/json.js';
import { createBearerTokenSource, type FetchedToken } from '../../http/token-source.js';
import type { LuccaV5Credentials } from '../schema.js';
import { tokenResponseSchema } from './schema.js';

export interface V5Tokens {
  /** `Authorization: Bearer …` for the next call, fetching a token when there is none or it is about to expire. */
  authorize(): Promise<Record<string, string>>;
  /** The API refused the token (401): forget it so the retry gets a fresh one. */
  onUnauthorized(): Promise<boolean>;
  readonly issued: number;
}

/**
 * Client-credentials tokens from Lucca's identity server. A token lives 30 minutes
 * (`expires_in: 1800`) and is shared by every call; it is renewed a little before it expires,
 * so a long read never sends one that dies in flight, and once after a 401.
 */
export function createV5Tokens(opts: {
  auth: HttpClient;
  /** Set when the token URL may not receive the secret: every token request fails with it, unsent. */
  refusal?: HttpError | undefined;
  tokenPath: string;
  credentials: LuccaV5Credentials;
  scope: string;
  now: () => number;
}): V5Tokens {
  async function fetchToken(): Promise<FetchedToken> {
    if (opts.refusal) throw opts.refusal;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: opts.credentials.clientId,
      client_secret: opts.credentials.clientSecret,
      scope: opts.scope,
    }).toString();
    try {
      const json = await opts.auth.requestJson({
        path: opts.tokenPath,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      const parsed = parseWith(tokenResponseSchema, json, 'Lucca token response');
      return { token: parsed.access_token, expiresInS: parsed.expires_in ?? 1800 };
    } catch (err) {
      throw asTokenError(err);
    }
  }

  // Renewed a minute early at most: a token lives only 30 minutes.
  const tokens = createBearerTokenSource(fetchToken, opts.now, 60_000);
  return {
    authorize: tokens.headers,
    onUnauthorized: tokens.onUnauthorized,
    get issued() {
      return tokens.issued;
    },
  };
}

/**
 * The identity server answers a wrong client id or secret with 400/401 `invalid_client`, and a
 * scope the app was not granted with 400 `invalid_scope`: re-labelled so validation says
 * "invalid credentials" or "missing permission" rather than "bad request".
 */
export function asTokenError(err: unknown): unknown {
  if (!isHttpError(err) || err.status === undefined) return err;
  const detail = err.detail ?? '';
  const kind = /invalid_scope|unauthorized_client/i.test(detail)
    ? 'permission'
    : err.status === 401 || err.status === 403 || /invalid_client|invalid_grant/i.test(detail)
      ? 'auth'
      : undefined;
  if (!kind) return err;
  return new HttpError({
    kind,
    status: err.status,
    message: `Lucca's identity server refused the client app (${err.status}${detail ? `: ${detail}` : ''})`,
    retryable: false,
    ...(err.detail === undefined ? {} : { detail: err.detail }),
    ...(err.url === undefined ? {} : { url: err.url }),
    cause: err,
  });
}
