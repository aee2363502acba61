import { Writable } from 'node:stream';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeAdmin } from '../../src/admin/invoke.js';
import { adminSigningKey, createAdminVerifier, signAdminToken } from '../../src/auth/admin-jwt.js';
import { createAuthGuard } from '../../src/auth/auth-failures.js';
import { createTokenVerifier, hashSecret, TOKEN_PREFIX } from '../../src/auth/scim-tokens.js';
import { scimTokens } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import { createSigningKey, signWith, startJwksServer, type JwksServer, type SigningKey } from '../support/jwks-server.js';
import { testEgress } from '../support/egress.js';
import { startHarness, TEST_SECRET_KEY, type Harness } from '../support/harness.js';

/** Log lines as parsed JSON, captured from a real pino logger. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { lines, raw, log: createLogger('info', stream) };
}

const operatorToken = (ttlSeconds = 600) => signAdminToken(TEST_SECRET_KEY, { subject: 'ops', role: 'operator', ttlSeconds });

describe('failed attempts are limited per client address', () => {
  let h: Harness;
  let clock = 1_000_000;
  const logs = capture();
  beforeAll(async () => {
    h = await startHarness({ authGuard: createAuthGuard({ maxFailures: 4, windowMs: 60_000, log: logs.log, now: () => clock }), log: logs.log });
  });
  afterAll(() => h.close());

  it('bad SCIM tokens and admin JWTs count together; past the limit even a good token is 429 with Retry-After until the window ends', async () => {
    const guesses = [`${TOKEN_PREFIX}guess-one-secret`, `${TOKEN_PREFIX}guess-two-secret`];
    for (const guess of guesses) expect((await h.http.get('/scim/v2/Users').set('authorization', `Bearer ${guess}`)).status).toBe(401);
    expect((await h.http.get('/admin/v1/me').set('authorization', 'Bearer not.a.jwt')).status).toBe(401);
    expect((await h.http.get('/events').set('authorization', `Bearer ${guesses[0]}`)).status).toBe(401);

    const blocked = await h.http.get('/scim/v2/Users').set('authorization', `Bearer ${h.token}`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toMatchObject({ status: '429' });
    const admin = await h.http.get('/admin/v1/me').set('authorization', `Bearer ${await operatorToken()}`);
    expect(admin.status).toBe(429);
    expect(admin.headers['content-type']).toMatch(/problem\+json/);
    expect(admin.headers['retry-after']).toBeDefined();

    clock += 60_001;
    expect((await h.http.get('/scim/v2/Users').set('authorization', `Bearer ${h.token}`)).status).toBe(200);

    // Warned with the address, and the presented secrets appear nowhere in the log.
    const warnings = logs.lines.filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual(['repeated authentication failures', 'authentication failures over the limit; address blocked']);
    expect(String(warnings[0]!.client)).toMatch(/127\.0\.0\.1/);
    for (const guess of guesses) expect(logs.raw.join('\n')).not.toContain(guess);
    expect(logs.raw.join('\n')).not.toContain(h.token);
  });

  it('successful requests never count', async () => {
    clock += 120_000;
    for (let i = 0; i < 10; i++) expect((await h.http.get('/scim/v2/Users').set('authorization', `Bearer ${h.token}`)).status).toBe(200);
  });
});

describe('unknown tokens are cached briefly', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('a secret that matched nothing is answered from memory, not the database, until the cache lapses or is dropped', async () => {
    const verifier = createTokenVerifier(h.db.db, { unknownCacheMs: 60_000 });
    const secret = `${TOKEN_PREFIX}${'z'.repeat(43)}`;
    await expect(verifier.verify(`Bearer ${secret}`)).rejects.toMatchObject({ code: 'unauthorized' });
    // The row appears behind the verifier's back: only a database query could see it.
    await h.db.db.insert(scimTokens).values({ id: '01900000-0000-7000-8000-000000000001', tenantId: h.tenantId, name: 'late', prefix: secret.slice(0, 14), secretHash: hashSecret(secret) });
    await expect(verifier.verify(`Bearer ${secret}`)).rejects.toMatchObject({ code: 'unauthorized' });
    verifier.forget();
    await expect(verifier.verify(`Bearer ${secret}`)).resolves.toMatchObject({ tenantId: h.tenantId });
  });
});

describe('admin JWTs Rollcall issues', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  const me = (token: string) => h.http.get('/admin/v1/me').set('authorization', `Bearer ${token}`);

  it('carry a jti and can be revoked, by the API (and the CLI, through the same route), effective on the next request', async () => {
    const token = await operatorToken();
    const other = await operatorToken();
    expect(typeof decodeJwt(token).jti).toBe('string');
    expect(decodeJwt(token).jti).not.toBe(decodeJwt(other).jti);
    expect((await me(token)).status).toBe(200);

    const res = await h.http.post('/admin/v1/admin-tokens/revoke').set('authorization', `Bearer ${other}`).send({ token });
    expect(res.status, res.text).toBe(200);
    expect(res.body.jti).toBe(decodeJwt(token).jti);
    const refused = await me(token);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
    expect((await me(other)).status).toBe(200);

    // `rollcall admin-token revoke <jti>` runs this route in-process.
    await invokeAdmin(h.db, 'post', '/admin-tokens/revoke', { body: { jti: decodeJwt(other).jti } });
    expect((await me(other)).status).toBe(401);
  });

  it('have a maximum lifetime: none is signed longer, and a longer-lived or jti-less one is refused', async () => {
    await expect(signAdminToken(TEST_SECRET_KEY, { subject: 'x', role: 'operator', ttlSeconds: 25 * 3600 })).rejects.toThrow(/lifetime/);
    const key = adminSigningKey(TEST_SECRET_KEY);
    const forge = (jti: boolean, ttl: number) => {
      const jwt = new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('rollcall').setAudience('rollcall-admin').setSubject('x').setIssuedAt();
      return (jti ? jwt.setJti('j-1') : jwt).setExpirationTime(Math.floor(Date.now() / 1000) + ttl).sign(key);
    };
    expect((await me(await forge(true, 30 * 24 * 3600))).body.detail).toMatch(/longer than the maximum/);
    expect((await me(await forge(false, 600))).body.detail).toMatch(/no jti/);
    expect((await me(await forge(true, 600))).status).toBe(200);
  });
});

describe('signing keys at the identity provider', () => {
  let jwks: JwksServer;
  let first: SigningKey;
  beforeAll(async () => {
    first = await createSigningKey('RS256', 'k-1');
    jwks = await startJwksServer([first]);
  });
  afterAll(() => jwks.close());

  it('a newly published key works on the first request that carries its kid', async () => {
    const idp = { issuer: 'https://idp.test', audience: 'rollcall', jwksUrl: jwks.url, roleClaim: 'rollcall_role', tenantClaim: 'rollcall_tenant', fetch: testEgress.fetch };
    const verify = createAdminVerifier(TEST_SECRET_KEY, idp);
    const claims = { iss: idp.issuer, aud: idp.audience };
    await expect(verify(`Bearer ${await signWith(first, { rollcall_role: 'operator' }, claims)}`)).resolves.toMatchObject({ role: 'operator' });
    const second = await createSigningKey('ES256', 'k-2');
    jwks.serve([first, second]);
    const before = jwks.fetches;
    await expect(verify(`Bearer ${await signWith(second, { rollcall_role: 'operator' }, claims)}`)).resolves.toMatchObject({ role: 'operator' });
    expect(jwks.fetches).toBe(before + 1);
  });

  it('a revoked jti from the identity provider is refused too', async () => {
    const idp = { issuer: 'https://idp.test', audience: 'rollcall', jwksUrl: jwks.url, roleClaim: 'rollcall_role', tenantClaim: 'rollcall_tenant', fetch: testEgress.fetch };
    const revoked = new Set(['idp-jti-1']);
    const verify = createAdminVerifier(TEST_SECRET_KEY, idp, { isRevoked: async (jti) => revoked.has(jti) });
    const token = await signWith(first, { rollcall_role: 'operator', jti: 'idp-jti-1' }, { iss: idp.issuer, aud: idp.audience });
    await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

