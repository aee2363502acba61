import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from './database.js';
import { testEgressEnv } from './egress.js';

/**
 * The real server (`src/main.ts`) as a child process, so end-to-end tests cover what operators run:
 * env parsing, migrations at start, the first-start token (in a 0600 file, stderr being no terminal), the HTTP stack and shutdown.
 */
export interface ServerProcess {
  baseUrl: string;
  /** `${baseUrl}/scim/v2` */
  scimUrl: string;
  /** The SCIM token printed on first start for the `default` tenant. */
  token: string;
  port: number;
  /** The spawned process (tsx's), root of the server's process tree. */
  pid: number;
  /** Everything the process wrote to stdout and stderr so far (its logs included). */
  output(): string;
  /** SIGTERM, wait for exit, then remove the data directory or drop the database. Resolves to the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash or an OOM kill would: no drain, no cleanup. The store is left as the crash left it. */
  kill(): Promise<void>;
}

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const STARTUP_MS = 45_000;
const STOP_MS = 15_000;

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((ok) => child.once('exit', (code) => ok(code)));
}

async function waitForHealth(baseUrl: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not answer /healthz within ${STARTUP_MS} ms`);
}

function rejectAt(deadline: number, message: string): Promise<never> {
  return new Promise<never>((_, fail) => setTimeout(() => fail(new Error(message)), Math.max(1_000, deadline - Date.now())).unref());
}

export interface ServerOptions {
  /** Variables set last, over the defaults (e.g. LOG_LEVEL, or DATA_DIR / DATABASE_URL of an existing store). */
  env?: Record<string, string>;
  /** false for a store that already has tenants: the server prints no first-start token then. */
  expectToken?: boolean;
}

export async function startServerProcess(options: ServerOptions = {}): Promise<ServerProcess> {
  let dataDir: string | undefined;
  let database: TestDatabase | undefined;
  // The suite's receivers and fakes are on loopback: allowed as an operator would allow them.
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...testEgressEnv };
  // PUBLIC_URL from the caller's shell would put the wrong host into Location headers.
  delete env.PUBLIC_URL;
  // Every process gets a data directory of its own: the first-start token is written there.
  dataDir = mkdtempSync(join(tmpdir(), 'rollcall-e2e-'));
  env.DATA_DIR = dataDir;
  if (testDatabaseUrl) {
    database = await createTestDatabase();
    env.DATABASE_URL = database.url!;
    env.ROLLCALL_SECRET_KEY = randomBytes(32).toString('hex');
  } else {
    // env.ts treats empty values as unset: never inherit a database or key meant for something else.
    env.DATABASE_URL = '';
    env.ROLLCALL_SECRET_KEY = '';
  }
  Object.assign(env, options.env);

  const cleanup = async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };

  // Node itself with tsx's loader, as `npm start` runs it: the tsx command would put a process in
  // between that relays SIGTERM and, when the server has not acknowledged it within 30 ms (a loaded
  // machine), kills it and exits 143, so stop() would test the wrapper's patience, not the drain.
  // detached: a process group lets a crashed test kill the server and any HTTP workers with it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', killGroup);

  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    // Warnings and errors of the server are worth seeing when a test fails.
    process.stderr.write(chunk);
  });
  // The server binds port 0 and reports the port it got: no race with other tests for a "free" port.
  const stdoutLine = (pattern: RegExp, what: string) =>
    new Promise<RegExpMatchArray>((ok, fail) => {
      const look = () => {
        const match = stdout.match(pattern);
        if (match) ok(match);
        return Boolean(match);
      };
      child.stdout!.on('data', look);
      child.once('exit', () => fail(new Error(`server exited before printing ${what}`)));
    });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const listening = stdoutLine(/Rollcall listening on http:\/\/[^\s:]+:(\d+)/, 'its port');
  listening.catch(() => {});
  // stderr is a pipe, not a terminal: the server writes the first-start token to a 0600 file in its
  // data directory (before its listening line) and names the file on stderr.
  const tokenFile = () => {
    const file = join(env.DATA_DIR!, 'first-token.txt');
    if (!existsSync(file)) throw new Error(`no first-start token file ${file}`);
    const match = readFileSync(file, 'utf8').match(/^\s*(rc_scim_\S+)\s*$/m);
    if (!match) throw new Error(`no rc_scim_ token in ${file}`);
    return match[1]!;
  };

  let port = 0;
  let baseUrl = '';
  try {
    const deadline = Date.now() + STARTUP_MS;
    port = Number((await Promise.race([listening, rejectAt(deadline, 'no listening line on stdout')]))[1]);
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, child, deadline);
    const secret = options.expectToken === false ? '' : tokenFile();
    return {
      baseUrl,
      scimUrl: `${baseUrl}/scim/v2`,
      token: secret,
      port,
      pid: child.pid!,
      output: () => stdout + stderr,
      kill: async () => {
        const exited = waitForExit(child);
        killGroup();
        await exited;
        process.removeListener('exit', killGroup);
      },
      stop: async () => {
        const exited = waitForExit(child);
        child.kill('SIGTERM');
        const timer = setTimeout(killGroup, STOP_MS);
        const code = await exited;
        clearTimeout(timer);
        process.removeListener('exit', killGroup);
        await cleanup();
        return code;
      },
    };
  } catch (error) {
    killGroup();
    await waitForExit(child);
    process.removeListener('exit', killGroup);
    await cleanup();
    throw new Error(`${(error as Error).message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
  }
}
