import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import type { ScimAuth } from '../../scim/http/router.js';
import type { Executor } from '../db/client.js';
import { uuidv7 } from '../db/ids.js';
import { scimTokens } from '../db/schema.js';

/** Recognisable prefix, so a leaked token is easy to spot in a repository or a log (and to scan for). */
export const TOKEN_PREFIX = 'rc_scim_';
export const SCOPES = ['scim:write', 'scim:read'] as const;
export type Scope = (typeof SCOPES)[number];

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export interface CreatedToken {
  id: string;
  secret: string;
  prefix: string;
}

export interface TokenOptions {
  name: string;
  scopes?: Scope[];
  expiresAt?: Date | null;
}

/** Issues a token. The secret is returned to the caller once; only its hash is stored. */
export async function createScimToken(db: Executor, tenantId: string, options: TokenOptions): Promise<CreatedToken> {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = uuidv7();
  const prefix = secret.slice(0, TOKEN_PREFIX.length + 6);
  await db.insert(scimTokens).values({
    id,
    tenantId,
    name: options.name,
    prefix,
    secretHash: hashSecret(secret),
    scopes: options.scopes ?? ['scim:write'],
    expiresAt: options.expiresAt ?? null,
  });
  return { id, secret, prefix };
}

export type TokenState = 'active' | 'expired' | 'revoked';

export function tokenState(t: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): TokenState {
  if (t.revokedAt && t.revokedAt <= now) return 'revoked';
  if (t.expiresAt && t.expiresAt <= now) return 'expired';
  return 'active';
}

export async function listScimTokens(db: Executor, tenantId: string) {
  const found = await db
    .select({
      id: scimTokens.id,
      name: scimTokens.name,
      prefix: scimTokens.prefix,
      scopes: scimTokens.scopes,
      createdAt: scimTokens.createdAt,
      lastUsedAt: scimTokens.lastUsedAt,
      expiresAt: scimTokens.expiresAt,
      revokedAt: scimTokens.revokedAt,
    })
    .from(scimTokens)
    .where(eq(scimTokens.tenantId, tenantId))
    .orderBy(desc(scimTokens.createdAt));
  return found.map((t) => ({ ...t, state: tokenState(t) }));
}

/** Revokes a token of the tenant; returns false when there is no such token. */
export async function revokeScimToken(db: Executor, tenantId: string, tokenId: string): Promise<boolean> {
  const done = await db
    .update(scimTokens)
    .set({ revokedAt: sql`coalesce(${scimTokens.revokedAt}, now())` })
    .where(and(eq(scimTokens.tenantId, tenantId), eq(scimTokens.id, tokenId)))
    .returning({ id: scimTokens.id });
  return done.length > 0;
}

interface CachedToken {
  auth: ScimAuth;
  expiresAt: Date | null;
  revokedAt: Date | null;
  checkedAt: number;
}

export interface TokenVerifier {
  verify(authorization: string | undefined): Promise<ScimAuth>;
  /** Drops cached state so a revocation made in this process applies to the very next request. */
  forget(): void;
  /** Writes pending last-use times (also done periodically); call before shutdown. */
  flush(): Promise<void>;
}

const unauthorized = (detail: string) => new DomainError('unauthorized', detail);

/**
 * Verifies bearer tokens. A verified token is cached for `cacheMs` so hot paths cost no query; a
 * revocation on another replica therefore applies within that window. Last use is recorded
 * coarsely: at most once per `lastUseGranularityMs` per token, written in the background.
 */
export function createTokenVerifier(db: Executor, opts: { cacheMs?: number; unknownCacheMs?: number; lastUseGranularityMs?: number } = {}): TokenVerifier {
  const cacheMs = opts.cacheMs ?? 1000;
  // A secret that matched no token is remembered briefly, so a flood of made-up tokens costs no
  // query each. Safe: a new token's secret is random, so no one can have presented it before.
  const unknownCacheMs = opts.unknownCacheMs ?? 10_000;
  const unknown = new Map<string, number>();
  const MAX_UNKNOWN = 10_000;
  const granularity = opts.lastUseGranularityMs ?? 60_000;
  const cache = new Map<string, CachedToken>();
  // SHA-256 of the presented secret was a measurable share of every request's CPU; the hashes of
  // secrets that matched a token are remembered (bounded, dropped with the rest on forget()).
  // Unknown secrets are never added, so a flood of made-up tokens cannot fill it.
  const hashes = new Map<string, string>();
  const MAX_HASHES = 10_000;
  const lastWritten = new Map<string, number>();
  const pending = new Map<string, Date>();

  async function flush() {
    const batch = [...pending.entries()];
    pending.clear();
    for (const [id, at] of batch) {
      await db.update(scimTokens).set({ lastUsedAt: at }).where(eq(scimTokens.id, id));
    }
  }

  function noteUse(id: string, now: number) {
    if (now - (lastWritten.get(id) ?? 0) < granularity) return;
    lastWritten.set(id, now);
    pending.set(id, new Date(now));
    void flush().catch(() => {
      // Last use is advisory; a failed write is retried on a later use.
      lastWritten.delete(id);
    });
  }

  // Concurrent requests that miss the cache share one lookup: when the cached entry lapses under
  // load, every in-flight request would otherwise query the same row at once.
  const loading = new Map<string, Promise<CachedToken | undefined>>();
  let generation = 0;

  async function load(hash: string, now: number): Promise<CachedToken | undefined> {
    const started = generation;
    const [row] = await db.select().from(scimTokens).where(eq(scimTokens.secretHash, hash));
    const entry = row
      ? { auth: { tenantId: row.tenantId, tokenId: row.id, scopes: row.scopes }, expiresAt: row.expiresAt, revokedAt: row.revokedAt, checkedAt: now }
      : undefined;
    // A lookup that began before forget() may predate a revocation: answer with it, do not cache it.
    if (started === generation) {
      if (entry) cache.set(hash, entry);
      else {
        cache.delete(hash);
        if (unknownCacheMs > 0) {
          if (unknown.size >= MAX_UNKNOWN) unknown.delete(unknown.keys().next().value!);
          unknown.set(hash, now + unknownCacheMs);
        }
      }
    }
    return entry;
  }

  return {
    async verify(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match) throw unauthorized('Authorization: Bearer <token> is required');
      const secret = match[1]!;
      const hash = hashes.get(secret) ?? hashSecret(secret);
      const now = Date.now();
      const unknownUntil = unknown.get(hash);
      if (unknownUntil !== undefined) {
        if (unknownUntil > now) throw unauthorized('The bearer token is not valid');
        unknown.delete(hash);
      }
      let entry = cache.get(hash);
      if (!entry || now - entry.checkedAt > cacheMs) {
        let pending = loading.get(hash);
        if (!pending) {
          const started: Promise<CachedToken | undefined> = load(hash, now).finally(() => {
            if (loading.get(hash) === started) loading.delete(hash);
          });
          pending = started;
          loading.set(hash, started);
        }
        entry = await pending;
        if (!entry) throw unauthorized('The bearer token is not valid');
      }
      const state = tokenState(entry, new Date(now));
      if (state !== 'active') throw unauthorized(`The bearer token is ${state}`);
      if (!hashes.has(secret)) {
        if (hashes.size >= MAX_HASHES) hashes.delete(hashes.keys().next().value!);
        hashes.set(secret, hash);
      }
      noteUse(entry.auth.tokenId, now);
      return entry.auth;
    },
    forget: () => {
      generation++;
      cache.clear();
      hashes.clear();
      unknown.clear();
      loading.clear();
    },
    flush,
  };
}
