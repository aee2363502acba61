import type { FakeBambooHr } from '../test/fakes/bamboohr/server.js';
import { createRandom } from '../test/fakes/shared/random.js';
import type { BenchConfig, StoreKind } from './config.js';
import { startBambooHrFake } from '../test/fakes/bamboohr/dev.js';
import { runSyncWorker } from './sync.js';

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
  const fake = await startBambooHrFake({ seed: 50_000, size: config.syncEmployees });
  try {
    let managersChanged = 0;
    const { first, second, maxRssMb } = await runSyncWorker(config, store, fake, { teams, between: () => (managersChanged = changeManagers(fake.fake)) });
    return { firstMs: first.ms, changeMs: second.ms, firstProgress: first.progress, changeProgress: second.progress, changeCounts: second.counts, maxRssMb, managersChanged };
  } finally {
    await fake.close();
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
