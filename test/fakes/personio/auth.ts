import { randomBytes } from 'node:crypto';

/** One API credential as the fake knows it. */
export interface FakeCredential {
  secret: string;
  /** v1 attribute keys (e.g. `email`, `dynamic_21827`) or v2 fields (`email`, `employment.supervisor`) left out of answers. */
  hidden?: string[];
  /** `none`: authenticates, but may read no employee data (403). */
  access?: 'full' | 'none';
  /** v2 scopes; both by default. */
  scopes?: Array<'persons' | 'employments'>;
}

export interface TokenStore {
  issue(clientId: string): { token: string; expiresIn: number };
  /** The credential behind a bearer header, or why there is none. */
  check(authorization: string | undefined): { clientId: string } | 'missing' | 'invalid';
  /** Every token issued so far stops working (a rotated secret, Personio's own expiry). */
  revokeAll(): void;
  readonly issued: number;
  ttlS: number;
}

/** Tokens are stable for `ttlS` and may be used in parallel, as Personio's are. */
export function createTokenStore(now: () => number, ttlS: number): TokenStore {
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  let issued = 0;
  return {
    ttlS,
    issue(clientId) {
      const token = `papi-${randomBytes(12).toString('hex')}`;
      tokens.set(token, { clientId, expiresAt: now() + this.ttlS * 1000 });
      issued++;
      return { token, expiresIn: this.ttlS };
    },
    check(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match) return 'missing';
      const entry = tokens.get(match[1]!);
      if (!entry || entry.expiresAt <= now()) return 'invalid';
      return { clientId: entry.clientId };
    },
    revokeAll: () => tokens.clear(),
    get issued() {
      return issued;
    },
  };
}

/** Reads `client_id`/`client_secret` from a JSON or form body, as v1's auth accepts both. */
export function readClientCredentials(body: string, contentType: string | undefined): { id: string; secret: string } | undefined {
  let fields: Record<string, unknown> = {};
  try {
    fields = (contentType ?? '').includes('json') ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
  } catch {
    return undefined;
  }
  const id = fields.client_id;
  const secret = fields.client_secret;
  return typeof id === 'string' && id && typeof secret === 'string' && secret ? { id, secret } : undefined;
}
