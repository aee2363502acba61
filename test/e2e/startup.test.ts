import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/database.js';
import { repoRoot, startServerProcess } from '../support/server-process.js';

/** Start-up as operators meet it: the data directory's modes, the first token, the database not there, replicas racing. */
const temp = mkdtempSync(join(tmpdir(), 'rollcall-startup-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;
function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(path);
    if (entry.isDirectory()) walk(path, out);
  }
  return out;
}

describe('first start', () => {
  it('creates DATA_DIR 0700 with nothing in it readable by others, and hands the token over in a 0600 file, never in the log stream', async () => {
    const dataDir = join(temp, 'fresh', 'data');
    const server = await startServerProcess({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'info' } });
    try {
      expect(server.token).toMatch(/^rc_scim_/);
      expect((await fetch(`${server.scimUrl}/Users`, { headers: { authorization: `Bearer ${server.token}` } })).status).toBe(200);
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(join(dataDir, 'first-token.txt'))).toBe(0o600);
      // stdout is the JSON log stream (and the listening line); stderr names the file, not the secret.
      expect(server.output()).not.toContain(server.token);
      expect(server.output()).toContain('first-token.txt');
    } finally {
      await server.stop();
    }
    // At rest, nothing in it is open to group or world: secret key, token file, the embedded database.
    const loose = walk(dataDir).filter((path) => (modeOf(path) & 0o077) !== 0);
    expect(loose).toEqual([]);
    // The embedded store keeps its database there too; on PostgreSQL only the token file is there.
    expect(walk(dataDir).length).toBeGreaterThan(testDatabaseUrl ? 0 : 10);
  }, 120_000);

  it('ROLLCALL_BOOTSTRAP=false creates no default tenant and no token', async () => {
    const dataDir = join(temp, 'no-bootstrap');
    const server = await startServerProcess({ env: { DATA_DIR: dataDir, ROLLCALL_BOOTSTRAP: 'false' }, expectToken: false });
    try {
      expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
      expect(existsSync(join(dataDir, 'first-token.txt'))).toBe(false);
      expect(server.output()).not.toContain('rc_scim_');
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe('a database that is not there', () => {
  it('is one line naming the cause, retried for the bounded time, then exit 1, the password never shown', async () => {
    const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        DATABASE_URL: 'postgres://rollcall:hunter2-secret@127.0.0.1:1/rollcall',
        ROLLCALL_SECRET_KEY: randomBytes(32).toString('hex'),
        DB_STARTUP_TIMEOUT_SECONDS: '1',
        DATA_DIR: join(temp, 'unreachable'),
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines.at(-1)).toBe('rollcall cannot start: connection refused by 127.0.0.1:1 (is PostgreSQL running there?)');
    expect(lines[0]).toMatch(/^rollcall: cannot use the database: connection refused by 127\.0\.0\.1:1 .*retrying for up to \d+ s$/);
    expect(lines.length).toBe(2);
    expect(stderr + stdout).not.toContain('hunter2');
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 120_000);
});

describe.runIf(testDatabaseUrl)('replicas started together on an empty PostgreSQL database', () => {
  it('both come up: migrations and the first tenant happen once, under an advisory lock', async () => {
    const name = `rollcall_t_${randomBytes(6).toString('hex')}`;
    const admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${name}`;
    const key = randomBytes(32).toString('hex');
    const dirs = [join(temp, 'replica-a'), join(temp, 'replica-b')];
    try {
      const replicas = await Promise.all(
        dirs.map((dir) => startServerProcess({ env: { DATABASE_URL: url.toString(), ROLLCALL_SECRET_KEY: key, DATA_DIR: dir }, expectToken: false })),
      );
      try {
        for (const r of replicas) expect((await fetch(`${r.baseUrl}/readyz`)).status).toBe(200);
        expect(dirs.filter((dir) => existsSync(join(dir, 'first-token.txt')))).toHaveLength(1);
      } finally {
        await Promise.all(replicas.map((r) => r.stop()));
      }
      const check = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const [row] = await check`select count(*)::int as n from tenants`;
      await check.end();
      expect(row!.n).toBe(1);
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 180_000);
});

describe('PostgreSQL without autovacuum', () => {
  it('is said once at start, as a warning naming the fix; never on the embedded store', async () => {
    let setting: string | undefined;
    if (testDatabaseUrl) {
      const sql = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
      setting = ((await sql`show autovacuum`)[0] as { autovacuum: string }).autovacuum;
      await sql.end();
    }
    const server = await startServerProcess();
    // Stopped first, so every log line has reached the pipe.
    await server.stop();
    const warnings = server.output().split('\n').filter((line) => line.includes('autovacuum is'));
    expect(warnings).toHaveLength(setting === 'off' ? 1 : 0);
    if (setting === 'off') expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, store: 'postgres' });
  }, 120_000);
});
