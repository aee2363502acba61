import { createAdaptorServer } from '@hono/node-server';
import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { createAdminVerifier, type AdminVerifier } from '../../src/auth/admin-jwt.js';
import { createScimToken, createTokenVerifier } from '../../src/auth/scim-tokens.js';
import { createLogger } from '../../src/log.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** The secret key of every harness; admin JWTs for tests are signed with it (`signAdminToken`). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7);

export interface Harness {
  db: TestDatabase;
  http: ReturnType<typeof supertest>;
  tenantId: string;
  token: string;
  /** A second tenant with its own token, for isolation checks. */
  other: { tenantId: string; token: string };
  close(): Promise<void>;
}

/** The whole app over real HTTP (supertest on a node server) against an isolated test database. */
export async function startHarness(
  options: { bodyLimit?: number; maxResults?: number; adminVerify?: AdminVerifier } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  const tenant = await createTenant(db.db, 'acme');
  const other = await createTenant(db.db, 'globex');
  const token = await createScimToken(db.db, tenant.id, { name: 'test' });
  const otherToken = await createScimToken(db.db, other.id, { name: 'test' });
  const app = createApp({
    database: db,
    env: { BODY_LIMIT: options.bodyLimit ?? 1024 * 1024, SCIM_MAX_RESULTS: options.maxResults ?? 1000, PUBLIC_URL: 'https://rollcall.test' },
    log: createLogger('silent'),
    tokens: createTokenVerifier(db.db, { cacheMs: 0 }),
    secretKey: TEST_SECRET_KEY,
    admin: { verify: options.adminVerify ?? createAdminVerifier(TEST_SECRET_KEY) },
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  return {
    db,
    http: supertest(server),
    tenantId: tenant.id,
    token: token.secret,
    other: { tenantId: other.id, token: otherToken.secret },
    close: async () => {
      server.close();
      await db.drop();
    },
  };
}

export const SCIM = 'application/scim+json';
