import { createAdaptorServer } from '@hono/node-server';
import supertest from 'supertest';
import { createBackground, type Background } from '../../src/admin/background.js';
import { createApp } from '../../src/app.js';
import { createAdminVerifier, type AdminVerifier } from '../../src/auth/admin-jwt.js';
import { adminTokenRevocations } from '../../src/auth/admin-revocations.js';
import { createScimToken, createTokenVerifier } from '../../src/auth/scim-tokens.js';
import type { ConnectionDeps } from '../../src/connections/service.js';
import type { Egress } from '../../src/egress/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { AuthGuard } from '../../src/auth/auth-failures.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testAllowedBaseUrls, testEgress } from './egress.js';

/** The secret key of every harness; admin JWTs for tests are signed with it (`signAdminToken`). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7);

export interface Harness {
  db: TestDatabase;
  http: ReturnType<typeof supertest>;
  tenantId: string;
  token: string;
  /** A second tenant with its own token, for isolation checks. */
  other: { tenantId: string; token: string };
  /** What the admin API's connection routes run with; runs answered 202 go on in `background`. */
  connections: ConnectionDeps;
  background: Background;
  /** The node server under `http`, for tests that speak raw HTTP (listen on port 0). */
  server: ReturnType<typeof createAdaptorServer>;
  close(): Promise<void>;
}

/** The whole app over real HTTP (supertest on a node server) against an isolated test database. */
export async function startHarness(
  options: {
    bodyLimit?: number;
    maxResults?: number;
    adminVerify?: AdminVerifier;
    /** Failed-authentication limit per client address (none by default), and where logs go. */
    authGuard?: AuthGuard;
    log?: Logger;
    /** Connector factory and clock for HR connections, e.g. `fastBambooHr(fake)` and `fakeNow(fake)`. */
    sync?: Partial<Pick<ConnectionDeps, 'connectors' | 'now' | 'batchSize' | 'leaseSeconds' | 'allowedBaseUrls'>>;
    /** Where outbound requests may go (HR and webhooks); the suite's loopback allowance by default. */
    egress?: Egress;
  } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  const tenant = await createTenant(db.db, 'acme');
  const other = await createTenant(db.db, 'globex');
  const token = await createScimToken(db.db, tenant.id, { name: 'test' });
  const otherToken = await createScimToken(db.db, other.id, { name: 'test' });
  // Loopback fakes and receivers are reached through the allow-lists, as an operator would allow them.
  const connections: ConnectionDeps = { db: db.db, secretKey: TEST_SECRET_KEY, owner: 'test-harness', leaseSeconds: 60, egress: options.egress ?? testEgress, allowedBaseUrls: testAllowedBaseUrls, ...options.sync };
  const background = createBackground();
  const app = createApp({
    database: db,
    env: { BODY_LIMIT: options.bodyLimit ?? 1024 * 1024, SCIM_MAX_RESULTS: options.maxResults ?? 1000, PUBLIC_URL: 'https://rollcall.test' },
    log: options.log ?? createLogger('silent'),
    tokens: createTokenVerifier(db.db, { cacheMs: 0, unknownCacheMs: 0 }),
    ...(options.authGuard ? { authGuard: options.authGuard } : {}),
    secretKey: TEST_SECRET_KEY,
    admin: {
      verify: options.adminVerify ?? createAdminVerifier(TEST_SECRET_KEY, undefined, { isRevoked: adminTokenRevocations(db.db) }),
      connections,
      background,
      webhooks: { secretKey: TEST_SECRET_KEY, timeoutMs: 2_000, egress: (options.egress ?? testEgress).policy },
    },
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  return {
    db,
    http: supertest(server),
    tenantId: tenant.id,
    token: token.secret,
    other: { tenantId: other.id, token: otherToken.secret },
    connections,
    background,
    server,
    close: async () => {
      server.close();
      await background.idle();
      await db.drop();
    },
  };
}

export const SCIM = 'application/scim+json';
