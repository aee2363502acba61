import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/database.js';
import { repoRoot, startServerProcess } from '../support/server-process.js';

/** HTTP_WORKERS=2 on PostgreSQL: one primary, two workers sharing the port, as operators run it. */

/** pid → parent pid of every process, from /proc. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      out.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}

/**
 * The HTTP workers under `root` (tsx → primary → workers): the descendants the primary started
 * with ROLLCALL_HTTP_WORKER in their environment (other helpers, such as a transpiler's service
 * process, may be descendants too).
 */
function leaves(root: number): number[] {
  const table = parents();
  const below = (pid: number): number[] => [...table].filter(([, parent]) => parent === pid).map(([child]) => child);
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const child of below(pid)) {
      if (isWorker(child)) out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

function isWorker(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').some((entry) => entry.startsWith('ROLLCALL_HTTP_WORKER='));
  } catch {
    return false;
  }
}

const metric = (text: string, pattern: RegExp) =>
  text
    .split('\n')
    .filter((line) => pattern.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);

async function until<T>(probe: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!testDatabaseUrl)('HTTP_WORKERS=2', () => {
  it('serves SCIM from two processes on one port, aggregates their metrics, restarts a worker that dies, and stops cleanly', async () => {
    const server = await startServerProcess({ env: { HTTP_WORKERS: '2', DB_POOL_SIZE: '4' } });
    const auth = { authorization: `Bearer ${server.token}`, 'content-type': 'application/scim+json' };
    try {
      expect(server.output()).toContain('(store: postgres, 2 HTTP workers)');
      const workers = await until(() => {
        const found = leaves(server.pid);
        return found.length === 2 ? found : undefined;
      }, 'two workers');

      // Twenty creates at once, spread over both workers by the primary, then one consistent list.
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${server.scimUrl}/Users`, { method: 'POST', headers: auth, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `worker-${i}@example.com` }) }),
        ),
      );
      expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));
      const list = (await (await fetch(`${server.scimUrl}/Users?count=100`, { headers: auth })).json()) as { totalResults: number };
      expect(list.totalResults).toBe(20);

      // One scrape answers for both processes: every create counted once, each worker's pool added up.
      const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
      expect(metric(text, /^rollcall_http_request_duration_seconds_count\{route="\/scim\/v2\/Users",method="POST",status="201"/)).toBe(20);
      expect(metric(text, /^rollcall_db_pool_size\{/)).toBe(8);

      // A worker killed outright is replaced; the other keeps serving meanwhile.
      process.kill(workers[0]!, 'SIGKILL');
      // A keep-alive connection the dead worker held is reset; a client retries an idempotent GET on a new one.
      const get = () => fetch(`${server.scimUrl}/Users?count=1`, { headers: auth }).catch(() => fetch(`${server.scimUrl}/Users?count=1`, { headers: auth }));
      expect((await get()).status).toBe(200);
      const replaced = await until(() => {
        const found = leaves(server.pid);
        return found.length === 2 && !found.includes(workers[0]!) ? found : undefined;
      }, 'a replacement worker');
      expect(replaced).toContain(workers[1]);
      expect(server.output()).toMatch(/HTTP worker \d of 2 exited \(SIGKILL\); starting it again/);
      for (let i = 0; i < 6; i++) expect((await get()).status).toBe(200);
    } finally {
      const root = server.pid;
      expect(await server.stop()).toBe(0);
      expect(leaves(root)).toEqual([]);
    }
  });

  it('exits 1 with the reason when the workers cannot start, instead of restarting them forever', async () => {
    const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        HTTP_WORKERS: '2',
        PORT: '0',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'rollcall-workers-')),
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
        ROLLCALL_SECRET_KEY: randomBytes(32).toString('hex'),
        DB_STARTUP_TIMEOUT_SECONDS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((ok) => child.once('exit', ok));
    expect(code).toBe(1);
    expect(stderr).toMatch(/rollcall cannot start: connection refused by 127\.0\.0\.1:1/);
    expect(stderr).not.toMatch(/starting it again/);
  });
});
