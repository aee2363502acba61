import { hkdfSync } from 'node:crypto';
import { createRemoteJWKSet, customFetch, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
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

export async function signAdminToken(
  secretKey: Buffer,
  claims: { subject: string; role: Role; tenant?: string; ttlSeconds: number },
): Promise<string> {
  if (claims.role !== 'operator' && !claims.tenant) throw new DomainError('invalid_value', `Role ${claims.role} needs a tenant`);
  return new SignJWT({ role: claims.role, ...(claims.tenant ? { tenant: claims.tenant } : {}) })
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
export function createAdminVerifier(secretKey: Buffer, idp?: ExternalIdp) {
  const ownKey = adminSigningKey(secretKey);
  const jwks = idp ? createRemoteJWKSet(new URL(idp.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, [customFetch]: idp.fetch as never }) : undefined;

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
        return principalFrom(payload, 'role', 'tenant', OWN_ISSUER);
      }
      if (idp && jwks && issuer === idp.issuer) {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: idp.issuer,
          audience: idp.audience,
          algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
        });
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
