import { randomBytes } from 'node:crypto';

/**
 * PayFit's two kinds of bearer token. A customer API key is made by an admin with chosen scopes
 * for one company. A partner token comes from the OAuth code flow: `/token` swaps a one-time
 * code for a token that never expires and has no refresh token; it dies when the customer
 * uninstalls, and issuing a new one for the same company and application kills the old one.
 */
export interface FakeKey {
  companyId: string;
  /** The client application; PayFit's rate limit counts per application, not per token. */
  clientId: string;
  scopes: Set<string>;
  active: boolean;
}

export interface PartnerApp {
  id: string;
  secret: string;
  redirectUri: string;
}

export const allScopes = [
  'collaborators:read',
  'collaborators:personal:read',
  'collaborators:contracts:read',
  'collaborators:management:read',
  'collaborators:bank-info:read',
  'collaborators:social-security:read',
  'collaborators:legal-identity:read',
  'contracts:read',
] as const;

export const defaultKey = 'pf_customer_key_0123456789abcdef';
export const defaultApp: PartnerApp = { id: 'rollcall-partner', secret: 'partner-secret', redirectUri: 'https://rollcall.example/payfit/callback' };

export interface FakeAuth {
  keys: Map<string, FakeKey>;
  /** An admin approves the partner app for a company: the code the redirect would carry. */
  authorize(companyId: string, scopes?: readonly string[], app?: PartnerApp): string;
  /** `POST /token`; returns the token or an OAuth error. */
  exchange(params: Record<string, string>): { token: string } | { status: number; error: string; description: string };
  /** The customer uninstalls the app: its token for that company stops working. */
  uninstall(companyId: string, clientId?: string): void;
  /** A bearer header → the live key, or undefined. */
  lookup(authorization: string | undefined): FakeKey | undefined;
}

export function createFakeAuth(companyId: string, options: { apps?: PartnerApp[]; keys?: Record<string, Partial<FakeKey>> } = {}): FakeAuth {
  const apps = new Map((options.apps ?? [defaultApp]).map((a) => [a.id, a]));
  const keys = new Map<string, FakeKey>(
    Object.entries(options.keys ?? { [defaultKey]: {} }).map(([token, k]) => [
      token,
      { companyId, clientId: 'customer-api', scopes: new Set(allScopes), active: true, ...k },
    ]),
  );
  const codes = new Map<string, { companyId: string; scopes: string[]; clientId: string; redirectUri: string }>();
  return {
    keys,
    authorize(company, scopes = allScopes, app = defaultApp) {
      const code = randomBytes(12).toString('hex');
      codes.set(code, { companyId: company, scopes: [...scopes], clientId: app.id, redirectUri: app.redirectUri });
      return code;
    },
    exchange(params) {
      const app = apps.get(params.client_id ?? '');
      if (!app || app.secret !== params.client_secret) return { status: 401, error: 'invalid_client', description: 'Client authentication failed' };
      if (params.grant_type !== 'authorization_code') return { status: 400, error: 'unsupported_grant_type', description: 'Only authorization_code is supported' };
      const grant = codes.get(params.code ?? '');
      if (!grant || grant.clientId !== app.id || grant.redirectUri !== params.redirect_uri) {
        return { status: 400, error: 'invalid_grant', description: 'Invalid authorization code or redirect_uri' };
      }
      codes.delete(params.code!);
      // One token per company and application at a time.
      for (const key of keys.values()) if (key.clientId === app.id && key.companyId === grant.companyId) key.active = false;
      const token = `pf_${randomBytes(24).toString('hex')}`;
      keys.set(token, { companyId: grant.companyId, clientId: app.id, scopes: new Set(grant.scopes), active: true });
      return { token };
    },
    uninstall(company, clientId = defaultApp.id) {
      for (const key of keys.values()) if (key.clientId === clientId && key.companyId === company) key.active = false;
    },
    lookup(authorization) {
      const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
      const key = token === undefined ? undefined : keys.get(token);
      return key?.active ? key : undefined;
    },
  };
}
