import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createBambooHr } from '../connectors/bamboohr/connector.js';
import type { BambooHrCredentials } from '../connectors/bamboohr/schema.js';
import { createInterface } from 'node:readline';
import { createConnection, syncConnection, type ConnectionDeps } from '../src/connections/service.js';
import { enableTeamSync } from '../src/connections/team-sync.js';
import { openDatabase } from '../src/db/client.js';
import { createTenant } from '../src/tenants/tenants.js';

/**
 * One store's full sync of a fake BambooHR company, in a process of its own so its peak RSS is
 * the sync's alone (the fake runs in the parent). Prints one JSON line:
 * `{ firstMs, secondMs, firstCounts, secondCounts, maxRssMb }`.
 * Env: SYNC_BENCH_URL (the fake's base URL), SYNC_BENCH_DOMAIN, SYNC_BENCH_KEY, SYNC_BENCH_TODAY,
 * SYNC_BENCH_DATABASE_URL (PostgreSQL) or nothing for PGlite in a temp directory.
 * SYNC_BENCH_TEAMS=1 turns team sync on before the first run; SYNC_BENCH_PAUSE=1 prints
 * `{"phase":"first-done"}` after the first run and waits for a line on stdin (the parent changes
 * the fake company in between) before the second.
 */
const env = process.env;
const dataDir = env.SYNC_BENCH_DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'rollcall-sync-bench-'));
const database = await openDatabase(env.SYNC_BENCH_DATABASE_URL ? { databaseUrl: env.SYNC_BENCH_DATABASE_URL, poolSize: 4 } : { dataDir: dataDir!, holder: 'the sync bench' });
try {
  await database.migrate();
  const tenant = await createTenant(database.db, 'bench');
  const now = () => new Date(`${env.SYNC_BENCH_TODAY}T12:00:00Z`);
  const deps: ConnectionDeps = {
    db: database.db,
    secretKey: randomBytes(32),
    owner: 'bench',
    leaseSeconds: 300,
    now,
    connectors: (_provider, credentials, d) => createBambooHr({ credentials: credentials as BambooHrCredentials, ...(d.baseUrl ? { baseUrl: d.baseUrl } : {}), now, http: { timeoutMs: 120_000 } }),
  };
  const connection = await createConnection(deps, tenant.id, {
    provider: 'bamboohr',
    baseUrl: env.SYNC_BENCH_URL,
    credentials: { companyDomain: env.SYNC_BENCH_DOMAIN, apiKey: env.SYNC_BENCH_KEY },
    onboarding: 'auto',
    // A first run creates everyone; nothing is archived, so the safety stop does not apply.
  });
  // On an empty directory enabling creates nothing: the first run builds every team.
  if (env.SYNC_BENCH_TEAMS === '1') await enableTeamSync(deps, tenant.id, connection.id, { confirm: true }, 'bench', { kind: 'admin', id: 'bench' });
  const timed = async () => {
    const t0 = performance.now();
    const { run } = await syncConnection(deps, tenant.id, connection.id, { mode: 'apply' });
    if (run.state !== 'succeeded') throw new Error(`run ${run.state}: ${run.error ?? JSON.stringify(run.held)}`);
    return { ms: Math.round(performance.now() - t0), counts: run.counts, progress: run.progress };
  };
  const first = await timed();
  if (env.SYNC_BENCH_PAUSE === '1') {
    process.stdout.write(`${JSON.stringify({ phase: 'first-done' })}\n`);
    const lines = createInterface({ input: process.stdin });
    await new Promise<void>((go) => lines.once('line', () => go()));
    lines.close();
  }
  const second = await timed();
  process.stdout.write(
    `${JSON.stringify({ firstMs: first.ms, secondMs: second.ms, firstCounts: first.counts, secondCounts: second.counts, firstProgress: first.progress, secondProgress: second.progress, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
} finally {
  await database.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
