import { serve } from '@hono/node-server';
import { createBackground } from './admin/background.js';
import { createApp, metricsHandler } from './app.js';
import { createMetrics } from './metrics/metrics.js';
import { Hono } from 'hono';
import { createAdminVerifier } from './auth/admin-jwt.js';
import { adminTokenRevocations } from './auth/admin-revocations.js';
import { createAuthGuard } from './auth/auth-failures.js';
import { createConsoleOidc } from './auth/console-oidc.js';
import { createRateLimiter, rateLimited } from './auth/rate-limit.js';
import { createTokenVerifier } from './auth/scim-tokens.js';
import { bootstrapEmptyStore } from './bootstrap.js';
import { loadSecretKey } from './crypto/secret-key.js';
import { openDatabase } from './db/client.js';
import { autovacuumAdvice, autovacuumSetting } from './db/autovacuum.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { configOrExit, deliverFirstToken, describeDatabaseError, openWithRetry, prepareDataDir } from './startup.js';
import { limitHeapGrowth } from './memory.js';
import { createLogger } from './log.js';
import { replicaName } from './connections/replica.js';
import type { ConnectionDeps } from './connections/service.js';
import { startScheduler } from './sync/scheduler.js';
import { startDispatcher } from './events/webhooks/dispatcher.js';
import { startRetention } from './events/retention.js';
import { createBudgetRegistry } from '../connectors/index.js';
import { createDbBudgetStore } from './db/request-budgets.js';
import { createEgress } from './egress/index.js';
import { parseBaseUrlAllowance } from './connections/base-url.js';
import { workerLink } from './cluster/worker-link.js';

const env = configOrExit();
// One of HTTP_WORKERS processes sharing the port (src/cluster/primary.ts), or undefined when alone.
const link = workerLink();
/** Per-process limits split across the workers: the primary hands connections out in turn. */
const perWorker = (limit: number) => (link && limit > 0 ? Math.max(1, Math.ceil(limit / env.HTTP_WORKERS)) : limit);
limitHeapGrowth(env.HEAP_GROWTH_PERCENT);
const log = createLogger(env.LOG_LEVEL, undefined, env.LOG_FORMAT === 'auto' ? (process.stdout.isTTY ? 'pretty' : 'json') : env.LOG_FORMAT);
/** Start-up failures are one line on stderr and exit 1: never a stack trace for a configuration problem. */
const exitWith = (line: string): never => {
  process.stderr.write(`rollcall cannot start: ${line}\n`);
  process.exit(1);
};
try {
  prepareDataDir(env.DATA_DIR);
} catch (error) {
  exitWith(`the data directory ${env.DATA_DIR} cannot be created: ${(error as Error).message}`);
}
const { key: secretKey, generated } = loadSecretKey(env);
if (generated) log.info({ dataDir: env.DATA_DIR }, 'generated a secret key for secrets at rest (secret.key in the data directory; back it up)');

let first: { tenant: string; secret: string } | undefined;
const database = await openWithRetry(
  async () => {
    const opened = await openDatabase({
      ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR }),
      poolSize: env.DB_POOL_SIZE,
      sharedBuffersMb: env.PGLITE_SHARED_BUFFERS_MB,
      // The throw-away initdb instance of a first start lives and dies in a child process.
      initializeInChild: true,
      holder: 'the rollcall server',
    });
    try {
      await opened.ping();
      // Replicas started together take turns: migrations and the first tenant happen once.
      first = await opened.exclusive(async () => {
        await opened.migrate();
        return env.ROLLCALL_BOOTSTRAP ? bootstrapEmptyStore(opened.db) : undefined;
      });
      return opened;
    } catch (error) {
      await opened.close().catch(() => {});
      throw error;
    }
  },
  {
    timeoutMs: env.DB_STARTUP_TIMEOUT_SECONDS * 1000,
    describe: (error) => (error instanceof DataDirLockedError ? error.message : describeDatabaseError(error, env.DATABASE_URL)),
    fatal: (error) => error instanceof DataDirLockedError,
    report: (line) => process.stderr.write(`rollcall: ${line}\n`),
  },
).catch((error: Error) => exitWith(error.message));

