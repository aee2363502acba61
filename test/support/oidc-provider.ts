import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/**
 * A real OpenID provider on loopback (panva's oidc-provider, port 0): one confidential client with
 * PKCE required, an in-memory account store whose claims carry the Rollcall role and tenant, and a
 * small login page of our own (account name, Sign in or Cancel) that a browser or a test completes
 * over HTTP. Role and tenant are released with the `openid` scope and put in the ID token, as an
 * Okta or Entra app is set up to do.
 */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Account name → its claims (`rollcall_role`, `rollcall_tenant`, `email`, …); tests may add more. */
  accounts: Map<string, Record<string, unknown>>;
  /**
   * Rewrites the ID token in the token endpoint's next answers and signs it again, with the
   * provider's own key or a stranger's: an answer that looks right but must not pass.
   */
  tamperIdTokens(change?: { claims?: (claims: JWTPayload) => JWTPayload; foreignKey?: boolean }): void;
  close(): Promise<void>;
}

export const ROLE_CLAIM = 'rollcall_role';
export const TENANT_CLAIM = 'rollcall_tenant';

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function loginPage(uid: string, client: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to Test IdP</title></head><body><main>
<h1>Sign in to Test IdP</h1><p>${escape(client)} asks you to sign in.</p>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}"><label for="login">Account</label> <input id="login" name="login" autocomplete="username">
<button type="submit" name="action" value="login">Sign in</button> <button type="submit" name="action" value="cancel">Cancel</button></form></main></body></html>`;
}

/**
 * The provider's address (and client credentials) first, its redirect URIs later: a server process
 * is configured with the issuer before its own port, and so its redirect URI, is known. Nothing is
 * answered until `serve` (a client discovers lazily, at its first sign-in).
 */
export interface ListeningOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  serve(redirectUris: string[]): TestOidcProvider;
  close(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUris: string[]; accounts?: Record<string, Record<string, unknown>> }): Promise<TestOidcProvider> {
  return (await listenOidcProvider(options)).serve(options.redirectUris);
}

export async function listenOidcProvider(options: { accounts?: Record<string, Record<string, unknown>> } = {}): Promise<ListeningOidcProvider> {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const clientId = 'rollcall-console';
  const clientSecret = `secret-${randomUUID()}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-idp-key';
  const signingJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const stranger = (await generateKeyPair('RS256')).privateKey;
  let tamper: Parameters<TestOidcProvider['tamperIdTokens']>[0];

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  const serve = (redirectUris: string[]): TestOidcProvider => {
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [signingJwk as never] },
      cookies: { keys: ['test-idp-cookie-key'] },
      ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false } },
      claims: { openid: ['sub', ROLE_CLAIM, TENANT_CLAIM], email: ['email', 'email_verified'], profile: ['name'] },
      // Scope claims in the ID token itself, not only at the userinfo endpoint.
      conformIdTokenClaims: false,
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx, id) => {
        const claims = accounts.get(id);
        return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
      },
    });

    // Re-signs the ID token of a successful token response when a test asks for a bad one.
    provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
      await next();
      const body = ctx.body as { id_token?: string } | undefined;
      if (!tamper || ctx.path !== '/token' || ctx.status !== 200 || !body?.id_token) return;
      const header = decodeProtectedHeader(body.id_token);
      const claims = (tamper.claims ?? ((c) => c))(decodeJwt(body.id_token));
      const id_token = await new SignJWT(claims).setProtectedHeader({ alg: header.alg!, kid: header.kid! }).sign(tamper.foreignKey ? stranger : privateKey);
      ctx.body = { ...body, id_token };
    });

    const callback = provider.callback();
    const interaction = async (req: IncomingMessage, res: ServerResponse) => {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginPage(details.uid, String(details.params.client_id)));
      }
      const form = await readForm(req);
      if (form.get('action') === 'cancel') {
        return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person cancelled the sign-in' }, { mergeWithLastSubmission: false });
      }
      const accountId = form.get('login') ?? '';
      if (!accounts.has(accountId)) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginPage(details.uid, String(details.params.client_id), 'No such account'));
      }
      // Login and consent at once: the company's own app needs no consent screen.
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    };
    server.on('request', (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        interaction(req, res).catch((error: Error) => {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end(error.message);
        });
        return;
      }
      void callback(req, res);
    });

    return {
      issuer,
      clientId,
      clientSecret,
      accounts,
      tamperIdTokens: (change) => {
        tamper = change;
      },
      close,
    };
  };
  return { issuer, clientId, clientSecret, serve, close };
}
