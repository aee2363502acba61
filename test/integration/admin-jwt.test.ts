import { createHmac } from 'node:crypto';
import { exportSPKI } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAdminVerifier, signAdminToken, type Role } from '../../src/auth/admin-jwt.js';
import { startHarness, TEST_SECRET_KEY, type Harness } from '../support/harness.js';
import { testEgress } from '../support/egress.js';
import { createSigningKey, signWith, startJwksServer, type JwksServer, type SigningKey } from '../support/jwks-server.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'rollcall-admin-api';
const idp = { iss: ISSUER, aud: AUDIENCE };
const ADMIN_OF_ACME = { rollcall_role: 'admin', rollcall_tenant: 'acme' };

let h: Harness;
let jwks: JwksServer;
let rsa1: SigningKey;
let ec1: SigningKey;
let stranger: SigningKey;

beforeAll(async () => {
  [rsa1, ec1, stranger] = await Promise.all([createSigningKey('RS256', 'rsa-1'), createSigningKey('ES256', 'ec-1'), createSigningKey('RS256', 'stranger')]);
  jwks = await startJwksServer([rsa1, ec1]);
  h = await startHarness({
    adminVerify: createAdminVerifier(TEST_SECRET_KEY, { issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url, roleClaim: 'rollcall_role', tenantClaim: 'rollcall_tenant', fetch: testEgress.fetch }),
  });
});
afterAll(async () => {
  await h.close();
  await jwks.close();
});

const me = (token: string) => h.http.get('/admin/v1/me').set('authorization', `Bearer ${token}`);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: AUDIENCE, sub: 'mallory', iat: now(), exp: now() + 300, rollcall_role: 'operator', ...extra });
/** HS256 by hand, so the key can be anything at all (e.g. the bytes of a public key). */
const hs256 = (header: object, payload: object, key: Buffer | string) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
};

function expect401(res: { status: number; headers: Record<string, string>; body: Record<string, unknown>; text: string }) {
  expect(res.status, res.text).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 401, code: 'unauthorized' });
}

