import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScimToken, createTokenVerifier, revokeScimToken } from '../../src/auth/scim-tokens.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** The verifier's cache: concurrent misses share a lookup; forget() drops what is cached. */
let db: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  tenantId = (await createTenant(db.db, 'acme')).id;
});
afterAll(() => db.drop());

describe('token verifier', () => {
  it('answers concurrent requests on a cold cache alike, valid and invalid', async () => {
    const token = await createScimToken(db.db, tenantId, { name: 'okta' });
    const verifier = createTokenVerifier(db.db);
    const results = await Promise.all(Array.from({ length: 16 }, () => verifier.verify(`Bearer ${token.secret}`)));
    expect(results.every((r) => r.tokenId === token.id && r.tenantId === tenantId)).toBe(true);
    const bad = await Promise.allSettled(Array.from({ length: 4 }, () => verifier.verify('Bearer rc_scim_nope')));
    expect(bad.map((b) => b.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  });

  it('forget() makes a revocation apply to the next request despite a long cache', async () => {
    const token = await createScimToken(db.db, tenantId, { name: 'entra' });
    const verifier = createTokenVerifier(db.db, { cacheMs: 60_000 });
    await verifier.verify(`Bearer ${token.secret}`);
    await revokeScimToken(db.db, tenantId, token.id);
    await expect(verifier.verify(`Bearer ${token.secret}`)).resolves.toMatchObject({ tokenId: token.id });
    verifier.forget();
    await expect(verifier.verify(`Bearer ${token.secret}`)).rejects.toThrow(/revoked/);
  });
});
