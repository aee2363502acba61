import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/server-process.js';

/**
 * `npm start` as a new user runs it: one server process under npm, which gets npm's SIGTERM
 * itself, shuts down and frees its port and data directory (no orphan left holding either).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-npm-start-'));
let group: number | undefined;
afterAll(() => {
  // Whatever a failed run left behind: npm ran in a process group of its own.
  try {
    if (group) process.kill(-group, 'SIGKILL');
  } catch {
    // Gone, as it should be.
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter(Boolean);
  } catch {
    return [];
  }
};
const descendantsOf = (pid: number): number[] => childrenOf(pid).flatMap((c) => [c, ...descendantsOf(c)]);
const portRefuses = (port: number) =>
  new Promise<boolean>((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), ok(false)));
    socket.once('error', () => ok(true));
  });

describe('npm start', () => {
  it('is one server process that SIGTERM to npm stops, leaving no process and a free port', { timeout: 180_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', ROLLCALL_SECRET_KEY: '', LOG_LEVEL: 'info' };
    delete env.npm_lifecycle_event;
    const npm = spawn('npm', ['start', '--silent'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    group = npm.pid;
    let output = '';
    npm.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    npm.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const port = await new Promise<number>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no listening line: ${output}`)), 150_000);
      npm.stdout.on('data', () => {
        const match = output.match(/Rollcall listening on http:\/\/[^\s:]+:(\d+)/);
        if (match) (clearTimeout(timer), ok(Number(match[1])));
      });
    });
    // Under npm there is exactly one Node process: the server (esbuild's helper is not Node).
    const nodes = descendantsOf(npm.pid!).filter((pid) => /node/.test(execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' })));
    expect(nodes).toHaveLength(1);
    const everything = descendantsOf(npm.pid!);

    const exited = new Promise<number | null>((ok) => npm.once('exit', (code) => ok(code)));
    npm.kill('SIGTERM');
    await exited;
    const deadline = Date.now() + 20_000;
    while (everything.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(everything.filter(alive)).toEqual([]);
    expect(await portRefuses(port)).toBe(true);
    expect(output).toMatch(/shut|stopp/i);
  });
});
