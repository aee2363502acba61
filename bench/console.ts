import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createBackground } from '../src/admin/background.js';
import { createApp } from '../src/app.js';
import { createAdminVerifier } from '../src/auth/admin-jwt.js';
import { createConsoleSession } from '../src/auth/console-sessions.js';
import { createTokenVerifier } from '../src/auth/scim-tokens.js';
import { parseBaseUrlAllowance } from '../src/connections/base-url.js';
import { createConnection, syncConnection, updateConnection } from '../src/connections/service.js';
import { createEgress } from '../src/egress/index.js';
import type { ConnectionDeps } from '../src/connections/service.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createLogger } from '../src/log.js';
import { createTenant } from '../src/tenants/tenants.js';
import { startBambooHrFake } from '../test/fakes/bamboohr/dev.js';
import { percentile } from './stats.js';

/**
 * Console page latency with a large tenant: 50,000 people from a (fake, loopback) BambooHR, all
 * waiting as candidates, so "Add people" lists its first 250 and People pages to the last page.
 * Each page is requested sequentially (warm-up first), as one admin clicking around would.
 *
 *   npx tsx bench/console.ts                       # PGlite, in memory
 *   BENCH_STORE=postgres npx tsx bench/console.ts  # PostgreSQL (BENCH_DATABASE_URL or the test server)
 *   BENCH_PEOPLE=5000 BENCH_REQUESTS=20 …          # smaller
 */
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const WARMUP = 3;
const store = process.env.BENCH_STORE === 'postgres' ? 'postgres' : 'pglite';
const log = (line: string) => process.stdout.write(`${line}\n`);

