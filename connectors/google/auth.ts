import { importPKCS8, SignJWT } from 'jose';
import type { HttpClient } from '../http/client.js';
import { HttpError, isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { createBearerTokenSource } from '../http/token-source.js';
import { directoryReadScope, googleTokenAudience, tokenResponseSchema, type GoogleCredentials } from './schema.js';

/**
 * The service-account flow (two-legged OAuth with domain-wide delegation): sign an RS256 JWT
 * as the service account, naming the admin to act as (`sub`) and the read-only scope, and trade
 * it at the token endpoint for an access token that lasts an hour (`expires_in`, 3599 s).
 * Tokens are renewed a few minutes early and whenever the API says 401.
 */
export interface GoogleAuth {
  headers(): Promise<Record<string, string>>;
  onUnauthorized(): Promise<boolean>;
  /** Access tokens obtained so far. */
  readonly issued: number;
}

/** Google rejects assertions whose `exp` is more than an hour after `iat`. */
const assertionLifetimeS = 3600;

export function createGoogleAuth(credentials: GoogleCredentials, tokenHttp: HttpClient, tokenPath: string, now: () => number): GoogleAuth {
  const key = credentials.serviceAccountKey;
  let signingKey: ReturnType<typeof importPKCS8> | undefined;

  async function assertion(): Promise<string> {
    signingKey ??= importPKCS8(key.private_key, 'RS256');
    signingKey.catch(() => (signingKey = undefined));
    let privateKey: Awaited<typeof signingKey>;
    try {
      privateKey = await signingKey;
    } catch {
      // Never echo the key: only say which part of the pasted file is wrong.
      throw new HttpError({ kind: 'auth', message: 'the service account key\'s private_key is not a valid RSA private key (PKCS#8 PEM)', retryable: false });
    }
    const iat = Math.floor(now() / 1000);
    return new SignJWT({ scope: directoryReadScope })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) })
      .setIssuer(key.client_email)
      .setSubject(credentials.adminEmail)
      .setAudience(googleTokenAudience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + assertionLifetimeS)
      .sign(privateKey);
  }

  async function fetchToken(): Promise<{ token: string; expiresInS: number }> {
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await assertion() });
    try {
      const res = await tokenHttp.requestJson({ path: tokenPath, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() });
      const token = parseWith(tokenResponseSchema, res, 'Google token response');
      return { token: token.access_token, expiresInS: token.expires_in ?? 3599 };
    } catch (err) {
      throw tokenFailure(err);
    }
  }

  return createBearerTokenSource(fetchToken, now);
}

/**
 * What the token endpoint's refusals mean for an admin:
 * - 401 `unauthorized_client`: the key is fine but domain-wide delegation of the scope to this
 *   client id is missing (or still propagating) → a permission problem, not a bad key;
 * - 400 `invalid_grant` (unknown `sub`, revoked key, clock skew) and `invalid_client` → the
 *   credentials themselves are wrong.
 */
export function tokenFailure(err: unknown): unknown {
  if (!isHttpError(err) || (err.status !== 400 && err.status !== 401 && err.status !== 403)) return err;
  const detail = err.detail ?? '';
  const delegation = /^(unauthorized_client|access_denied)\b/.test(detail);
  return new HttpError({
    kind: delegation ? 'permission' : 'auth',
    status: err.status,
    message: delegation
      ? `Google refused to issue a token: domain-wide delegation of ${directoryReadScope} is not granted to this service account's client id (${detail})`
      : `Google refused the service account's assertion (${detail || err.status})`,
    retryable: false,
    ...(detail ? { detail } : {}),
    cause: err,
  });
}
