import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { BenchConfig, StoreKind } from './config.js';
import { entryArgs, projectRoot, withImageEnv } from './paths.js';
import { createDatabase } from './server.js';
import { startBenchFake, type BenchFake, type SyncProvider } from './sync-fakes.js';

export interface SyncRunFigures {
  ms: number;
  /** The run's wall time less the time spent waiting on the HR server: Rollcall's own time. */
  ownMs: number;
  /**
   * CPU time the syncing process spent on the run (every thread, GC included; the fake and the
   * database are other processes). It moves far less with other work on the machine than `ownMs`.
   */
  cpuMs: number;
  /** Requests the HR fake answered during the run. */
  requests: number;
  counts: Record<string, number>;
  progress: Record<string, number>;
}

/** Targets on PostgreSQL for every HR system: first run ≤ 20 s and no-change run ≤ 5 s of Rollcall's own time, peak RSS ≤ 300 MB. */
export const SYNC_TARGETS = { firstMs: 20_000, secondMs: 5_000, maxRssMb: 300 };

/** The two runs of one worker: figures from the worker, request counts from the fake. */
export interface WorkerFigures {
  first: SyncRunFigures;
  second: SyncRunFigures;
  maxRssMb: number;
  /** The embedded data directory after both runs, WAL included (PGlite only). */
  dataDirMb?: number;
}

export interface SyncOutcome extends WorkerFigures {
  provider: SyncProvider;
  employees: number;
  /** Minutes the first run's requests take at the connector's own pacing, which the bench lifts. */
  pacedFirstMinutes?: number;
}

/**
 * Runs bench/sync-worker.ts against a fake: a first run, then `between` (a change in HR, say),
 * then a second run as the scheduler would start it. The sync runs in a child process so its peak
 * RSS is its own; the fake, which holds the company, runs here and counts each run's requests.
 */
export async function runSyncWorker(
  config: BenchConfig,
  store: StoreKind,
  fake: BenchFake,
  options: { teams?: boolean; between?: () => void; mapping?: string } = {},
): Promise<WorkerFigures> {
  const database = store === 'postgres' ? await createDatabase(config.postgresUrl) : undefined;
  try {
    const env: Record<string, string> = withImageEnv({
      ...(process.env as Record<string, string>),
      SYNC_BENCH_CONNECTION: JSON.stringify(fake.connection),
      SYNC_BENCH_TODAY: fake.today,
      SYNC_BENCH_UNPACED: fake.pacedPerMinute ? '1' : '',
      SYNC_BENCH_TEAMS: options.teams ? '1' : '',
      SYNC_BENCH_MAPPING: options.mapping ?? '',
      ...(database ? { SYNC_BENCH_DATABASE_URL: database.url } : {}),
    });
    const flags = process.env.SYNC_BENCH_NODE_FLAGS ? process.env.SYNC_BENCH_NODE_FLAGS.split(' ') : [];
    const child = spawn(process.execPath, [...flags, ...entryArgs('bench/sync-worker')], { cwd: projectRoot, env, stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((ok) => child.on('exit', ok));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    // The worker's figures are its JSON lines; anything else it prints (node's --trace-gc, say) is passed on.
    const next = async (): Promise<Record<string, any>> => {
      for (;;) {
        const { value, done } = await lines.next();
        if (done) throw new Error(`sync bench worker (${store}) stopped: exit ${await exited}`);
        if (String(value).startsWith('{')) return JSON.parse(value) as Record<string, any>;
        process.stderr.write(`${value}\n`);
      }
    };
    const before = fake.requests();
    const { first } = await next();
    const afterFirst = fake.requests();
    options.between?.();
    child.stdin.write('next\n');
    const { second, maxRssMb, dataDirMb } = await next();
    const afterSecond = fake.requests();
    await exited;
    return { first: { ...first, requests: afterFirst - before }, second: { ...second, requests: afterSecond - afterFirst }, maxRssMb, ...(dataDirMb !== undefined ? { dataDirMb: Number(dataDirMb) } : {}) };
  } finally {
    await database?.drop();
  }
}

/** A full sync of a generated company from a fake HR system: a first run (everyone created, auto onboarding), then a run with no change in HR. */
export async function benchSync(config: BenchConfig, store: StoreKind, provider: SyncProvider, options: { mapping?: string } = {}): Promise<SyncOutcome> {
  const fake = await startBenchFake(provider, config.syncEmployees);
  try {
    const figures = await runSyncWorker(config, store, fake, options.mapping ? { mapping: options.mapping } : {});
    const outcome: SyncOutcome = { provider, employees: config.syncEmployees, ...figures };
    if (fake.pacedPerMinute) outcome.pacedFirstMinutes = Math.round((outcome.first.requests / fake.pacedPerMinute) * 10) / 10;
    return outcome;
  } finally {
    await fake.close();
  }
}
