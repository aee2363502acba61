import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createConnector, type ProviderName } from '../connectors/index.js';
import { parseBaseUrlAllowance } from '../src/connections/base-url.js';
import { createConnection, syncConnection, type ConnectionDeps } from '../src/connections/service.js';
import { createEgress } from '../src/egress/index.js';
import { enableTeamSync } from '../src/connections/team-sync.js';
import { openDatabase } from '../src/db/client.js';
import { limitHeapGrowth } from '../src/memory.js';
import { createTenant } from '../src/tenants/tenants.js';
import { putMapping } from '../src/connections/mapping.js';
import type { Mapping } from '../src/mapping/mapping.js';
import { watchHrWait } from './hr-wait.js';
import { benchMappings, type BenchMappingName } from './sync-mapping.js';
import { diskUsage } from './memory.js';

/**
 * One store's full sync of a fake HR company, in a process of its own so its peak RSS is the
 * sync's alone (the fake runs in the parent). After the first run it prints that run as a JSON
 * line and waits for a line on stdin (the parent reads the fake's request count in between), then
 * runs again as the scheduler would (incremental where the connector can) with nothing changed in
 * HR, closes the store and prints `{ second, maxRssMb, dataDirMb }` (the last on PGlite only).
 * Env: SYNC_BENCH_CONNECTION (what an admin posts to connect), SYNC_BENCH_TODAY, SYNC_BENCH_UNPACED
 * (lift the connector's own request budget), SYNC_BENCH_BATCH, and SYNC_BENCH_DATABASE_URL
 * (PostgreSQL) or nothing for PGlite in a temporary directory.
 * SYNC_BENCH_TEAMS=1 turns team sync on before the first run; SYNC_BENCH_MAPPING=ten saves the
 * ten-attribute mapping of bench/sync-mapping.ts before it.
 */
const env = process.env;
// As the server and the Docker image run a sync: the same heap growth limit (HEAP_GROWTH_PERCENT).
limitHeapGrowth(env.HEAP_GROWTH_PERCENT === undefined ? 10 : Number(env.HEAP_GROWTH_PERCENT));
const dataDir = env.SYNC_BENCH_DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'rollcall-sync-bench-'));
const database = await openDatabase(env.SYNC_BENCH_DATABASE_URL ? { databaseUrl: env.SYNC_BENCH_DATABASE_URL, poolSize: 4 } : { dataDir: dataDir!, holder: 'the sync bench', initializeInChild: true });
let closed = false;
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
try {
  await database.migrate();
  const tenant = await createTenant(database.db, 'bench');
  const now = () => new Date(`${env.SYNC_BENCH_TODAY}T12:00:00Z`);
  const unpaced = env.SYNC_BENCH_UNPACED === '1' ? { requestsPerMinute: 1_000_000_000, burst: 1_000_000 } : {};
  const deps: ConnectionDeps = {
    db: database.db,
    secretKey: randomBytes(32),
    owner: 'bench',
    leaseSeconds: 3600,
    ...(env.SYNC_BENCH_BATCH ? { batchSize: Number(env.SYNC_BENCH_BATCH) } : {}),
    now,
    connectors: (provider: ProviderName, credentials, d) => createConnector(provider, credentials, { ...d, now, http: { timeoutMs: 120_000, ...unpaced } }),
    // The fake HR servers listen on loopback: allowed as an operator would allow a proxy.
    egress: createEgress({ allowed: ['127.0.0.0/8', '::1'] }),
    allowedBaseUrls: parseBaseUrlAllowance(['http://127.0.0.1:*']),
  };
  // Auto onboarding: a first run creates everyone; nothing is archived, so the safety stop does not apply.
  const connection = await createConnection(deps, tenant.id, { ...JSON.parse(env.SYNC_BENCH_CONNECTION!), onboarding: 'auto' });
  // On an empty directory enabling creates nothing: the first run builds every team.
  if (env.SYNC_BENCH_MAPPING) {
    const mapping = benchMappings[env.SYNC_BENCH_MAPPING as BenchMappingName];
    if (!mapping) throw new Error(`unknown SYNC_BENCH_MAPPING ${env.SYNC_BENCH_MAPPING}`);
    await putMapping(database.db, tenant.id, connection.id, mapping as unknown as Mapping, 'bench');
  }
  if (env.SYNC_BENCH_TEAMS === '1') await enableTeamSync(deps, tenant.id, connection.id, { confirm: true }, 'bench', { kind: 'admin', id: 'bench' });
  const hrWait = watchHrWait();
  const timed = async (trigger: 'manual' | 'schedule') => {
    const t0 = performance.now();
    const waited0 = hrWait.totalMs();
    const cpu0 = process.cpuUsage();
    const { run } = await syncConnection(deps, tenant.id, connection.id, { mode: 'apply', trigger });
    if (run.state !== 'succeeded') throw new Error(`run ${run.state}: ${run.error ?? JSON.stringify(run.held)}`);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { ms: Math.round(ms), ownMs: Math.round(ms - (hrWait.totalMs() - waited0)), cpuMs: Math.round((cpu.user + cpu.system) / 1000), counts: run.counts, progress: run.progress };
  };
  process.stdout.write(`${JSON.stringify({ first: await timed('manual') })}\n`);
  await stdin.next();
  const second = await timed('schedule');
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // The data directory as it stays once the store is closed (the shutdown checkpoint done), WAL included.
  await database.close();
  closed = true;
  const dataDirMb = dataDir ? Math.round(diskUsage(join(dataDir, 'pgdata')) / 2 ** 20) : undefined;
  process.stdout.write(`${JSON.stringify({ second, maxRssMb, ...(dataDirMb !== undefined ? { dataDirMb } : {}) })}\n`);
} finally {
  if (!closed) await database.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.stdin.destroy();
}
