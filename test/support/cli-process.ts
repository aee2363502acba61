import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from './database.js';
import { testEgressEnv } from './egress.js';
import { repoRoot } from './server-process.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node bin/rollcall.js …` as an operator would run it: the caller's store variables over this
 * process's environment, without the server settings a developer's shell may carry.
 */
export function runCli(args: string[], storeEnv: Record<string, string>, extra: Record<string, string> = {}): Promise<CliRun> {
  // The suite's fakes and receivers are on loopback: allowed as an operator would allow them.
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...testEgressEnv, ...storeEnv, ...extra };
  for (const name of ['PORT', 'PUBLIC_URL', 'LOG_LEVEL']) if (!(name in extra)) delete env[name];
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['bin/rollcall.js', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', fail);
    child.once('close', (code) => ok({ code, stdout, stderr }));
  });
}

/** A store for `rollcall` processes, and what they need to open it (DATA_DIR, DATABASE_URL, the secret key). */
export interface CliStore {
  env: Record<string, string>;
  dataDir: string;
  /** The fresh PostgreSQL database under TEST_DATABASE_URL; undefined on PGlite. */
  database?: TestDatabase;
  close(): Promise<void>;
}

/**
 * A new store made the way an operator makes one: the CLI opens an existing store only, and
 * `rollcall migrate` is the command that creates it. On PGlite no key is given: the CLI generates
 * secret.key in DATA_DIR, and a server started on the same store must reuse it.
 */
export async function createCliStore(prefix: string): Promise<CliStore> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const database = testDatabaseUrl ? await createTestDatabase() : undefined;
  const env = { DATA_DIR: dataDir, DATABASE_URL: database?.url ?? '', ROLLCALL_SECRET_KEY: database ? randomBytes(32).toString('hex') : '' };
  const migrated = await runCli(['migrate'], env);
  if (migrated.code !== 0) throw new Error(`rollcall migrate failed (exit ${migrated.code}): ${migrated.stderr}`);
  return {
    env,
    dataDir,
    ...(database ? { database } : {}),
    close: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}
