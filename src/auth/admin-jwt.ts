import { hkdfSync, randomUUID } from 'node:crypto';
import { createRemoteJWKSet, customFetch, errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '../../scim/errors.js';

export const ROLES = ['operator', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling the admin API: an operator for every tenant, or an admin/auditor of one tenant (by slug). */
export interface AdminPrincipal {
  subject: string;
  role: Role;
  tenant?: string;
  issuer: string;
}

const OWN_ISSUER = 'rollcall';
const OWN_AUDIENCE = 'rollcall-admin';

/** Admin tokens are HS256 under a key derived from the secret key, so they need no key of their own. */
export const adminSigningKey = (secretKey: Buffer) =>
  new Uint8Array(hkdfSync('sha256', secretKey, new Uint8Array(), 'rollcall admin jwt v1', 32));

/** The longest an admin JWT Rollcall issues may live, unless ADMIN_TOKEN_MAX_TTL_HOURS says otherwise. */
export const DEFAULT_MAX_TTL_SECONDS = 24 * 3600;
/** Clock skew allowed between the signer's `iat`/`exp` and the lifetime check. */
const SKEW_SECONDS = 60;

/**
 * Signs an admin JWT with a `jti` (so it can be revoked) and a lifetime no longer than
 * `maxTtlSeconds` (so a leaked one does not work for ever).
 */
export async function signAdminToken(
  secretKey: Buffer,
  claims: { subject: string; role: Role; tenant?: string; ttlSeconds: number },
  maxTtlSeconds = DEFAULT_MAX_TTL_SECONDS,
): Promise<string> {
  if (claims.role !== 'operator' && !claims.tenant) throw new DomainError('invalid_value', `Role ${claims.role} needs a tenant`);
  if (!Number.isFinite(claims.ttlSeconds) || claims.ttlSeconds > maxTtlSeconds) {
    throw new DomainError('invalid_value', `The lifetime must be at most ${maxTtlSeconds} s (ADMIN_TOKEN_MAX_TTL_HOURS)`);
  }
  return new SignJWT({ role: claims.role, ...(claims.tenant ? { tenant: claims.tenant } : {}) })
    .setJti(randomUUID())
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(OWN_ISSUER)
    .setAudience(OWN_AUDIENCE)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + claims.ttlSeconds)
    .sign(adminSigningKey(secretKey));
}

export interface ExternalIdp {
  issuer: string;
  audience: string;
  jwksUrl: string;
  roleClaim: string;
  tenantClaim: string;
  /** The egress policy's fetch (EGRESS_ALLOWED): the key set is fetched like any outbound request. */
  fetch: typeof fetch;
}

const unauthorized = (detail: string) => new DomainError('unauthorized', detail);

function principalFrom(payload: JWTPayload, roleClaim: string, tenantClaim: string, issuer: string): AdminPrincipal {
  const role = payload[roleClaim];
  const tenant = payload[tenantClaim];
  if (typeof role !== 'string' || !ROLES.includes(role as Role)) throw unauthorized(`The token has no valid ${roleClaim} claim (${ROLES.join(', ')})`);
  if (role !== 'operator' && typeof tenant !== 'string') throw unauthorized(`Role ${role} needs a ${tenantClaim} claim`);
  return {
    subject: typeof payload.sub === 'string' ? payload.sub : 'unknown',
    role: role as Role,
    ...(role !== 'operator' ? { tenant: tenant as string } : {}),
    issuer,
  };
}

/**
 * Verifies admin bearer JWTs from either source. The algorithm lists are explicit, so `alg: none`
 * and algorithm confusion (an HS256 token signed with a public key) are refused by construction.
 */
export interface AdminVerifierOptions {
  /** Whether a `jti` was revoked (`rollcall admin-token revoke`); without it nothing is. */
  isRevoked?(jti: string): Promise<boolean>;
  /** Own tokens living longer than this (from `iat` to `exp`) are refused. */
  maxTtlSeconds?: number;
}

/**
 * The identity provider's keys, refetched at once when a token names a `kid` not in the cached set:
 * a key the provider has just published works on the first request that uses it. jose alone waits
 * out a 30 s cooldown; here a forced refetch happens at most once a second, so made-up kids cannot
 * turn the service into a load generator against the provider.
 */
function providerKeys(url: URL, fetchKeys: typeof fetch): JWTVerifyGetKey {
  // The key set is fetched through the egress policy like any outbound request.
  const remote = createRemoteJWKSet(url, { timeoutDuration: 5000, cooldownDuration: 30_000, [customFetch]: fetchKeys as never });
  let forcedAt = 0;
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - forcedAt < 1000) throw error;
      forcedAt = Date.now();
      await remote.reload();
      return remote(header, token);
    }
  };
}

export function createAdminVerifier(secretKey: Buffer, idp?: ExternalIdp, options: AdminVerifierOptions = {}) {
  const ownKey = adminSigningKey(secretKey);
  const jwks = idp ? providerKeys(new URL(idp.jwksUrl), idp.fetch) : undefined;
  const maxTtl = options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
  const notRevoked = async (payload: JWTPayload) => {
    if (typeof payload.jti === 'string' && options.isRevoked && (await options.isRevoked(payload.jti))) throw unauthorized('The token has been revoked');
  };

  return async function verify(authorization: string | undefined): Promise<AdminPrincipal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw unauthorized('Authorization: Bearer <admin JWT> is required');
    const token = match[1]!;
    let issuer: unknown;
    try {
      issuer = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).iss;
    } catch {
      throw unauthorized('The bearer token is not a JWT');
    }
    try {
      if (issuer === OWN_ISSUER) {
        const { payload } = await jwtVerify(token, ownKey, { issuer: OWN_ISSUER, audience: OWN_AUDIENCE, algorithms: ['HS256'] });
        // Every token Rollcall issues has a jti and a bounded lifetime; one without could never be revoked.
        if (typeof payload.jti !== 'string') throw unauthorized('The token has no jti; issue a new one with rollcall admin-token');
        if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp - payload.iat > maxTtl + SKEW_SECONDS) {
          throw unauthorized(`The token lives longer than the maximum of ${maxTtl} s`);
        }
        await notRevoked(payload);
        return principalFrom(payload, 'role', 'tenant', OWN_ISSUER);
      }
      if (idp && jwks && issuer === idp.issuer) {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: idp.issuer,
          audience: idp.audience,
          algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
        });
        await notRevoked(payload);
        return principalFrom(payload, idp.roleClaim, idp.tenantClaim, idp.issuer);
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw unauthorized(describe(error));
    }
    throw unauthorized('The token was not issued by a trusted issuer');
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'No signing key matches the token (unknown kid)';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm that is not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is not valid';
  if (error instanceof errors.JWKSTimeout) return 'The identity provider keys could not be fetched in time';
  return 'The token is not valid';
}

export type AdminVerifier = ReturnType<typeof createAdminVerifier>;
