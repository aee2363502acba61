import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bambooHrBaseUrl } from '../connectors/bamboohr/connector.js';
import { generateCompany } from '../test/fakes/bamboohr/generate.js';
import { createRandom } from '../test/fakes/shared/random.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../test/fakes/bamboohr/server.js';
import type { BenchConfig, StoreKind } from './config.js';
import { createDatabase } from './server.js';

/** Team sync may cost at most this much over the same sync without teams (first run and change run). */
export const TEAMS_TARGET_RATIO = 1.25;

export interface TeamsRun {
  firstMs: number;
  changeMs: number;
  firstProgress: Record<string, number>;
  changeProgress: Record<string, number>;
  changeCounts: Record<string, number>;
  maxRssMb: number;
}
export interface TeamsOutcome {
  employees: number;
  managersChanged: number;
  without: TeamsRun;
  with: TeamsRun;
  firstRatio: number;
  changeRatio: number;
  /** The team phase alone over the whole run without teams: what the ratio would be with no noise in the other phases. */
  firstTeamsShare: number;
  changeTeamsShare: number;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** 1 % of the employees get another manager (someone who already manages), as a reorganisation would. */
function changeManagers(fake: FakeBambooHr): number {
  const rnd = createRandom(4242);
  const people = fake.company.list().filter((p) => p.status === 'Active' && p.supervisorEId);
  const managers = [...new Set(people.map((p) => p.supervisorEId))];
  const count = Math.round(fake.company.size() / 100);
  for (let i = 0; i < count; i++) {
    const p = people[rnd.int(people.length)]!;
    fake.company.changeManager(p.id, managers[rnd.int(managers.length)]!);
  }
  return count;
}

/** One worker: a first full sync, then 1 % of managers change in HR, then a second sync. */
async function runWorker(config: BenchConfig, store: StoreKind, teams: boolean): Promise<TeamsRun & { managersChanged: number }> {
  const company = generateCompany({ seed: 50_000, size: config.syncEmployees });
  const fake = await startFakeBambooHr({ company });
  const database = store === 'postgres' ? await createDatabase(config.postgresUrl) : undefined;
  try {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      SYNC_BENCH_URL: bambooHrBaseUrl({ companyDomain: company.domain, hostStyle: 'subdomain' }, fake.url),
      SYNC_BENCH_DOMAIN: company.domain,
      SYNC_BENCH_KEY: defaultKey,
      SYNC_BENCH_TODAY: company.today,
      SYNC_BENCH_TEAMS: teams ? '1' : '0',
      SYNC_BENCH_PAUSE: '1',
      ...(database ? { SYNC_BENCH_DATABASE_URL: database.url } : {}),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sync-worker.ts'], { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let changed = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (changed === 0 && out.includes('"phase":"first-done"')) {
        changed = changeManagers(fake);
        child.stdin.write('go\n');
      }
    });
    const code = await new Promise<number | null>((ok) => child.on('exit', ok));
    const line = out.trim().split('\n').pop() ?? '';
    if (code !== 0 || !line.startsWith('{"firstMs"')) throw new Error(`team bench worker exited with ${code}: ${out.slice(-500)}`);
    const r = JSON.parse(line) as { firstMs: number; secondMs: number; firstProgress: Record<string, number>; secondProgress: Record<string, number>; secondCounts: Record<string, number>; maxRssMb: number };
    return { firstMs: r.firstMs, changeMs: r.secondMs, firstProgress: r.firstProgress, changeProgress: r.secondProgress, changeCounts: r.secondCounts, maxRssMb: r.maxRssMb, managersChanged: changed };
  } finally {
    await fake.close();
    await database?.drop();
  }
}

/**
 * Team sync's cost: the same two runs (first full sync; 1 % of managers changed) of the same
 * generated company, without and with team sync, each in a fresh database, `repeat` times each.
 */
export async function benchTeams(config: BenchConfig, store: StoreKind, repeat = 1): Promise<TeamsOutcome> {
  // Alternating and keeping each variant's fastest runs: on a shared machine, load that comes and
  // goes would otherwise decide the ratio.
  const runs: { without: TeamsRun[]; with: TeamsRun[] } = { without: [], with: [] };
  let managersChanged = 0;
  for (let i = 0; i < repeat; i++) {
    const { managersChanged: changed, ...without } = await runWorker(config, store, false);
    const { managersChanged: _same, ...withTeams } = await runWorker(config, store, true);
    runs.without.push(without);
    runs.with.push(withTeams);
    managersChanged = changed;
  }
  const fastest = (list: TeamsRun[]): TeamsRun => {
    const first = list.reduce((a, b) => (b.firstMs < a.firstMs ? b : a));
    const change = list.reduce((a, b) => (b.changeMs < a.changeMs ? b : a));
    return { ...first, changeMs: change.changeMs, changeProgress: change.changeProgress, changeCounts: change.changeCounts, maxRssMb: Math.max(...list.map((r) => r.maxRssMb)) };
  };
  const without = fastest(runs.without);
  const withTeams = fastest(runs.with);
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  return {
    employees: config.syncEmployees,
    managersChanged,
    without,
    with: withTeams,
    firstRatio: ratio(withTeams.firstMs, without.firstMs),
    changeRatio: ratio(withTeams.changeMs, without.changeMs),
    firstTeamsShare: ratio(withTeams.firstProgress.teamsMs ?? 0, without.firstMs),
    changeTeamsShare: ratio(withTeams.changeProgress.teamsMs ?? 0, without.changeMs),
  };
}
