import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bambooHrBaseUrl } from '../../connectors/bamboohr/connector.js';
import { createCompany } from '../fakes/bamboohr/company.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { createCliStore, runCli, type CliRun, type CliStore } from '../support/cli-process.js';

/**
 * The HR connection commands as an operator runs them: real `rollcall` processes on a store, with
 * production connectors and clock, against the fake BambooHR on loopback.
 */
let store: CliStore;
let fake: FakeBambooHr;
let storeEnv: Record<string, string>;

beforeAll(async () => {
  store = await createCliStore('rollcall-cli-sync-');
  storeEnv = store.env;
  // Everyone employed with no end date, so the counts hold whatever today's date is.
  const company = createCompany([]);
  company.hire({ firstName: 'Jennifer', lastName: 'Caldwell', workEmail: 'jennifer@acme.test', department: 'People', hireDate: '2019-01-07' });
  for (const [first, last, department] of [
    ['Charlotte', 'Abbott', 'People'],
    ['Lukasz', 'Zielinski', 'Engineering'],
    ['Zoe', 'Olafsdottir', 'Engineering'],
    ['Ben', 'Fischer', 'Sales'],
    ['Cleo', 'Garcia', 'Contractors'],
  ] as const) {
    company.hire({ firstName: first, lastName: last, workEmail: `${first.toLowerCase()}@acme.test`, department, supervisorEId: '1', hireDate: '2021-05-03' });
  }
  fake = await startFakeBambooHr({ company });
}, 180_000);
afterAll(async () => {
  await fake?.close();
  await store?.close();
});

type Run = CliRun;

const rollcall = (args: string[]): Promise<Run> => runCli(args, storeEnv);

async function json<T = Record<string, any>>(args: string[], code = 0): Promise<T> {
  const run = await rollcall([...args, '--json']);
  expect(run.code, `rollcall ${args.join(' ')}\n${run.stderr}`).toBe(code);
  return JSON.parse(run.stdout) as T;
}

const credentials = (apiKey: string) => JSON.stringify({ companyDomain: 'acme', apiKey });
const state = { connectionId: '', appliedRunId: '', heldRunId: '' };

