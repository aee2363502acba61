import { randomBytes } from 'node:crypto';

/** A user who authorised the OAuth application: what their permission group lets them see. */
export interface FakeOAuthUser {
  /** Employee properties their permission group hides: served as `null`. */
  hidden?: string[];
  /** `none`: may not open employee profiles at all (403). */
  access?: 'full' | 'none';
  /** Other resources their group may not list (403), e.g. `contract_versions`. */
  forbidden?: string[];
}

export interface FakeOAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  users: Record<string, FakeOAuthUser>;
}

export interface OAuthOptions {
  /** Access token lifetime: 7200 s per the token page; an older page says a week. */
  tokenTtlS: number;
  /** Only one live access token per app and user: a new one revokes the older ones. */
  singleToken: boolean;
  /** Each refresh returns a new refresh token and retires the one used. */
  rotateRefreshTokens: boolean;
}

export interface TokenGrant {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
  created_at: number;
}

export type TokenError = { status: 400 | 401; body: { error: string; error_description: string } };

export function createOAuth(app: FakeOAuthApp | undefined, options: OAuthOptions, now: () => number) {
  const codes = new Map<string, { userId: string; redirectUri: string }>();
  const access = new Map<string, { userId: string; expiresAt: number }>();
  const refresh = new Map<string, string>();
  let issued = 0;
  const token = (prefix: string) => `${prefix}_${randomBytes(16).toString('hex')}`;

  function grant(userId: string, refreshToken?: string): TokenGrant {
    if (options.singleToken) for (const [t, a] of access) if (a.userId === userId) access.delete(t);
    const accessToken = token('fac');
    access.set(accessToken, { userId, expiresAt: now() + options.tokenTtlS * 1000 });
    let rt = refreshToken;
    if (!rt || options.rotateRefreshTokens) {
      if (rt) refresh.delete(rt);
      rt = token('ref');
      refresh.set(rt, userId);
    }
    issued++;
    return { access_token: accessToken, token_type: 'Bearer', expires_in: options.tokenTtlS, refresh_token: rt, scope: 'read write', created_at: Math.floor(now() / 1000) };
  }

  const invalid = (error: string, description: string, status: 400 | 401 = 400): TokenError => ({ status, body: { error, error_description: description } });

  return {
    options,
    /** `GET /oauth/authorize`: the user consents (the fake's `user` parameter says who) and is sent back with a code. */
    authorize(query: URLSearchParams): { location: string } | TokenError {
      if (!app || query.get('client_id') !== app.clientId) return invalid('invalid_client', 'Client authentication failed', 401);
      if (query.get('redirect_uri') !== app.redirectUri) return invalid('invalid_redirect_uri', 'The redirect uri included is not valid.');
      if (query.get('response_type') !== 'code') return invalid('unsupported_response_type', 'The authorization server does not support this response type.');
      const userId = query.get('user') ?? Object.keys(app.users)[0]!;
      if (!app.users[userId]) return invalid('access_denied', 'The resource owner denied the request.');
      const code = token('code');
      codes.set(code, { userId, redirectUri: app.redirectUri });
      const location = new URL(app.redirectUri);
      location.searchParams.set('code', code);
      return { location: location.toString() };
    },
    /** `POST /oauth/token`, form-encoded: `authorization_code` or `refresh_token`. */
    token(body: string): TokenGrant | TokenError {
      const form = new URLSearchParams(body);
      if (!app || form.get('client_id') !== app.clientId || form.get('client_secret') !== app.clientSecret) return invalid('invalid_client', 'Client authentication failed', 401);
      switch (form.get('grant_type')) {
        case 'authorization_code': {
          const code = codes.get(form.get('code') ?? '');
          if (!code || code.redirectUri !== form.get('redirect_uri')) return invalid('invalid_grant', 'The provided authorization grant is invalid, expired or revoked.');
          codes.delete(form.get('code')!);
          return grant(code.userId);
        }
        case 'refresh_token': {
          const rt = form.get('refresh_token') ?? '';
          const userId = refresh.get(rt);
          if (!userId) return invalid('invalid_grant', 'The provided authorization grant is invalid, expired or revoked.');
          return grant(userId, rt);
        }
        default:
          return invalid('unsupported_grant_type', 'The authorization grant type is not supported.');
      }
    },
    /** The user behind a bearer header, or undefined for a missing, unknown or expired token. */
    user(authorization: string | undefined): { id: string; user: FakeOAuthUser } | undefined {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      const entry = match ? access.get(match[1]!) : undefined;
      if (!entry || entry.expiresAt <= now() || !app?.users[entry.userId]) return undefined;
      return { id: entry.userId, user: app.users[entry.userId]! };
    },
    /** A refresh token for a user without the browser round trip (tests that only need one). */
    refreshTokenFor(userId: string): string {
      const rt = token('ref');
      refresh.set(rt, userId);
      return rt;
    },
    revokeAccessTokens: () => access.clear(),
    get issued() {
      return issued;
    },
  };
}
export type FakeOAuth = ReturnType<typeof createOAuth>;