async function openStore(): Promise<{ database: Database; drop(): Promise<void> }> {
  if (store === 'pglite') {
    const database = await openDatabase({});
    await database.migrate();
    return { database, drop: () => database.close() };
  }
  const base = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const name = `rollcall_console_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
  await database.migrate();
  return {
    database,
    drop: async () => {
      await database.close();
      const again = postgres(base, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

const { database, drop } = await openStore();
const secretKey = randomBytes(32);
const tenant = await createTenant(database.db, 'acme', 'Acme Corp');
const hr = await startBambooHrFake({ size: PEOPLE, seed: 50_000 });
// The fake HR system is on loopback: allowed as an operator would allow it (egress and base URLs).
const connections: ConnectionDeps = {
  db: database.db,
  secretKey,
  owner: 'console-bench',
  leaseSeconds: 600,
  now: () => new Date(`${hr.today}T12:00:00Z`),
  egress: createEgress({ allowed: ['127.0.0.0/8', '::1'] }),
  allowedBaseUrls: parseBaseUrlAllowance(['http://127.0.0.1:*']),
};
log(`console bench on ${store}: ${PEOPLE} people from a fake BambooHR`);
let t = Date.now();
const conn = await createConnection(connections, tenant.id, hr.connection);
await updateConnection(connections, tenant.id, conn.id, { onboarding: 'review', safetyThresholdPercent: 100 });
const { run } = await syncConnection(connections, tenant.id, conn.id, { mode: 'apply' });
log(`first sync: ${run.state}, ${JSON.stringify(run.counts)} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
// Planner statistics, as the server has them within a minute of a large import (PostgreSQL's
// autovacuum; the embedded store's own once-a-minute analyze): pages are measured as admins meet them.
await database.db.execute(sql.raw('analyze'));

const background = createBackground();
const app = createApp({
  database,
  env: { BODY_LIMIT: 1024 * 1024, SCIM_MAX_RESULTS: 1000 },
  log: createLogger('silent'),
  tokens: createTokenVerifier(database.db),
  secretKey,
  admin: { verify: createAdminVerifier(secretKey), connections, background },
});
const server = createAdaptorServer({ fetch: app.fetch });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const session = await createConsoleSession(database.db, { role: 'admin', subject: 'bench', tenantId: tenant.id, intent: 'all', returnUrl: null }, { idleMs: 3_600_000, absoluteMs: 3_600_000 });
const cookie = `rollcall_console=${session.secret}`;

/** A cursor link the page itself offers (Last page, Next page), as an admin would follow it. */
async function linkOf(path: string, label: string): Promise<string> {
  const html = await (await fetch(`${url}/console/t/acme${path}`, { headers: { cookie } })).text();
  const href = new RegExp(`href="/console/t/acme(/people[^"]*)">${label}</a>`).exec(html)?.[1];
  if (!href) throw new Error(`${path}: no "${label}" link`);
  return href.replaceAll('&amp;', '&');
}
const candidates = run.counts.create ?? 0;
const pages: [string, string][] = [
  ['Overview', ''],
  ['Identity provider', '/idp'],
  ['HR systems', '/hr'],
  ['Connection (runs)', `/hr/${conn.id}`],
  [`Run with ${run.counts.create} operations`, `/runs/${run.id}`],
  ['Run, one kind listed in full (first 200)', `/runs/${run.id}/operations?kind=create`],
  ['People, first page', '/people'],
  ['People, last page', await linkOf('/people', 'Last page')],
  ['People, search', '/people?search=smith'],
  ['People, lifecycle filter', '/people?lifecycle=candidate'],
  ['People, lifecycle filter, last page', await linkOf('/people?lifecycle=candidate', 'Last page')],
  ['People, HR status filter, second page', await linkOf('/people?management=managed', 'Next page')],
  [`Add people (250 of ${candidates} candidates)`, '/people/add'],
  ['Team sync', '/teams'],
  ['Tokens', '/tokens'],
  ['Audit log', '/audit'],
  ['Change feed', '/feed'],
];
if (process.env.BENCH_EXPLAIN) await explain();
log(`load average before the pages: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`);
log('\n| page | p50 ms | p95 ms | max ms | bytes |');
log('| --- | ---: | ---: | ---: | ---: |');
let worst = 0;
for (const [name, path] of pages) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    t = performance.now();
    const res = await fetch(`${url}/console/t/acme${path}`, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    if (i >= WARMUP) times.push(performance.now() - t);
    bytes = body.length;
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  worst = Math.max(worst, p95);
  log(`| ${name} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${bytes} |`);
}
log(`\nworst p95: ${worst.toFixed(1)} ms (target: under 100 ms); load average after: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`);
/** `BENCH_EXPLAIN=1`: the plans of the pages' main queries with 50,000 people, as the pages run them. */
async function explain() {
  const t = `'${tenant.id}'`;
  const cols = 'id, user_name, display_name, external_id, active, lifecycle, management, connection_id, remote_id, created_at, updated_at';
  // postgres.js answers an array of rows, PGlite an object with `rows`.
  const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, string>[];
  const [middle] = rowsOf(await database.db.execute(sql.raw(`select id from users where tenant_id = ${t} order by id offset 25000 limit 1`)));
  const statements: [string, string][] = [
    ['People, lifecycle filter, first page', `select ${cols} from users where tenant_id = ${t} and lifecycle = 'candidate' order by id limit 51`],
    ['People, lifecycle filter, a middle page', `select ${cols} from users where tenant_id = ${t} and lifecycle = 'candidate' and id > '${middle!.id}' order by id limit 51`],
    ['People, lifecycle filter, last page', `select ${cols} from users where tenant_id = ${t} and lifecycle = 'candidate' order by id desc limit 51`],
    ['People, HR status filter', `select ${cols} from users where tenant_id = ${t} and management = 'managed' and id > '${middle!.id}' order by id limit 51`],
    ['People count, capped', `select count(*) from (select 1 from users where tenant_id = ${t} and lifecycle = 'candidate' order by id limit 10001) c`],
    ['People, search', `select ${cols} from users where tenant_id = ${t} and (lower(user_name) like '%smith%' or lower(display_name) like '%smith%') order by id limit 51`],
    ['Run operations of one kind', `select seq, kind, remote_id, user_id, email, reason, detail from sync_run_operations where run_id = '${run.id}' and kind = 'create' and seq > 20000 order by seq limit 51`],
  ];
  for (const [name, statement] of statements) {
    const lines = rowsOf(await database.db.execute(sql.raw(`explain analyze ${statement}`))).map((r) => Object.values(r)[0]);
    log(`\n${name}:\n  ${lines.join('\n  ')}`);
  }
}

server.close();
await background.idle();
await hr.close();
await drop();
process.exit(0);
