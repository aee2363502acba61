import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseEgressAllowance } from './egress/policy.js';
import { parseBaseUrlAllowance } from './connections/base-url.js';

/**
 * The service's configuration, read from the environment once.
 * This is the only module that touches `process.env`.
 */
const byteSize = z
  .string()
  .regex(/^\d+(kb|mb|b)?$/i, 'a size such as 1mb, 512kb or 1048576')
  .transform((raw) => {
    const m = /^(\d+)(kb|mb|b)?$/i.exec(raw)!;
    const unit = (m[2] ?? 'b').toLowerCase();
    return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
  });

/** A comma-separated list, checked entry by entry by `check` (which throws naming a bad entry). */
const list = (check: (entries: string[]) => unknown) =>
  z
    .string()
    .transform((raw) => raw.split(',').map((e) => e.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      try {
        check(entries);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Serve /metrics on this port only (on HOST), instead of on the main port; 0 picks a free one. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines when stdout is a terminal, JSON lines otherwise (files, pipes, log shippers). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  PUBLIC_URL: z.string().url().optional(),
  ROLLCALL_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hex characters (32 bytes); generate one with `openssl rand -hex 32`')
    .optional(),
  BODY_LIMIT: byteSize.default(1024 * 1024),
  SCIM_MAX_RESULTS: z.coerce.number().int().min(1).max(10000).default(1000),
  /** The embedded store's shared_buffers (PGlite only): its page cache, resident once filled. */
  PGLITE_SHARED_BUFFERS_MB: z.coerce.number().int().min(1).max(4096).default(16),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Processes serving HTTP on PORT (PostgreSQL only): `auto` is one per core there and one on the
   * embedded store, which belongs to a single process. Each worker has its own DB_POOL_SIZE pool.
   */
  HTTP_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
  /** How long start-up keeps trying to reach the database before it exits 1. */
  DB_STARTUP_TIMEOUT_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  /** false: an empty store gets no `default` tenant and first token (create tenants with the CLI or admin API). */
  ROLLCALL_BOOTSTRAP: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Sustained SCIM requests per second per token; bursts up to twice that. 0 turns the limit off. */
  SCIM_RATE_LIMIT: z.coerce.number().int().min(0).max(100000).default(200),
  /** Failed SCIM token or admin JWT attempts one client address may make per window before it gets 429; 0 turns the limit off. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).max(100000).default(20),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(300),
  /** Behind a reverse proxy: read the client address from the last X-Forwarded-For entry. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** The longest lifetime of an admin JWT Rollcall issues; a longer-lived one is refused. */
  ADMIN_TOKEN_MAX_TTL_HOURS: z.coerce.number().min(0.01).max(24 * 90).default(24),
  /** Admin JWTs from the company's own identity provider (all three, or none). */
  ADMIN_JWT_ISSUER: z.string().min(1).optional(),
  ADMIN_JWT_AUDIENCE: z.string().min(1).optional(),
  ADMIN_JWKS_URL: z.string().url().optional(),
  /** Claims of such a JWT that carry the Rollcall role and tenant slug. */
  ADMIN_ROLE_CLAIM: z.string().min(1).default('rollcall_role'),
  ADMIN_TENANT_CLAIM: z.string().min(1).default('rollcall_tenant'),
  /**
   * Console sign-in with the ADMIN_JWT_ISSUER provider (OpenID Connect, code flow with PKCE): the
   * client id registered there, its secret (absent for a public client), and the button's name.
   */
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CONSOLE_OIDC_NAME: z.string().min(1).max(60).optional(),
  /** A web console session unused this long ends (minutes); any session ends 12 hours after sign-in. */
  CONSOLE_IDLE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(30),
  /** How often this replica looks for HR connections due a sync; 0 turns the scheduler off here. */
  SYNC_POLL_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** How long a replica's claim on a running connection lasts without a heartbeat (a crashed run's leftover). */
  SYNC_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /**
   * Syncs this replica runs at once. A run mostly waits on its HR API (100–500 ms a request), so a
   * few in parallel multiply throughput; each holds one database connection at a time. Default:
   * 4, or half of DB_POOL_SIZE when that is less.
   */
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** The expected memory of this replica's runs in progress (about 4 KB per employee each) stays within this. */
  SYNC_MEMORY_BUDGET_MB: z.coerce.number().int().min(16).max(65536).default(256),
  /** Directory changes per transaction when a sync applies; smaller batches hold locks for less time. */
  SYNC_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** How often this replica looks for webhook deliveries to make; 0 turns its dispatcher off. */
  WEBHOOK_POLL_SECONDS: z.coerce.number().min(0).max(3600).default(1),
  /** Longest wait for a receiver's answer; a slower one counts as a failed attempt. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.05).max(120).default(10),
  /** Endpoints one replica delivers to at once (each endpoint gets one delivery at a time). */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How long a replica's claim on an endpoint lasts without progress; after a crash, its delivery is resent once it lapses. */
  WEBHOOK_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  /** First retry after a failed delivery; doubles per attempt up to WEBHOOK_RETRY_MAX_SECONDS. */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.001).max(86400).default(30),
  WEBHOOK_RETRY_MAX_SECONDS: z.coerce.number().min(0.001).max(86400).default(3600),
  /** An endpoint failing for this long is disabled, with the reason on it. */
  WEBHOOK_GIVE_UP_HOURS: z.coerce.number().min(0.0001).max(24 * 30).default(72),
  /**
   * Destinations outside the public internet that outbound requests (webhooks, HR APIs, the JWKS)
   * may still reach: exact host names, IP addresses and CIDR ranges, comma-separated. Everything
   * else that resolves to loopback, private, link-local, CGNAT, multicast or metadata is refused.
   */
  EGRESS_ALLOWED: list(parseEgressAllowance).default([]),
  /**
   * HR base URLs besides each provider's own public hosts (sandboxes, proxies, fake servers):
   * origins or URL prefixes, comma-separated; a port of `*` matches any port.
   */
  HR_ALLOWED_BASE_URLS: list(parseBaseUrlAllowance).default([]),
  /** Change events and webhook delivery logs older than this are deleted. */
  EVENT_RETENTION_DAYS: z.coerce.number().min(0.0001).max(3650).default(30),
  /** How far the JavaScript heap may grow past what the last full collection kept, in percent; 0 leaves V8's own (up to 300 %). */
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(10),
});

