import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bambooHrBaseUrl } from '../connectors/bamboohr/connector.js';
import { generateCompany } from '../test/fakes/bamboohr/generate.js';
import { defaultKey, startFakeBambooHr } from '../test/fakes/bamboohr/server.js';
import type { BenchConfig, StoreKind } from './config.js';
import { createDatabase } from './server.js';

export interface SyncOutcome {
  employees: number;
  firstMs: number;
  secondMs: number;
  maxRssMb: number;
  firstCounts: Record<string, number>;
  secondCounts: Record<string, number>;
  firstProgress: Record<string, number>;
  secondProgress: Record<string, number>;
}

/** Targets on PostgreSQL: first run ≤ 20 s, no-change run ≤ 5 s, peak RSS ≤ 300 MB. */
export const SYNC_TARGETS = { firstMs: 20_000, secondMs: 5_000, maxRssMb: 300 };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A full BambooHR sync of a generated company from the fake on loopback: a first run (everyone
 * created, auto onboarding), then a run with no change in HR. The sync runs in a child process
 * (bench/sync-worker.ts) so its peak RSS is its own; the fake, which holds the company, runs here.
 */
export async function benchSync(config: BenchConfig, store: StoreKind): Promise<SyncOutcome> {
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
      ...(database ? { SYNC_BENCH_DATABASE_URL: database.url } : {}),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sync-worker.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((ok) => child.on('exit', ok));
    const line = out.trim().split('\n').pop() ?? '';
    if (code !== 0 || !line.startsWith('{')) throw new Error(`sync bench worker exited with ${code}: ${out.slice(-500)}`);
    return { employees: config.syncEmployees, ...(JSON.parse(line) as Omit<SyncOutcome, 'employees'>) };
  } finally {
    await fake.close();
    await database?.drop();
  }
}