describe('rollcall connection, sync, runs, candidates', { timeout: 180_000 }, () => {
  it('connects: refused credentials exit 2 with the reason; good ones print the connection with its id', async () => {
    expect(JSON.parse((await rollcall(['tenant', 'create', 'acme', '--json'])).stdout)).toMatchObject({ slug: 'acme' });
    const baseUrl = bambooHrBaseUrl({ companyDomain: 'acme', hostStyle: 'subdomain' }, fake.url);
    const create = ['connection', 'create', '--tenant', 'acme', '--provider', 'bamboohr', '--base-url', baseUrl];

    const refused = await rollcall([...create, '--credentials', credentials('wrong-key')]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toMatch(/^rollcall: The bamboohr credentials were refused \(invalid_credentials\)/);

    const scope = JSON.stringify([{ field: 'department', op: 'notIn', values: ['Contractors'] }]);
    const connection = await json([...create, '--credentials', credentials(defaultKey), '--mode', 'review', '--scope', scope, '--schedule', '3h']);
    expect(connection).toMatchObject({ id: expect.any(String), provider: 'bamboohr', status: 'awaiting_configuration', onboarding: 'review', scheduleMinutes: 180, scope: [{ field: 'department' }] });
    expect(JSON.stringify(connection)).not.toContain(defaultKey);
    state.connectionId = connection.id;
  });

  it('previews, then syncs with --wait and prints the finished run with its counts', async () => {
    const preview = await json(['sync', state.connectionId, '--preview']);
    expect(preview).toMatchObject({ mode: 'preview', state: 'succeeded', counts: { create: 5 } });
    expect(preview.operations).toHaveLength(5);

    const applied = await json(['sync', state.connectionId, '--wait']);
    expect(applied).toMatchObject({ mode: 'apply', trigger: 'manual', state: 'succeeded', counts: { create: 5, applied: 5, failed: 0 }, finished: expect.any(String) });
    state.appliedRunId = applied.id;

    const shown = await json(['connection', 'show', state.connectionId]);
    expect(shown).toMatchObject({ status: 'connected', nextRunAt: expect.any(String) });
    const runs = await json<{ items: { id: string; mode: string }[] }>(['runs', state.connectionId]);
    expect(runs.items.map((r) => r.mode)).toEqual(['apply', 'preview']);
    const withOperations = await json(['run', 'show', state.appliedRunId, '--operations']);
    expect(withOperations.operations.map((o: { kind: string }) => o.kind)).toEqual(Array(5).fill('create'));
  });

  it('lists candidates and moves one to invited and to active', async () => {
    const candidates = await json<{ id: string; userName: string; lifecycle: string }[]>(['candidates', '--tenant', 'acme']);
    expect(candidates.map((c) => c.userName).sort()).toEqual(['ben@acme.test', 'charlotte@acme.test', 'jennifer@acme.test', 'lukasz@acme.test', 'zoe@acme.test']);
    expect(await json(['candidates', '--tenant', 'acme', '--connection', state.connectionId])).toEqual(candidates);
    const id = candidates[0]!.id;
    expect(await json(['invite', id])).toMatchObject({ id, lifecycle: 'invited' });
    expect(await json(['accept', id])).toMatchObject({ id, lifecycle: 'active' });
    const again = await rollcall(['accept', id]);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/is active, not invited/);
  });

  it('previews team sync, enables it only with --yes, and stops it', async () => {
    const preview = await json<{ teams: { displayName: string; members: unknown[] }[] }>(['teams', 'preview', state.connectionId]);
    // Cleo is out of scope (Contractors): Jennifer reviews the other four.
    expect(preview.teams.map((t) => [t.displayName, t.members.length])).toEqual([["Jennifer Caldwell's team", 4]]);
    const human = await rollcall(['teams', 'preview', state.connectionId]);
    expect(human.stdout).toMatch(/^team\s+kind\s+reviewer\s+parent\s+members\s+new/);
    expect(human.stdout).toContain('1 teams (1 new), 0 people unassigned; 0 existing teams removed');
    const unconfirmed = await rollcall(['teams', 'enable', state.connectionId]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr.trim()).toMatch(/^rollcall: enabling replaces the tenant's teams.*--yes$/);
    expect(await json(['teams', 'show', state.connectionId])).toMatchObject({ enabled: false });
    expect(await json(['teams', 'enable', state.connectionId, '--yes', '--template', '{managerFirstName} and team'])).toMatchObject({
      enabled: true,
      nameTemplate: '{managerFirstName} and team',
      preview: { teams: [{ displayName: 'Jennifer and team' }] },
    });
    expect(await json(['teams', 'disable', state.connectionId])).toMatchObject({ enabled: false, released: 1 });
  });

  it('a safety stop exits 7 with the held run; reject, then approve with --wait', async () => {
    for (const person of fake.company.list()) fake.company.remove(person.id);
    const held = await json(['sync', state.connectionId, '--wait'], 7);
    expect(held).toMatchObject({ state: 'held', held: { reason: expect.stringContaining('returned no employees') } });
    expect(await json(['run', 'reject', held.id])).toMatchObject({ state: 'rejected', decidedBy: expect.stringMatching(/^operator:cli:/) });

    state.heldRunId = (await json(['sync', state.connectionId, '--wait'], 7)).id;
    const approved = await json(['run', 'approve', state.heldRunId, '--wait']);
    expect(approved).toMatchObject({ trigger: 'approval', state: 'succeeded', counts: { archive: 5 } });
  });

  it('without --wait prints the running run, and finishes it before exiting', async () => {
    const started = await json(['sync', state.connectionId]);
    expect(started).toMatchObject({ state: 'running', finished: null });
    // The command returned, so its process ran the run to the end: nothing is left running.
    // (HR still answers no one, but everyone is archived already: nothing to hold.)
    const after = await json(['run', 'show', started.id]);
    expect(after).toMatchObject({ state: 'succeeded', finished: expect.any(String), counts: { archive: 0 } });
    const human = await rollcall(['runs', state.connectionId]);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toMatch(/^id\s+mode\s+trigger\s+state\s+counts/);
  });

  it('disconnects keeping the users, and the audit log names no API key', async () => {
    expect(await json(['connection', 'disconnect', state.connectionId, '--mode', 'keep'])).toMatchObject({ mode: 'keep', kept: 5, removed: 0 });
    expect(await json(['connection', 'list', '--tenant', 'acme'])).toMatchObject([{ id: state.connectionId, status: 'disconnected' }]);
    const unknown = await rollcall(['sync', '0190a000-0000-7000-8000-000000000000']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr.trim()).toBe('rollcall: Connection 0190a000-0000-7000-8000-000000000000 not found');

    const audit = await rollcall(['audit', '--tenant', 'acme', '--json']);
    const actions = (JSON.parse(audit.stdout).items as { action: string }[]).map((e) => e.action).reverse();
    expect(actions).toEqual([
      'tenant.create',
      'connection.create',
      'connection.preview',
      'connection.sync',
      'user.invite',
      'user.accept',
      'connection.team_sync.preview',
      'connection.team_sync.preview',
      'connection.team_sync.enable',
      'connection.team_sync.disable',
      'connection.sync',
      'run.reject',
      'connection.sync',
      'run.approve',
      'connection.sync',
      'connection.disconnect',
    ]);
    expect(audit.stdout).not.toContain(defaultKey);
  });
});