describe('tokens from the identity provider', () => {
  it('an RS256 token maps its role and tenant claims, and the role binds to that tenant', async () => {
    const token = await signWith(rsa1, ADMIN_OF_ACME, idp);
    const res = await me(token);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ subject: 'alice@example.test', role: 'admin', tenant: 'acme', issuer: ISSUER });
    expect((await h.http.get('/admin/v1/tenants/acme/tokens').set('authorization', `Bearer ${token}`)).status).toBe(200);
    expect((await h.http.get('/admin/v1/tenants/globex/tokens').set('authorization', `Bearer ${token}`)).status).toBe(403);
  });

  it.each([
    ['auditor', { rollcall_role: 'auditor', rollcall_tenant: 'globex' }, { role: 'auditor', tenant: 'globex' }],
    ['operator', { rollcall_role: 'operator' }, { role: 'operator' }],
  ])('an ES256 %s token is accepted', async (_, payload, expected) => {
    const res = await me(await signWith(ec1, payload, idp));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ subject: 'alice@example.test', issuer: ISSUER, ...expected });
  });

  const rejected: [string, () => Promise<string>][] = [
    ['an unknown kid', () => signWith(stranger, ADMIN_OF_ACME, idp)],
    ['a known kid signed by another key', () => signWith({ ...stranger, kid: rsa1.kid }, ADMIN_OF_ACME, idp)],
    ['a wrong issuer', () => signWith(rsa1, ADMIN_OF_ACME, { ...idp, iss: 'https://evil.example.test/' })],
    ['a wrong audience', () => signWith(rsa1, ADMIN_OF_ACME, { ...idp, aud: 'someone-else' })],
    ['an expired token', () => signWith(rsa1, ADMIN_OF_ACME, { ...idp, expiresIn: now() - 120 })],
    ['no role claim', () => signWith(rsa1, { rollcall_tenant: 'acme' }, idp)],
    ['an unknown role', () => signWith(rsa1, { rollcall_role: 'superuser', rollcall_tenant: 'acme' }, idp)],
    ['an admin without a tenant claim', () => signWith(rsa1, { rollcall_role: 'admin' }, idp)],
    ['alg none from the IdP issuer', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['alg none from the own issuer', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims({ iss: 'rollcall', aud: 'rollcall-admin', role: 'operator' }))}.`],
    ['HS256 keyed with the IdP RSA public key (PEM)', async () => hs256({ alg: 'HS256', kid: rsa1.kid, typ: 'JWT' }, claims(), await exportSPKI(rsa1.publicKey))],
    ['HS256 keyed with the IdP RSA public key (JWK JSON)', async () => hs256({ alg: 'HS256', kid: rsa1.kid }, claims(), JSON.stringify(rsa1.jwk))],
    [
      'own-issuer HS256 keyed with the IdP public key',
      async () => hs256({ alg: 'HS256' }, claims({ iss: 'rollcall', aud: 'rollcall-admin', role: 'operator' }), await exportSPKI(rsa1.publicKey)),
    ],
    ['an own-issuer token signed with a wrong secret', () => signAdminToken(Buffer.alloc(32, 1), { subject: 'x', role: 'operator', ttlSeconds: 300 })],
    [
      'a valid token whose payload was altered',
      async () => {
        const [header, , signature] = (await signWith(rsa1, { rollcall_role: 'auditor', rollcall_tenant: 'acme' }, idp)).split('.');
        return `${header}.${b64(claims({ sub: 'alice@example.test' }))}.${signature}`;
      },
    ],
  ];
  it.each(rejected)('refuses %s with 401', async (_, make) => {
    expect401(await me(await make()));
  });
});

describe('tokens of the installation itself', () => {
  it.each<[Role, string | undefined]>([
    ['operator', undefined],
    ['admin', 'acme'],
    ['auditor', 'globex'],
  ])('a %s token is accepted alongside the IdP', async (role, tenant) => {
    const token = await signAdminToken(TEST_SECRET_KEY, { subject: 'cli', role, ...(tenant ? { tenant } : {}), ttlSeconds: 300 });
    const res = await me(token);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ subject: 'cli', role, issuer: 'rollcall', ...(tenant ? { tenant } : {}) });
  });
});

describe('signing key rotation at the identity provider', () => {
  it('picks up new keys and drops removed ones, on an unknown kid and when the cached set ages out', async () => {
    // The verifier refetches for an unknown kid at most every 30 s and re-reads its cache after
    // 10 min; moving Date.now (which only the key-set cache reads) stands in for that wait.
    const realNow = Date.now.bind(Date);
    let offset = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
    try {
      expect((await me(await signWith(rsa1, ADMIN_OF_ACME, idp))).status).toBe(200);
      const rsa2 = await createSigningKey('RS256', 'rsa-2');
      jwks.serve([rsa2, ec1]);
      offset += 31_000;
      const before = jwks.fetches;
      const fresh = await me(await signWith(rsa2, ADMIN_OF_ACME, idp));
      expect(fresh.status, fresh.text).toBe(200);
      expect(jwks.fetches).toBeGreaterThan(before);
      expect401(await me(await signWith(rsa1, ADMIN_OF_ACME, idp)));
      expect((await me(await signWith(ec1, ADMIN_OF_ACME, idp))).status).toBe(200);

      // Second rotation with no unknown kid to trigger a fetch: the aged cache must be re-read.
      const ec2 = await createSigningKey('ES256', 'ec-2');
      jwks.serve([ec2]);
      offset += 11 * 60_000;
      expect401(await me(await signWith(ec1, ADMIN_OF_ACME, idp)));
      expect401(await me(await signWith(rsa2, ADMIN_OF_ACME, idp)));
      expect((await me(await signWith(ec2, ADMIN_OF_ACME, idp))).status).toBe(200);
    } finally {
      clock.mockRestore();
    }
  });
});
