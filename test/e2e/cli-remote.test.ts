import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bambooHrBaseUrl } from '../../connectors/bamboohr/connector.js';
import { createCompany } from '../fakes/bamboohr/company.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { runCli, type CliRun } from '../support/cli-process.js';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/database.js';
import { repoRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * The CLI as a client of a running server (ROLLCALL_URL, ROLLCALL_TOKEN): real `rollcall`
 * processes over real HTTP to a real server process, which syncs from the fake BambooHR on
 * loopback. The CLI processes are given no store at all (a DATA_DIR that does not exist), so
 * whatever they do goes through the admin API. Afterwards the same commands run on the server's
 * store directly must print the same.
 */
let workDir: string;
let storeDir: string;
let database: TestDatabase | undefined;
let fake: FakeBambooHr;
let server: ServerProcess;
const secretKey = randomBytes(32).toString('hex');
/** The server's store, for the local-mode runs at the end. */
let storeEnv: Record<string, string>;
/** A CLI with no store: a DATA_DIR that is not there, no DATABASE_URL. */
let noStore: Record<string, string>;
const tokens = { operator: '', acmeAdmin: '', otherAdmin: '' };

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'rollcall-cli-remote-'));
  storeDir = join(workDir, 'store');
  noStore = { DATA_DIR: join(workDir, 'nothing-here'), DATABASE_URL: '', ROLLCALL_SECRET_KEY: '' };
  if (testDatabaseUrl) database = await createTestDatabase();
  storeEnv = database ? { DATABASE_URL: database.url!, ROLLCALL_SECRET_KEY: secretKey, DATA_DIR: storeDir } : { DATA_DIR: storeDir, DATABASE_URL: '', ROLLCALL_SECRET_KEY: secretKey };
  const company = createCompany([]);
  company.hire({ firstName: 'Jennifer', lastName: 'Caldwell', workEmail: 'jennifer@acme.test', department: 'People', hireDate: '2019-01-07' });
  for (const [first, last] of [
    ['Charlotte', 'Abbott'],
    ['Lukasz', 'Zielinski'],
    ['Zoe', 'Olafsdottir'],
  ] as const) {
    company.hire({ firstName: first, lastName: last, workEmail: `${first.toLowerCase()}@acme.test`, department: 'Engineering', supervisorEId: '1', hireDate: '2021-05-03' });
  }
  fake = await startFakeBambooHr({ company });
  // No scheduler: every run in this file is one a command started.
  server = await startServerProcess({ env: { ...storeEnv, SYNC_POLL_SECONDS: '0' } });
  // `admin-token` signs with the installation's key and needs no store: the operator's usual way to get one.
  const sign = async (args: string[]) => {
    const run = await runCli(['admin-token', ...args], { ...noStore, ROLLCALL_SECRET_KEY: secretKey });
    expect(run.code, run.stderr).toBe(0);
    return run.stdout.trim();
  };
  tokens.operator = await sign(['--ttl', '1h']);
  tokens.acmeAdmin = await sign(['--tenant', 'acme', '--subject', 'alice']);
  tokens.otherAdmin = await sign(['--tenant', 'globex', '--subject', 'mallory']);
}, 180_000);

let serverStopped = false;
const stopServer = async () => {
  if (serverStopped || !server) return;
  serverStopped = true;
  expect(await server.stop()).toBe(0);
};

afterAll(async () => {
  await stopServer();
  await fake?.close();
  rmSync(workDir, { recursive: true, force: true });
  await database?.drop();
});

const remoteEnv = (token = tokens.operator) => ({ ...noStore, ROLLCALL_URL: server.baseUrl, ROLLCALL_TOKEN: token });

/** `rollcall …` against the server as the operator (or with the token given). */
const remote = (args: string[], token?: string): Promise<CliRun> => runCli(args, remoteEnv(token));

async function json<T = Record<string, any>>(args: string[], code = 0, token?: string): Promise<T> {
  const run = await remote([...args, '--json'], token);
  expect(run.code, `rollcall ${args.join(' ')}\n${run.stderr}`).toBe(code);
  // Nothing but the document: no progress drawn into a pipe.
  expect(run.stdout).not.toMatch(/\r|\x1b/);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as T;
}

