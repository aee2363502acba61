import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createBackground } from '../../src/admin/background.js';
import { createApp } from '../../src/app.js';
import { createAdminVerifier } from '../../src/auth/admin-jwt.js';
import type { AuthGuard } from '../../src/auth/auth-failures.js';
import type { ConsoleOidc } from '../../src/auth/console-oidc.js';
import { createTokenVerifier } from '../../src/auth/scim-tokens.js';
import type { ConnectionDeps } from '../../src/connections/service.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createTenant, type Tenant } from '../../src/tenants/tenants.js';
import { startFakeBambooHr, type FakeBambooHr, type FakeBambooHrOptions } from '../fakes/bamboohr/server.js';
import { bearerFor } from './admin-fixtures.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testEgress } from './egress.js';
import { TEST_SECRET_KEY } from './keys.js';
import { fakeNow, testConnectionDeps, fastBambooHr } from './sync-fixture.js';

/**
 * The whole app listening on 127.0.0.1 (port 0) for a real browser, on the store the suite runs
 * on, with a fake BambooHR the connectors reach over loopback. Two tenants: acme and globex.
 */
export interface ConsoleServer {
  url: string;
  db: TestDatabase;
  fake: FakeBambooHr;
  acme: Tenant;
  globex: Tenant;
  connections: ConnectionDeps;
  /** The app itself, for requests a loopback server cannot make (an https origin). */
  fetch(request: Request): Promise<Response>;
  /** A setup link made through the admin API, as the app on top would. */
  setupLink(slug: string, body?: Record<string, unknown>): Promise<{ url: string; id: string; expiresAt: string }>;
  /** An admin API call with an operator's JWT. */
  adminFetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface ConsoleServerOptions {
  fake?: FakeBambooHrOptions;
  idleMinutes?: number;
  /** Sign-in with an identity provider, made once the console's own URL (its redirect URI) is known. */
  oidc?: (consoleUrl: string) => Promise<ConsoleOidc>;
  /** The failed-authentication limit; with `trustProxy`, a test names its client address in X-Forwarded-For. */
  authGuard?: AuthGuard;
  trustProxy?: boolean;
  /** Where the app logs; silent when absent. */
  log?: Logger;
}

export async function startConsoleServer(options: ConsoleServerOptions = {}): Promise<ConsoleServer> {
  const db = await createTestDatabase();
  const acme = await createTenant(db.db, 'acme', 'Acme Corp');
  const globex = await createTenant(db.db, 'globex', 'Globex');
  const fake = await startFakeBambooHr(options.fake);
  const connections: ConnectionDeps = { ...testConnectionDeps(db.db, fastBambooHr(fake), fakeNow(fake)), batchSize: 500 };
  const background = createBackground();
  // Listening first: the URL is part of the app's configuration (the identity provider's redirect URI).
  let app: ReturnType<typeof createApp> | undefined;
  const server = createAdaptorServer({ fetch: (request: Request, ...rest: unknown[]) => app!.fetch(request, ...rest) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = createApp({
    database: db,
    env: { BODY_LIMIT: 1024 * 1024, SCIM_MAX_RESULTS: 1000, CONSOLE_IDLE_MINUTES: options.idleMinutes ?? 30, TRUST_PROXY: options.trustProxy ?? false },
    ...(options.oidc ? { consoleOidc: await options.oidc(url) } : {}),
    ...(options.authGuard ? { authGuard: options.authGuard } : {}),
    log: options.log ?? createLogger('silent'),
    tokens: createTokenVerifier(db.db, { cacheMs: 0 }),
    secretKey: TEST_SECRET_KEY,
    admin: { verify: createAdminVerifier(TEST_SECRET_KEY), connections, background, webhooks: { secretKey: TEST_SECRET_KEY, timeoutMs: 2_000, egress: testEgress.policy } },
  });
  const adminFetch = async (path: string, init: RequestInit = {}) =>
    fetch(`${url}/admin/v1${path}`, { ...init, headers: { authorization: await bearerFor({ role: 'operator' }), 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  return {
    url,
    db,
    fake,
    acme,
    globex,
    connections,
    fetch: (request) => Promise.resolve(app!.fetch(request)),
    adminFetch,
    setupLink: async (slug, body = {}) => {
      const res = await adminFetch(`/tenants/${slug}/setup-links`, { method: 'POST', body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`setup link: ${res.status} ${await res.text()}`);
      return (await res.json()) as { url: string; id: string; expiresAt: string };
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await background.idle();
      await fake.close();
      await db.drop();
    },
  };
}
