import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import type { BenchConfig, StoreKind } from './config.js';
import { entryArgs, projectRoot, withImageEnv } from './paths.js';

/**
 * The real server (`src/main.ts`) as a child process on a free loopback port, on PGlite in a temp
 * data directory or on a throwaway PostgreSQL database, the way test/support/server-process.ts
 * does it. Run as `node --import tsx` (not the tsx wrapper) so one process serves and can be
 * profiled with --cpu-prof.
 */
export interface BenchServer {
  store: StoreKind;
  /** The server process, for its memory figures. */
  pid: number;
  scimUrl: string;
  token: string;
  /** The bench database, for reference queries (PostgreSQL only). */
  databaseUrl?: string;
  /** Environment the server ran with, minus secrets, for the report. */
  settings: Record<string, string>;
  /** The server's secret key (hex), to sign admin JWTs for the admin API. */
  secretKeyHex: string;
  /**
   * After a bulk load or update: what autovacuum does within a minute of one (PostgreSQL only).
   * Without statistics the planner expects a few hundred rows per tenant and sorts all 20,000 on
   * disk for every page, which measures the minute after the load rather than the service.
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const root = projectRoot;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** A throwaway `rollcall_bench_<random>` database on the bench's PostgreSQL server. */
export async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rollcall_bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((ok) => child.once('exit', () => ok()));

/** A store kept across server runs (a restart): the caller created it and removes it. */
export interface KeptStore {
  dataDir?: string;
  databaseUrl?: string;
  secretKeyHex?: string;
}

export async function startBenchServer(
  store: StoreKind,
  config: BenchConfig,
  poolSize?: number,
  extraEnv: Record<string, string> = {},
  kept?: KeptStore,
  /** Another checkout whose compiled server (dist/src/main.js) runs instead of this one's: `npm run bench:compare`. */
  otherBuild?: string,
): Promise<BenchServer> {
  const port = await freePort();
  // Request logs at info cost a JSON line per request; the bench measures the service, not the log sink.
  // The bench's webhook receivers and fake HR servers listen on loopback: allowed as an operator would.
  const settings: Record<string, string> = { LOG_LEVEL: config.logLevel, SCIM_RATE_LIMIT: '0', EGRESS_ALLOWED: '127.0.0.0/8,::1', HR_ALLOWED_BASE_URLS: 'http://127.0.0.1:*', ...extraEnv };
  const pool = poolSize ?? process.env.DB_POOL_SIZE;
  if (pool) settings.DB_POOL_SIZE = String(pool);
  const env: Record<string, string> = withImageEnv({ ...(process.env as Record<string, string>), ...settings, PORT: String(port), HOST: '127.0.0.1' });
  delete env.PUBLIC_URL;
  let dataDir: string | undefined;
  let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
  let secretKeyHex = '';
  // The data directory holds the first-start token file on either store (and the embedded database on PGlite).
  if (!kept?.dataDir) dataDir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
  env.DATA_DIR = kept?.dataDir ?? dataDir!;
  if (store === 'postgres') {
    if (!kept) database = await createDatabase(config.postgresUrl);
    env.DATABASE_URL = kept?.databaseUrl ?? database!.url;
    secretKeyHex = kept?.secretKeyHex ?? randomBytes(32).toString('hex');
    env.ROLLCALL_SECRET_KEY = secretKeyHex;
  } else {
    env.DATABASE_URL = '';
    env.ROLLCALL_SECRET_KEY = '';
  }
  const cleanup = async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };

  const args: string[] = [];
  if (config.profileDir) {
    const dir = resolve(config.profileDir, `${store}${poolSize ? `-pool${poolSize}` : ''}`);
    mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const entry = otherBuild ? [join(otherBuild, 'dist', 'src', 'main.js')] : entryArgs('src/main');
  const child = spawn(process.execPath, [...args, ...entry], { cwd: otherBuild ?? root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  // Its output is a pipe, not a terminal: an empty store's first start writes its token to a 0600
  // file in the data directory (before it listens), never to the output.
  const tokenFile = join(env.DATA_DIR!, 'first-token.txt');
  const readToken = () => (existsSync(tokenFile) ? /^\s*(rc_scim_\S+)\s*$/m.exec(readFileSync(tokenFile, 'utf8'))?.[1] : undefined);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error('server did not become healthy within 60 s');
      if (child.exitCode !== null) throw new Error(`server exited early\n${stdout}\n${stderr}`);
      const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    // A restart on a kept store writes no token (only an empty store's first start does).
    const secret = readToken() ?? '';
    if (!secret && !kept) throw new Error(`no first-start token in ${tokenFile}\n${stdout}\n${stderr}`);
    // The embedded store generated its key into the data directory on first start.
    if (!secretKeyHex) secretKeyHex = readFileSync(join(env.DATA_DIR!, 'secret.key'), 'utf8').trim();
    return {
      store,
      pid: child.pid!,
      secretKeyHex,
      scimUrl: `${baseUrl}/scim/v2`,
      token: secret,
      ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
      settings,
      settle: async () => {
        // The database the server runs on, its own or a kept one; the embedded store has its own analyze.
        if (!env.DATABASE_URL) return;
        const sql = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
        await sql`vacuum analyze`;
        await sql.end();
      },
      stop: async () => {
        const done = exited(child);
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 20_000);
        await done;
        clearTimeout(timer);
        process.removeListener('exit', kill);
        await cleanup();
      },
    };
  } catch (error) {
    kill();
    await exited(child);
    process.removeListener('exit', kill);
    await cleanup();
    throw error;
  }
}