/** A failed command with --json: nothing on stdout, one JSON line `{"error":{…}}` on stderr. */
async function jsonError(args: string[], code: number, env: Record<string, string> = remoteEnv()): Promise<Record<string, any>> {
  const run = await runCli([...args, '--json'], env);
  expect(run.code, `rollcall ${args.join(' ')}\n${run.stderr}`).toBe(code);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  const body = JSON.parse(lines[0]!) as { error: Record<string, any> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  return body.error;
}

/** `script` runs the CLI on a pseudo-terminal (util-linux; Debian has it in every image). */
const hasScript = spawnSync('script', ['--version']).status === 0;

/** `rollcall …` with stdout and stderr on a terminal, as a person runs it; the terminal's output, both streams as one. */
function onTerminal(args: string[]): Promise<{ code: number | null; output: string }> {
  const env = { ...(process.env as Record<string, string>), ...remoteEnv(), COLUMNS: '120' };
  const command = ['node', 'bin/rollcall.js', ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((ok, fail) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('error', fail);
    // The terminal turns \n into \r\n; the assertions read lines as the program wrote them.
    child.once('close', (code) => ok({ code, output: output.replace(/\r\n/g, '\n') }));
  });
}

const credentials = JSON.stringify({ companyDomain: 'acme', apiKey: defaultKey });
const state = { connectionId: '', runId: '', heldRunId: '', tenants: '', runs: '', connection: '' };

describe('rollcall with ROLLCALL_URL: every admin command over the admin API', { timeout: 240_000 }, () => {
  it('--version prints the package version; no store and no server needed', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag], noStore);
      expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('without ROLLCALL_URL and with no store, a command says so and creates nothing', async () => {
    const run = await runCli(['tenant', 'list'], noStore);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^rollcall: No store here: DATA_DIR .*nothing-here holds no embedded database and DATABASE_URL is not set/);
    expect(run.stderr).toContain('ROLLCALL_URL');
    expect(await jsonError(['tenant', 'list'], 1, noStore)).toMatchObject({ code: 'no_store' });
    // A connection command too (it loads the secret key, which would write one into DATA_DIR).
    expect((await runCli(['connection', 'list', '--tenant', 'acme'], noStore)).code).toBe(1);
    expect(existsSync(noStore.DATA_DIR!)).toBe(false);
  });

  it('creates and lists tenants and tokens; a SCIM token it prints works on the server', async () => {
    expect(await json(['tenant', 'create', 'acme', '--name', 'Acme Corp'])).toMatchObject({ slug: 'acme', name: 'Acme Corp' });
    expect(await json(['tenant', 'create', 'globex'])).toMatchObject({ slug: 'globex' });
    const listed = await remote(['tenant', 'list', '--json']);
    expect(JSON.parse(listed.stdout).map((t: { slug: string }) => t.slug).sort()).toEqual(['acme', 'default', 'globex']);
    state.tenants = listed.stdout;

    const created = await remote(['token', 'create', '--tenant', 'acme', '--name', 'okta']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^rc_scim_[A-Za-z0-9_-]{40,}\n$/);
    const scim = await fetch(`${server.scimUrl}/Users`, { headers: { authorization: `Bearer ${created.stdout.trim()}` } });
    expect(scim.status).toBe(200);
    const tokenList = await json<{ name: string; state: string }[]>(['token', 'list', '--tenant', 'acme']);
    expect(tokenList).toMatchObject([{ name: 'okta', state: 'active' }]);
    expect(JSON.stringify(tokenList)).not.toContain(created.stdout.trim().slice(14));
    // The human table is the same one as on the store.
    expect((await remote(['tenant', 'list'])).stdout.split('\n')[0]).toMatch(/^id\s+slug\s+name\s+createdAt$/);
  });

  it('connects to the HR system and syncs with --wait: the finished run, no progress in a pipe', async () => {
    const baseUrl = bambooHrBaseUrl({ companyDomain: 'acme', hostStyle: 'subdomain' }, fake.url);
    const connection = await json(['connection', 'create', '--tenant', 'acme', '--provider', 'bamboohr', '--base-url', baseUrl, '--credentials', credentials, '--mode', 'auto']);
    expect(connection).toMatchObject({ id: expect.any(String), provider: 'bamboohr', onboarding: 'auto' });
    expect(JSON.stringify(connection)).not.toContain(defaultKey);
    state.connectionId = connection.id;

    const run = await json(['sync', state.connectionId, '--wait']);
    expect(run).toMatchObject({ mode: 'apply', state: 'succeeded', counts: { create: 4, applied: 4, failed: 0 }, progress: { fetched: 4, planned: 4, applied: 4 }, finished: expect.any(String) });
    state.runId = run.id;
    // The server ran it, as the operator whose token the CLI carried.
    const audit = await json<{ items: { action: string; actor: string }[] }>(['audit', '--tenant', 'acme', '--action', 'connection.sync']);
    expect(audit.items).toMatchObject([{ action: 'connection.sync', actor: 'operator:cli' }]);
    const users = await json<{ total: number }>(['users', '--tenant', 'acme']);
    expect(users.total).toBe(4);
  });

  it.skipIf(!hasScript)('on a terminal, sync --wait draws its progress on stderr and erases it; with --json it draws nothing', async () => {
    const human = await onTerminal(['sync', state.connectionId, '--wait']);
    expect(human.code, human.output).toBe(0);
    // The run's line (named by the end of its id), redrawn in place.
    expect(human.output).toMatch(/\r\x1b\[2Ksync [0-9a-f]{8} {2}(\||\[)/);
    // Erased before the result: the run's table follows a cleared line.
    expect(human.output).toMatch(/\r\x1b\[2Kid\s+mode\s+trigger\s+state/);
    expect(human.output).toMatch(/apply\s+manual\s+succeeded/);
    const machine = await onTerminal(['sync', state.connectionId, '--wait', '--json']);
    expect(machine.code, machine.output).toBe(0);
    expect(machine.output).not.toContain('\x1b');
    expect(JSON.parse(machine.output)).toMatchObject({ state: 'succeeded' });
  });

  it('finds the tenant of an id: from the token of a tenant admin, by asking each tenant for an operator, or from --tenant', async () => {
    const asOperator = await json(['connection', 'show', state.connectionId]);
    expect(asOperator).toMatchObject({ id: state.connectionId, status: 'connected' });
    expect(await json(['connection', 'show', state.connectionId], 0, tokens.acmeAdmin)).toEqual(asOperator);
    expect(await json(['connection', 'show', state.connectionId, '--tenant', 'acme'])).toEqual(asOperator);
    expect(await json(['run', 'show', state.runId])).toMatchObject({ id: state.runId, state: 'succeeded' });
  });

  it('exit codes and --json errors: usage 2, auth 3, not found 4, conflict 5', async () => {
    // Usage: commander's errors, a bad option value, the API refusing the input, a local-only command.
    expect(await jsonError(['tenant', 'create'], 2)).toEqual({ code: 'usage', title: 'Usage error', detail: "missing required argument 'slug'" });
    expect(await jsonError(['token', 'create', '--tenant', 'acme', '--scope', 'scim:everything'], 2)).toMatchObject({ code: 'usage', detail: expect.stringContaining('scim:write') });
    expect(await jsonError(['tenant', 'create', 'Not A Slug!'], 2)).toMatchObject({ status: 400, code: 'invalid_value' });
    for (const command of ['migrate', 'console-link']) {
      const local = await remote([command]);
      expect(local.code).toBe(2);
      expect(local.stderr.trim()).toMatch(new RegExp(`^rollcall: ${command} .*; run it where the store is \\(DATA_DIR or DATABASE_URL\\), without ROLLCALL_URL$`));
    }
    const human = await remote(['tenant', 'create']);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain("error: missing required argument 'slug'");

    // Auth: a token the server refuses (never echoed back), another tenant's admin, no token at all.
    const forged = `${tokens.operator.slice(0, -6)}AAAAAA`;
    const refused = await runCli(['tenant', 'list', '--json'], remoteEnv(forged));
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { status: 401, code: 'unauthorized', type: 'https://rollcall.dev/problems/unauthorized' } });
    expect(refused.stderr + refused.stdout).not.toContain(forged.split('.')[2]);
    expect(await jsonError(['connection', 'list', '--tenant', 'acme'], 3, remoteEnv(tokens.otherAdmin))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await jsonError(['tenant', 'list'], 3, { ...remoteEnv(), ROLLCALL_TOKEN: '' })).toMatchObject({ code: 'unauthorized', detail: expect.stringContaining('ROLLCALL_TOKEN') });
    const plain = await runCli(['tenant', 'list'], remoteEnv(forged));
    expect(plain.stderr.trim()).toMatch(/^rollcall: /);
    expect(plain.stderr).not.toContain(forged.split('.')[2]);

    // Not found: a tenant, an id no tenant holds (the operator asked each one), an id that is no id.
    expect(await jsonError(['token', 'list', '--tenant', 'nope'], 4)).toMatchObject({ status: 404, code: 'not_found', detail: 'No tenant "nope"' });
    const missing = '0190a000-0000-7000-8000-000000000000';
    expect(await jsonError(['connection', 'show', missing], 4)).toEqual({
      type: 'https://rollcall.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `Connection ${missing} not found`,
      code: 'not_found',
    });
    expect(await jsonError(['run', 'show', 'not-an-id'], 4)).toMatchObject({ status: 404, detail: 'Sync run not-an-id not found' });

    // Conflict.
    expect(await jsonError(['tenant', 'create', 'acme'], 5)).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('a plain-http URL off this host is refused before anything is sent; a server that is not there is said so', async () => {
    const error = await jsonError(['tenant', 'list'], 1, { ...remoteEnv(), ROLLCALL_URL: 'http://rollcall.example.test:8080' });
    expect(error).toMatchObject({ code: 'configuration', detail: expect.stringContaining('ROLLCALL_INSECURE') });
    expect(JSON.stringify(error)).not.toContain(tokens.operator);
    // A loopback port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const { port } = closed.address() as AddressInfo;
    await new Promise((ok) => closed.close(ok));
    const away = await jsonError(['tenant', 'list'], 1, { ...remoteEnv(), ROLLCALL_URL: `http://127.0.0.1:${port}` });
    expect(away).toMatchObject({ code: 'unreachable', detail: `Cannot reach http://127.0.0.1:${port}: ECONNREFUSED` });
  });

  it('a failed run exits 6 and a held one 7; approving the held run with --wait applies it', async () => {
    // The HR API answers garbage: a run that fails (not retried: the same bytes would come back).
    fake.faults.next(3, { type: 'invalid_json' });
    const failed = await json(['sync', state.connectionId, '--wait'], 6);
    expect(failed).toMatchObject({ state: 'failed', error: expect.any(String) });
    fake.faults.clear();

    // Everyone gone from HR at once: the safety stop holds the run.
    for (const person of fake.company.list()) fake.company.remove(person.id);
    const held = await json(['sync', state.connectionId, '--wait'], 7);
    expect(held).toMatchObject({ state: 'held', held: { reason: expect.stringContaining('returned no employees') } });
    const human = await remote(['run', 'show', held.id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`held: `);
    const approved = await json(['run', 'approve', held.id, '--wait']);
    expect(approved).toMatchObject({ trigger: 'approval', state: 'succeeded', counts: { archive: 4 }, finished: expect.any(String) });
    // Approving it again: it is no longer held.
    expect(await jsonError(['run', 'approve', held.id], 5)).toMatchObject({ status: 409 });
    const runs = await remote(['runs', state.connectionId, '--json']);
    expect(runs.code).toBe(0);
    state.runs = runs.stdout;
    state.connection = (await remote(['connection', 'show', state.connectionId, '--json'])).stdout;
  });

  it('on the store itself, the same commands print the same', async () => {
    await stopServer();
    const local = (args: string[]) => runCli(args, storeEnv);
    expect((await local(['tenant', 'list', '--json'])).stdout).toBe(state.tenants);
    expect((await local(['runs', state.connectionId, '--json'])).stdout).toBe(state.runs);
    expect((await local(['connection', 'show', state.connectionId, '--json'])).stdout).toBe(state.connection);
    // And its errors read alike.
    const missing = await local(['connection', 'show', '0190a000-0000-7000-8000-000000000000', '--json']);
    expect(missing.code).toBe(4);
    expect(JSON.parse(missing.stderr)).toEqual({
      error: { type: 'https://rollcall.dev/problems/not-found', title: 'Not found', status: 404, detail: 'Connection 0190a000-0000-7000-8000-000000000000 not found', code: 'not_found' },
    });
    expect((await local(['tenant', 'create', 'acme', '--json'])).code).toBe(5);
  });
});
