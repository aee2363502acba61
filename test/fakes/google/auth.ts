import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';

export const directoryReadScope = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
export const tokenAudience = 'https://oauth2.googleapis.com/token';

/** A service account: its downloadable JSON key, and the scopes the Admin console delegated to its client id. */
export interface FakeServiceAccount {
  key: { type: 'service_account'; project_id: string; private_key_id: string; private_key: string; client_email: string; client_id: string; token_uri: string };
  publicKey: KeyObject;
  /** Domain-wide delegation granted in the Admin console (empty: not granted). */
  delegated: Set<string>;
  /** Keys deleted in Cloud console no longer verify. */
  revoked: boolean;
}

export interface IssuedToken {
  clientEmail: string;
  sub: string;
  scopes: Set<string>;
  expiresAt: number;
}

type OAuthError = { status: number; error: string; description: string };

export interface FakeGoogleAuth {
  accounts: Map<string, FakeServiceAccount>;
  tokens: Map<string, IssuedToken>;
  /** A new service account (its key pair generated now), delegated the read scope unless told otherwise. */
  addServiceAccount(name: string, delegated?: readonly string[]): FakeServiceAccount;
  /** `POST /token` with the JWT-bearer grant. */
  exchange(params: Record<string, string>, isUser: (email: string) => boolean): Promise<{ token: string; expiresIn: number } | OAuthError>;
  /** Every access token issued so far stops working (as an hour passing would do). */
  expireTokens(): void;
  lookup(authorization: string | undefined): IssuedToken | undefined;
}

export function createFakeAuth(options: { now: () => number; tokenLifetimeS?: number }): FakeGoogleAuth {
  const accounts = new Map<string, FakeServiceAccount>();
  const tokens = new Map<string, IssuedToken>();
  const lifetime = options.tokenLifetimeS ?? 3599;
  const invalidGrant = (description: string): OAuthError => ({ status: 400, error: 'invalid_grant', description });
  return {
    accounts,
    tokens,
    addServiceAccount(name, delegated = [directoryReadScope]) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const clientEmail = `${name}@rollcall-test.iam.gserviceaccount.com`;
      const account: FakeServiceAccount = {
        key: {
          type: 'service_account',
          project_id: 'rollcall-test',
          private_key_id: randomBytes(20).toString('hex'),
          private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          client_email: clientEmail,
          client_id: String(100_000_000_000_000_000_000n + BigInt(accounts.size + 1)),
          token_uri: tokenAudience,
        },
        publicKey,
        delegated: new Set(delegated),
        revoked: false,
      };
      accounts.set(clientEmail, account);
      return account;
    },
    async exchange(params, isUser) {
      if (params.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        return { status: 400, error: 'unsupported_grant_type', description: `Invalid grant_type: ${params.grant_type ?? ''}` };
      }
      if (!params.assertion) return { status: 400, error: 'invalid_request', description: 'Missing required parameter: assertion' };
      let claims: ReturnType<typeof decodeJwt>;
      try {
        claims = decodeJwt(params.assertion);
      } catch {
        return invalidGrant('Invalid JWT: malformed');
      }
      const account = typeof claims.iss === 'string' ? accounts.get(claims.iss) : undefined;
      if (!account) return invalidGrant('Invalid grant: account not found');
      try {
        // Google checks signature and time window itself; a little clock skew is tolerated.
        await jwtVerify(params.assertion, account.publicKey, { algorithms: ['RS256'], currentDate: new Date(options.now()), clockTolerance: 300 });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
          return invalidGrant('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
        }
        return invalidGrant('Invalid JWT Signature.');
      }
      if (account.revoked) return invalidGrant('Invalid JWT Signature.');
      if (claims.aud !== tokenAudience) return invalidGrant('Invalid JWT: Failed audience check.');
      if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp - claims.iat > 3600) {
        return invalidGrant('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
      }
      const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
      if (scopes.length === 0) return { status: 400, error: 'invalid_scope', description: 'Invalid OAuth scope or ID token audience provided.' };
      const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
      // Without `sub` the service account acts as itself, and only delegation lets it act as someone.
      if (sub !== undefined && !isUser(sub)) return invalidGrant('Invalid email or User ID');
      if (!scopes.every((s) => account.delegated.has(s))) {
        return {
          status: 401,
          error: 'unauthorized_client',
          description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        };
      }
      const token = `ya29.${randomBytes(24).toString('base64url')}`;
      tokens.set(token, { clientEmail: account.key.client_email, sub: sub ?? account.key.client_email, scopes: new Set(scopes), expiresAt: options.now() + lifetime * 1000 });
      return { token, expiresIn: lifetime };
    },
    expireTokens() {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    lookup(authorization) {
      const value = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
      const token = value === undefined ? undefined : tokens.get(value);
      return token && token.expiresAt > options.now() ? token : undefined;
    },
  };
}
