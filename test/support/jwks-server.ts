import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyPair['privateKey'];
  publicKey: KeyPair['publicKey'];
  /** The public key as published (with kid, alg and use). */
  jwk: JWK;
}

export async function createSigningKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** Signs a token the way an IdP would: the key's alg and kid in the header. */
export function signWith(key: SigningKey, payload: JWTPayload, claims: { iss: string; aud: string; sub?: string; expiresIn?: string | number }) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setSubject(claims.sub ?? 'alice@example.test')
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '5m')
    .sign(key.privateKey);
}

/**
 * A stand-in for a company identity provider's key endpoint: a real HTTP server on 127.0.0.1
 * serving a JWKS whose keys can be swapped while it runs, to exercise signing-key rotation.
 */
export interface JwksServer {
  /** URL of the key set, e.g. http://127.0.0.1:PORT/.well-known/jwks.json */
  url: string;
  /** How many times the key set has been fetched. */
  readonly fetches: number;
  /** Replaces the served keys (a rotation: add the new key, drop the old one). */
  serve(keys: SigningKey[]): void;
  close(): Promise<void>;
}

export async function startJwksServer(initial: SigningKey[]): Promise<JwksServer> {
  let keys = initial;
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetches() {
      return fetches;
    },
    serve: (next) => {
      keys = next;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
