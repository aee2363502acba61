import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient, q, type ScimClient } from './client.js';
import { readConfig } from './config.js';
import { createMeter, type Meter } from './cpu.js';
import { startBenchServer, type BenchServer } from './server.js';
import { percentile, runPool } from './stats.js';
import { managedUserBody, scatter, userBody, userName } from './users.js';

/**
 * `npm run bench:compare -- <other checkout>`: this build's server and another's, both on PostgreSQL,
 * measured in alternating rounds (this, other, other, this, …). On a shared machine the same bench
 * run twice differs by a quarter, and from one hour to the next by more: two builds compared in
 * separate runs measure the machine. Alternating rounds of the same phases on two live servers put
 * both under the same conditions, and the medians of the rounds are what to compare. The other
 * checkout must be built (`npm run build` there, with its dependencies installed).
 */
const config = readConfig();
const other = process.argv[2] ? resolve(process.argv[2]) : undefined;
if (!other || !existsSync(join(other, 'dist', 'src', 'main.js'))) {
  process.stderr.write('usage: npm run bench:compare -- <checkout with a built dist/src/main.js>\n');
  process.exit(2);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const USERS = config.users;
/** Users report to a manager, eight to each, when set: their answers then carry the manager's `$ref`. */
const MANAGERS = process.env.BENCH_MANAGERS === '1';
const managerOf = (ids: string[], i: number) => (MANAGERS && i > 0 ? ids[Math.floor((i - 1) / 8)] : undefined);
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Contender {
  name: string;
  server: BenchServer;
  client: ScimClient;
  meter: Meter;
  ids: string[];
  figures: Record<string, { ops: number[]; server: number[]; db: number[] }>;
}

async function contender(name: string, build?: string): Promise<Contender> {
  const server = await startBenchServer('postgres', config, undefined, {}, undefined, build);
  const client = createClient(server.scimUrl, server.token, config.concurrency);
  const ids = new Array<string>(USERS);
  await runPool(USERS, config.concurrency, async (i) => {
    ids[i] = (await client.json<{ id: string }>('POST', '/Users', userBody(i), 201)).id;
  });
  // Given after creation (a manager's id is known once it exists), before the table settles.
  if (MANAGERS) await runPool(USERS, config.concurrency, (i) => expectOk(client.request('PUT', `/Users/${ids[i]}`, managedUserBody(i, managerOf(ids, i)))));
  await server.settle();
  return { name, server, client, meter: createMeter(server.pid, server.databaseUrl), ids, figures: {} };
}

// The main bench's scattered order, so no two requests in a row touch one row.
const pick = scatter(config.ops, USERS);
const pages = Math.ceil(USERS / 100);
/** Each phase's requests per round: the main bench's, a tenth of them for pages of 100 (as its `list page 100`). */
const phases: [string, (x: Contender, i: number, round: number) => Promise<void>, number][] = [
  ['GET by id', (x, i) => expectOk(x.client.request('GET', `/Users/${x.ids[pick(i)]}`)), config.ops],
  ['userName eq', (x, i) => expectOk(x.client.request('GET', `/Users?filter=${q(`userName eq "${userName(pick(i))}"`)}`)), config.ops],
  ['page of 100', (x, i) => expectOk(x.client.request('GET', `/Users?startIndex=${(i % pages) * 100 + 1}&count=100`)), Math.max(200, Math.round(config.ops / 10))],
  ['PATCH title', (x, i, r) => expectOk(x.client.request('PATCH', `/Users/${x.ids[pick(i)]}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `Title ${r}.${i}` }] })), config.ops],
  ['PUT', (x, i, r) => expectOk(x.client.request('PUT', `/Users/${x.ids[pick(i)]}`, managedUserBody(pick(i), managerOf(x.ids, pick(i)), `Title ${r}.${i}`))), config.ops],
];
async function expectOk(reply: Promise<{ status: number; body: string }>): Promise<void> {
  const { status, body } = await reply;
  if (status !== 200) throw new Error(`${status} ${body.slice(0, 200)}`);
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const contenders = [await contender('this build'), await contender(`other (${other})`, other)];
try {
  // Round -1 warms each server's code paths (the first requests run before V8 has optimised them) and is not counted.
  for (let round = -1; round < ROUNDS; round++) {
    // Each round swaps which goes first, so neither always runs just after the other's writes.
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const [name, op, count] of phases) {
      for (const x of order) {
        const result = await x.meter.measure(() => runPool(count, config.concurrency, (i) => op(x, i, round)));
        if (round < 0) continue;
        const f = (x.figures[name] ??= { ops: [], server: [], db: [] });
        f.ops.push(result.opsPerSec);
        f.server.push(result.serverCpuMs ?? NaN);
        f.db.push(result.dbCpuMs ?? NaN);
      }
    }
  }
  process.stdout.write(`${USERS} users, ${config.ops} requests per phase and round, ${config.concurrency} in flight, ${ROUNDS} rounds; medians of the rounds\n`);
  process.stdout.write(`${'phase'.padEnd(12)} ${'build'.padEnd(12)} ${'ops/s'.padStart(7)} ${'srv CPU ms'.padStart(10)} ${'db CPU ms'.padStart(9)}  rounds (ops/s)\n`);
  for (const [name] of phases) {
    for (const x of contenders) {
      const f = x.figures[name]!;
      process.stdout.write(`${name.padEnd(12)} ${x.name.slice(0, 12).padEnd(12)} ${String(median(f.ops)).padStart(7)} ${median(f.server).toFixed(3).padStart(10)} ${median(f.db).toFixed(3).padStart(9)}  ${f.ops.join(' ')}\n`);
    }
    const [mine, theirs] = contenders.map((x) => x.figures[name]!);
    process.stdout.write(`${''.padEnd(12)} ${'ratio'.padEnd(12)} ${(median(mine!.ops) / median(theirs!.ops)).toFixed(2).padStart(7)} ${(median(mine!.server) / median(theirs!.server)).toFixed(2).padStart(10)} ${(median(mine!.db) / median(theirs!.db)).toFixed(2).padStart(9)}\n`);
  }
} finally {
  for (const x of contenders) {
    x.client.close();
    await x.meter.close();
    await x.server.stop();
  }
}