export type Env = Omit<z.infer<typeof envSchema>, 'SYNC_CONCURRENCY' | 'HTTP_WORKERS'> & { SYNC_CONCURRENCY: number; HTTP_WORKERS: number; rawSecretKey?: string };

/** Concurrent syncs when SYNC_CONCURRENCY is not set. */
export const DEFAULT_SYNC_CONCURRENCY = 4;

export class ConfigError extends Error {}

/** Parses the given environment (default `process.env`); throws ConfigError naming the first bad variable. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name}: ${issue.message}`);
  }
  if (parsed.data.DATABASE_URL && !parsed.data.ROLLCALL_SECRET_KEY) {
    throw new ConfigError(
      'Invalid configuration: ROLLCALL_SECRET_KEY: required when DATABASE_URL is set (64 hex characters; `openssl rand -hex 32`)',
    );
  }
  if (parsed.data.WEBHOOK_LEASE_SECONDS <= parsed.data.WEBHOOK_TIMEOUT_SECONDS) {
    throw new ConfigError('Invalid configuration: WEBHOOK_LEASE_SECONDS: must be longer than WEBHOOK_TIMEOUT_SECONDS (a lease must outlast a delivery)');
  }
  // Each run in progress holds a pooled connection while it writes: requests keep at least half the pool.
  // (The embedded store has one connection that everything shares in turn; the pool size is not its.)
  const halfPool = Math.max(1, Math.floor(parsed.data.DB_POOL_SIZE / 2));
  const syncConcurrency = parsed.data.SYNC_CONCURRENCY ?? (parsed.data.DATABASE_URL ? Math.min(DEFAULT_SYNC_CONCURRENCY, halfPool) : DEFAULT_SYNC_CONCURRENCY);
  if (parsed.data.DATABASE_URL && parsed.data.SYNC_POLL_SECONDS > 0 && syncConcurrency > halfPool) {
    throw new ConfigError(
      `Invalid configuration: SYNC_CONCURRENCY: at most half of DB_POOL_SIZE (${parsed.data.DB_POOL_SIZE}), so concurrent syncs leave the other half of the pool to requests; raise DB_POOL_SIZE or lower SYNC_CONCURRENCY`,
    );
  }
  const idp = [parsed.data.ADMIN_JWT_ISSUER, parsed.data.ADMIN_JWT_AUDIENCE, parsed.data.ADMIN_JWKS_URL];
  if (idp.some(Boolean) && !idp.every(Boolean)) {
    const missing = ['ADMIN_JWT_ISSUER', 'ADMIN_JWT_AUDIENCE', 'ADMIN_JWKS_URL'].find((_, i) => !idp[i]);
    throw new ConfigError(`Invalid configuration: ${missing}: required when any of ADMIN_JWT_ISSUER, ADMIN_JWT_AUDIENCE, ADMIN_JWKS_URL is set`);
  }
  const { CONSOLE_OIDC_CLIENT_ID, CONSOLE_OIDC_CLIENT_SECRET, CONSOLE_OIDC_NAME, ADMIN_JWT_ISSUER } = parsed.data;
  if ((CONSOLE_OIDC_CLIENT_SECRET || CONSOLE_OIDC_NAME) && !CONSOLE_OIDC_CLIENT_ID) {
    throw new ConfigError('Invalid configuration: CONSOLE_OIDC_CLIENT_ID: required when CONSOLE_OIDC_CLIENT_SECRET or CONSOLE_OIDC_NAME is set');
  }
  if (CONSOLE_OIDC_CLIENT_ID) {
    if (!ADMIN_JWT_ISSUER) throw new ConfigError('Invalid configuration: ADMIN_JWT_ISSUER: required when CONSOLE_OIDC_CLIENT_ID is set (the provider to sign in with)');
    // Discovery is https only; plain http is accepted on loopback alone, for a provider under development.
    if (!/^https:\/\/[^/]/.test(ADMIN_JWT_ISSUER) && !/^http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/.test(ADMIN_JWT_ISSUER)) {
      throw new ConfigError('Invalid configuration: ADMIN_JWT_ISSUER: must be an https:// URL when CONSOLE_OIDC_CLIENT_ID is set (its /.well-known/openid-configuration is read)');
    }
  }
  const { HTTP_WORKERS, DATABASE_URL } = parsed.data;
  if (HTTP_WORKERS !== 'auto' && HTTP_WORKERS > 1 && !DATABASE_URL) {
    throw new ConfigError('Invalid configuration: HTTP_WORKERS: more than 1 needs DATABASE_URL (the embedded store belongs to one process)');
  }
  // More workers than cores only contend for them; PostgreSQL and the rest of the machine need some too.
  const httpWorkers = HTTP_WORKERS === 'auto' ? (DATABASE_URL ? Math.min(availableParallelism(), 8) : 1) : HTTP_WORKERS;
  return { ...parsed.data, SYNC_CONCURRENCY: syncConcurrency, HTTP_WORKERS: httpWorkers };
}

/**
 * What the `rollcall` CLI needs to be a client of a running server instead of opening the store:
 * the server's URL and an admin token. Read apart from the server's configuration, so a remote
 * command needs none of the server's variables (and a bad one of them does not stop it).
 */
const clientEnvSchema = z.object({
  ROLLCALL_URL: z.string().url('a URL such as https://rollcall.example.com').optional(),
  // Never echoed: a message about this variable names it, not its value.
  ROLLCALL_TOKEN: z.string().optional(),
  /** `true`: allow a plain-http ROLLCALL_URL that is not loopback (the token then travels unencrypted). */
  ROLLCALL_INSECURE: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
});

export type ClientEnv = z.infer<typeof clientEnvSchema>;

export function readClientEnv(source: Record<string, string | undefined> = process.env): ClientEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = clientEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0] ?? 'environment')}: ${issue.message}`);
  }
  return parsed.data;
}