// Every outbound request (HR APIs, webhooks, the JWKS) connects through this one policy.
const egress = createEgress({ allowed: env.EGRESS_ALLOWED });
const tokens = rateLimited(createTokenVerifier(database.db), createRateLimiter(perWorker(env.SCIM_RATE_LIMIT)));
const idp =
  env.ADMIN_JWT_ISSUER && env.ADMIN_JWT_AUDIENCE && env.ADMIN_JWKS_URL
    ? { issuer: env.ADMIN_JWT_ISSUER, audience: env.ADMIN_JWT_AUDIENCE, jwksUrl: env.ADMIN_JWKS_URL, roleClaim: env.ADMIN_ROLE_CLAIM, tenantClaim: env.ADMIN_TENANT_CLAIM, fetch: egress.fetch }
    : undefined;
// Console sign-in with the same provider, once Rollcall is registered there as a client.
const consoleOidc =
  idp && env.CONSOLE_OIDC_CLIENT_ID
    ? createConsoleOidc({
        issuer: idp.issuer,
        clientId: env.CONSOLE_OIDC_CLIENT_ID,
        ...(env.CONSOLE_OIDC_CLIENT_SECRET ? { clientSecret: env.CONSOLE_OIDC_CLIENT_SECRET } : {}),
        ...(env.CONSOLE_OIDC_NAME ? { name: env.CONSOLE_OIDC_NAME } : {}),
        roleClaim: env.ADMIN_ROLE_CLAIM,
        tenantClaim: env.ADMIN_TENANT_CLAIM,
        fetch: egress.fetch,
      })
    : undefined;
const metrics = createMetrics({ db: database.db, poolSize: env.DB_POOL_SIZE, store: database.kind, ...(link ? { cluster: { scrape: link.scrape } } : {}) });
// One HR request budget per credential for the whole process, kept on the database so replicas share it.
const budgets = createBudgetRegistry(createDbBudgetStore(database.db));
const connectionDeps: ConnectionDeps = {
  db: database.db,
  secretKey,
  log,
  owner: replicaName(),
  leaseSeconds: env.SYNC_LEASE_SECONDS,
  batchSize: env.SYNC_BATCH_SIZE,
  budgets,
  observe: metrics.sync,
  egress,
  allowedBaseUrls: parseBaseUrlAllowance(env.HR_ALLOWED_BASE_URLS),
};
// Background work runs in one process: the first HTTP worker, or the only process.
const runsBackground = !link || link.runsBackground;
// Said once per deployment's process that runs the syncs, not by every HTTP worker.
const autovacuum = runsBackground ? autovacuumAdvice(await autovacuumSetting(database).catch(() => undefined)) : undefined;
if (autovacuum) log.warn({ store: database.kind }, autovacuum);
const scheduler =
  runsBackground && env.SYNC_POLL_SECONDS > 0
    ? startScheduler(connectionDeps, { pollSeconds: env.SYNC_POLL_SECONDS, concurrency: env.SYNC_CONCURRENCY, memoryBudgetMb: env.SYNC_MEMORY_BUDGET_MB })
    : undefined;
// Runs started by "sync now" go on after their 202; shutdown waits for them like for the scheduler's.
const background = createBackground(log);
const owner = connectionDeps.owner;
// Webhook deliveries run here like scheduled syncs: any number of replicas share them through leases.
const dispatcher =
  runsBackground && env.WEBHOOK_POLL_SECONDS > 0
    ? startDispatcher(
        {
          db: database.db,
          secretKey,
          log,
          owner,
          leaseSeconds: env.WEBHOOK_LEASE_SECONDS,
          timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000,
          retry: { baseMs: env.WEBHOOK_RETRY_BASE_SECONDS * 1000, maxMs: env.WEBHOOK_RETRY_MAX_SECONDS * 1000, giveUpMs: env.WEBHOOK_GIVE_UP_HOURS * 3_600_000 },
          observe: metrics.webhooks,
          egress: egress.policy,
        },
        { pollMs: env.WEBHOOK_POLL_SECONDS * 1000, concurrency: env.WEBHOOK_CONCURRENCY },
      )
    : undefined;
