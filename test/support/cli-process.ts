import { spawn } from 'node:child_process';
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
