import { randomBytes } from 'node:crypto';
import type { FakeRequest, Reply } from '../shared/server.js';

/** An OAuth app registered in Deel's Developer Center. */
export interface FakeOAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface IssuedAccess {
  scopes: string[];
  expiresAt: number;
  grant: string;
}

const dayMs = 86_400_000;
export const accessTokenLifetimeS = 30 * 86_400;
const refreshLifetimeMs = 90 * dayMs;

/**
 * Deel's OAuth2 authorization-code flow: `POST /oauth2/tokens` with HTTP Basic client
 * authentication, form-encoded. Access tokens last 30 days; refresh tokens 90 days and are
 * single-use: presenting one twice is `invalid_grant` and revokes the whole grant, the
 * defence against a stolen refresh token.
 */
export function createOAuth(apps: readonly FakeOAuthApp[], now: () => number) {
  const codes = new Map<string, { clientId: string; scopes: string[]; redirectUri: string; expiresAt: number }>();
  const refreshTokens = new Map<string, { clientId: string; scopes: string[]; grant: string; expiresAt: number; used: boolean }>();
  const access = new Map<string, IssuedAccess>();
  const revoked = new Set<string>();
  let grants = 0;
  const token = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

  function issue(clientId: string, scopes: string[], grant: string) {
    const accessToken = token('dat');
    const refreshToken = token('drt');
    access.set(accessToken, { scopes, grant, expiresAt: now() + accessTokenLifetimeS * 1000 });
    refreshTokens.set(refreshToken, { clientId, scopes, grant, expiresAt: now() + refreshLifetimeMs, used: false });
    return { access_token: accessToken, expires_in: accessTokenLifetimeS, refresh_token: refreshToken, token_type: 'Bearer', scope: scopes.join(' ') };
  }

  const oauthError = (status: number, error: string, description: string): Reply => ({ status, body: { error, error_description: description } });

  return {
    /** The consent screen at /oauth2/authorize, approved: the code a redirect would carry. */
    authorize(clientId: string, scopes: string[], redirectUri?: string): string {
      const app = apps.find((a) => a.clientId === clientId);
      if (!app) throw new Error(`no OAuth app ${clientId}`);
      const code = token('code');
      codes.set(code, { clientId, scopes, redirectUri: redirectUri ?? app.redirectUri, expiresAt: now() + 10 * 60_000 });
      return code;
    },
    /** The access an access token carries, or why it carries none. */
    check(accessToken: string): IssuedAccess | 'expired' | 'revoked' | undefined {
      const a = access.get(accessToken);
      if (!a) return undefined;
      if (revoked.has(a.grant)) return 'revoked';
      return now() >= a.expiresAt ? 'expired' : a;
    },
    tokens(req: FakeRequest): Reply {
      const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
      const [clientId, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
      const app = apps.find((a) => a.clientId === clientId);
      if (!app || app.clientSecret !== secret) return oauthError(401, 'invalid_client', 'Client authentication failed');
      if (!/application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) return oauthError(400, 'invalid_request', 'Body must be form-encoded');
      const form = new URLSearchParams(req.body);
      switch (form.get('grant_type')) {
        case 'authorization_code': {
          const code = codes.get(form.get('code') ?? '');
          if (!code || code.clientId !== app.clientId || now() >= code.expiresAt) return oauthError(400, 'invalid_grant', 'The authorization code is invalid or expired');
          if (form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match');
          codes.delete(form.get('code')!);
          return { status: 200, body: issue(app.clientId, code.scopes, `grant${++grants}`) };
        }
        case 'refresh_token': {
          const presented = refreshTokens.get(form.get('refresh_token') ?? '');
          if (!presented || presented.clientId !== app.clientId) return oauthError(400, 'invalid_grant', 'Unknown refresh token');
          if (presented.used) {
            revoked.add(presented.grant);
            return oauthError(400, 'invalid_grant', 'Refresh token already used; the grant has been revoked');
          }
          if (revoked.has(presented.grant) || now() >= presented.expiresAt) return oauthError(400, 'invalid_grant', 'Refresh token expired or revoked');
          presented.used = true;
          return { status: 200, body: issue(app.clientId, presented.scopes, presented.grant) };
        }
        default:
          return oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
      }
    },
  };
}