const stopRetention = runsBackground ? startRetention(database.db, env.EVENT_RETENTION_DAYS, 3_600_000, log) : () => {};
link?.onWakeDispatcher(() => dispatcher?.wake());
const wake = dispatcher ? () => dispatcher.wake() : link ? () => link.wakeDispatcher() : undefined;
const webhooks = { secretKey, timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000, egress: egress.policy, ...(wake ? { wake } : {}) };
const adminVerify = createAdminVerifier(secretKey, idp, { isRevoked: adminTokenRevocations(database.db), maxTtlSeconds: Math.round(env.ADMIN_TOKEN_MAX_TTL_HOURS * 3600) });
const authGuard = createAuthGuard({ maxFailures: perWorker(env.AUTH_FAILURE_LIMIT), windowMs: env.AUTH_FAILURE_WINDOW_SECONDS * 1000, log });
const metricsOnOwnPort = env.METRICS_PORT !== undefined;
const app = createApp({ database, env, log, tokens, secretKey, authGuard, consoleOidc, metrics, metricsOnOwnPort, admin: { verify: adminVerify, connections: connectionDeps, background, webhooks } });
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  log.info({ port: info.port, host: env.HOST, store: database.kind }, 'rollcall listening');
  // One plain line whatever LOG_LEVEL says: with PORT=0 it is the only way to learn the port.
  // The token first, so whoever waits for the listening line finds it delivered.
  if (first) printFirstToken(first, info.port);
  // Under a primary, it prints one line for all the workers once each listens.
  if (link) link.listening(info.port, database.kind);
  else process.stdout.write(`Rollcall listening on http://${env.HOST}:${info.port} (store: ${database.kind})\n`);
});
// Scrapers inside the cluster reach this port; the public one then has no /metrics at all.
const metricsServer = metricsOnOwnPort
  ? serve({ fetch: new Hono().get('/metrics', metricsHandler(metrics)).fetch, port: env.METRICS_PORT!, hostname: env.HOST }, (info) => {
      process.stdout.write(`Rollcall metrics on http://${env.HOST}:${info.port}/metrics\n`);
    })
  : undefined;
server.once('error', (error: NodeJS.ErrnoException) => {
  const reason = error.code === 'EADDRINUSE' ? `port ${env.PORT} on ${env.HOST} is already in use (set PORT)` : error.message;
  process.stderr.write(`rollcall cannot listen: ${reason}\n`);
  // The token was created already; without this line it would be lost with the process.
  if (first) printFirstToken(first, env.PORT);
  void database.close().finally(() => process.exit(1));
});

/** Shown once, to a person rather than the log stream (stdout carries the JSON logs): see deliverFirstToken. */
function printFirstToken(created: { tenant: string; secret: string }, port: number) {
  const base = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  deliverFirstToken(
    [
      '',
      `Rollcall created tenant "${created.tenant}" and its first SCIM token (shown only now):`,
      '',
      `    ${created.secret}`,
      '',
      `SCIM base URL: ${base}/scim/v2`,
      'More tokens: npx rollcall token create --tenant default',
      '',
    ].join('\n'),
    { dataDir: env.DATA_DIR, tty: Boolean(process.stderr.isTTY), write: (text) => process.stderr.write(text) },
  );
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: no new connections, draining requests');
  const force = setTimeout(() => {
    log.warn('drain timed out; closing');
    process.exit(1);
  }, 10_000);
  force.unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  metricsServer?.close();
  // A run in progress finishes its batch loop; one cut off by the drain timeout converges next time.
  await scheduler?.stop();
  await dispatcher?.stop();
  stopRetention();
  await background.idle();
  await tokens.flush().catch(() => {});
  await database.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
