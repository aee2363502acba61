import { serve } from '@hono/node-server';
import { createBackground } from './admin/background.js';
import { createApp } from './app.js';
import { createAdminVerifier } from './auth/admin-jwt.js';
import { createRateLimiter, rateLimited } from './auth/rate-limit.js';
import { createTokenVerifier } from './auth/scim-tokens.js';
import { bootstrapEmptyStore } from './bootstrap.js';
import { loadSecretKey } from './crypto/secret-key.js';
import { openDatabase } from './db/client.js';
import { ConfigError, readEnv, type Env } from './env.js';
import { limitHeapGrowth } from './memory.js';
import { createLogger } from './log.js';
import { replicaName } from './connections/replica.js';
import type { ConnectionDeps } from './connections/service.js';
import { startScheduler } from './sync/scheduler.js';
import { startDispatcher } from './events/webhooks/dispatcher.js';
import { startRetention } from './events/retention.js';
import { createEgress } from './egress/index.js';
import { parseBaseUrlAllowance } from './connections/base-url.js';

function configOrExit(): Env {
  try {
    return readEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const env = configOrExit();
limitHeapGrowth(env.HEAP_GROWTH_PERCENT);
const log = createLogger(env.LOG_LEVEL);
const { key: secretKey, generated } = loadSecretKey(env);
if (generated) log.info({ dataDir: env.DATA_DIR }, 'generated a secret key for secrets at rest (secret.key in the data directory; back it up)');

const database = await openDatabase({
  ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR }),
  poolSize: env.DB_POOL_SIZE,
  holder: 'the rollcall server',
});
await database.migrate();

const first = await bootstrapEmptyStore(database.db);

// Every outbound request (HR APIs, webhooks, the JWKS) connects through this one policy.
const egress = createEgress({ allowed: env.EGRESS_ALLOWED });
const tokens = rateLimited(createTokenVerifier(database.db), createRateLimiter(env.SCIM_RATE_LIMIT));
const idp =
  env.ADMIN_JWT_ISSUER && env.ADMIN_JWT_AUDIENCE && env.ADMIN_JWKS_URL
    ? { issuer: env.ADMIN_JWT_ISSUER, audience: env.ADMIN_JWT_AUDIENCE, jwksUrl: env.ADMIN_JWKS_URL, roleClaim: env.ADMIN_ROLE_CLAIM, tenantClaim: env.ADMIN_TENANT_CLAIM, fetch: egress.fetch }
    : undefined;
const connectionDeps: ConnectionDeps = {
  db: database.db,
  secretKey,
  log,
  owner: replicaName(),
  leaseSeconds: env.SYNC_LEASE_SECONDS,
  batchSize: env.SYNC_BATCH_SIZE,
  egress,
  allowedBaseUrls: parseBaseUrlAllowance(env.HR_ALLOWED_BASE_URLS),
};
const scheduler = env.SYNC_POLL_SECONDS > 0 ? startScheduler(connectionDeps, env.SYNC_POLL_SECONDS) : undefined;
// Runs started by "sync now" go on after their 202; shutdown waits for them like for the scheduler's.
const background = createBackground(log);
const owner = connectionDeps.owner;
// Webhook deliveries run here like scheduled syncs: any number of replicas share them through leases.
const dispatcher =
  env.WEBHOOK_POLL_SECONDS > 0
    ? startDispatcher(
        {
          db: database.db,
          secretKey,
          log,
          owner,
          leaseSeconds: env.WEBHOOK_LEASE_SECONDS,
          timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000,
          retry: { baseMs: env.WEBHOOK_RETRY_BASE_SECONDS * 1000, maxMs: env.WEBHOOK_RETRY_MAX_SECONDS * 1000, giveUpMs: env.WEBHOOK_GIVE_UP_HOURS * 3_600_000 },
          egress: egress.policy,
        },
        { pollMs: env.WEBHOOK_POLL_SECONDS * 1000, concurrency: env.WEBHOOK_CONCURRENCY },
      )
    : undefined;
const stopRetention = startRetention(database.db, env.EVENT_RETENTION_DAYS, 3_600_000, log);
const webhooks = { secretKey, timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000, egress: egress.policy, ...(dispatcher ? { wake: () => dispatcher.wake() } : {}) };
const app = createApp({ database, env, log, tokens, secretKey, admin: { verify: createAdminVerifier(secretKey, idp), connections: connectionDeps, background, webhooks } });
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  log.info({ port: info.port, host: env.HOST, store: database.kind }, 'rollcall listening');
  // One plain line whatever LOG_LEVEL says: with PORT=0 it is the only way to learn the port.
  process.stdout.write(`Rollcall listening on http://${env.HOST}:${info.port} (store: ${database.kind})\n`);
  if (first) printFirstToken(first, info.port);
});
server.once('error', (error: NodeJS.ErrnoException) => {
  const reason = error.code === 'EADDRINUSE' ? `port ${env.PORT} on ${env.HOST} is already in use (set PORT)` : error.message;
  process.stderr.write(`rollcall cannot listen: ${reason}\n`);
  // The token was created already; without this line it would be lost with the process.
  if (first) printFirstToken(first, env.PORT);
  void database.close().finally(() => process.exit(1));
});

/** Printed once, to the terminal rather than the log stream: the secret is not stored anywhere. */
function printFirstToken(created: { tenant: string; secret: string }, port: number) {
  const base = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  process.stdout.write(
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
