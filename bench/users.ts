import { q, type ScimClient } from './client.js';
import type { BenchConfig } from './config.js';
import type { CpuFigures, Meter } from './cpu.js';
import { runPool, runSequential, type PhaseResult } from './stats.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const userName = (i: number) => `bench.user.${i}@example.com`;
const externalId = (i: number) => `00u-bench-${i}`;

/** A user as Entra or Okta would provision one: name, one work email, an enterprise extension. */
export function userBody(i: number, title = 'Engineer') {
  return {
    schemas: [CORE, ENTERPRISE],
    userName: userName(i),
    externalId: externalId(i),
    name: { givenName: `Given${i}`, familyName: `Family${i}`, formatted: `Given${i} Family${i}` },
    displayName: `Given${i} Family${i}`,
    emails: [{ value: userName(i), type: 'work', primary: true }],
    active: true,
    title,
    [ENTERPRISE]: { employeeNumber: String(100000 + i), department: `Dept ${i % 40}` },
  };
}

/**
 * The same user reporting to a manager (`BENCH_MANAGERS=1` in bench:compare): as users from an HR
 * system, Okta or Entra mostly do, whose answers give the manager a `$ref`.
 */
export function managedUserBody(i: number, manager: string | undefined, title = 'Engineer') {
  const body = userBody(i, title);
  return manager ? { ...body, [ENTERPRISE]: { ...body[ENTERPRISE], manager: { value: manager } } } : body;
}

/** A fixed pseudo-random order, so every run looks up the same users and no two reads in a row hit the same row. */
export function scatter(n: number, size: number): (i: number) => number {
  const step = 7919 % size || 1;
  return (i) => (i * step + (i >> 3)) % size;
}

/** CPU per request, when measured. */
export const cpuNote = (r: CpuFigures) =>
  `${r.serverCpuMs !== undefined ? `  server ${r.serverCpuMs} ms CPU` : ''}${r.dbCpuMs !== undefined ? `  db ${r.dbCpuMs} ms CPU` : ''}`;

const expectOne = (body: string, what: string) => {
  if (!body.includes('"totalResults":1,')) throw new Error(`${what}: expected exactly one result, got ${body.slice(0, 200)}`);
};

export interface UsersOutcome {
  ids: string[];
  phases: Record<string, PhaseResult & CpuFigures>;
}

/** Creates the users (ids returned for the groups part) and measures each user phase. */
export async function benchUsers(
  client: ScimClient,
  config: BenchConfig,
  measure: boolean,
  settle: () => Promise<void>,
  log: (line: string) => void,
  meter: Meter,
): Promise<UsersOutcome> {
  const ids = new Array<string>(config.users);
  const phases: Record<string, PhaseResult & CpuFigures> = {};
  const c = config.concurrency;
  const phase = async (name: string, run: () => Promise<PhaseResult>) => {
    const result = await meter.measure(run);
    phases[name] = result;
    log(`  ${name.padEnd(18)} ${String(result.opsPerSec).padStart(7)} ops/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms${cpuNote(result)}`);
  };

  await phase('create', () =>
    runPool(config.users, c, async (i) => {
      const created = await client.json<{ id: string }>('POST', '/Users', userBody(i), 201);
      ids[i] = created.id;
    }),
  );
  await settle();
  if (!measure) return { ids, phases: {} };

  const pick = scatter(config.ops, config.users);
  await phase('userName eq', () =>
    runPool(config.ops, c, async (i) => {
      const reply = await client.request('GET', `/Users?filter=${q(`userName eq "${userName(pick(i))}"`)}`);
      expectOne(reply.body, 'userName eq');
    }),
  );
  await phase('externalId eq', () =>
    runPool(config.ops, c, async (i) => {
      const reply = await client.request('GET', `/Users?filter=${q(`externalId eq "${externalId(pick(i))}"`)}`);
      expectOne(reply.body, 'externalId eq');
    }),
  );
  await phase('GET by id', () =>
    runPool(config.ops, c, async (i) => {
      const reply = await client.request('GET', `/Users/${ids[pick(i)]}`);
      if (reply.status !== 200) throw new Error(`GET /Users/:id: ${reply.status} ${reply.body.slice(0, 200)}`);
    }),
  );
  await phase('PATCH title', () =>
    runPool(config.ops, c, async (i) => {
      const body = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `Staff engineer ${i}` }] };
      const reply = await client.request('PATCH', `/Users/${ids[pick(i)]}`, body);
      if (reply.status !== 200) throw new Error(`PATCH /Users/:id: ${reply.status} ${reply.body.slice(0, 200)}`);
    }),
  );
  await phase('PUT', () =>
    runPool(config.ops, c, async (i) => {
      const n = pick(i);
      const reply = await client.request('PUT', `/Users/${ids[n]}`, userBody(n, `Principal engineer ${i}`));
      if (reply.status !== 200) throw new Error(`PUT /Users/:id: ${reply.status} ${reply.body.slice(0, 200)}`);
    }),
  );

  // Entra and Okta deactivate a user with this PATCH before (or instead of) deleting it.
  await phase('PATCH active=false', () =>
    runPool(config.ops, c, async (i) => {
      const body = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: i % 2 === 1 }] };
      const reply = await client.request('PATCH', `/Users/${ids[pick(i)]}`, body);
      if (reply.status !== 200) throw new Error(`PATCH active /Users/:id: ${reply.status} ${reply.body.slice(0, 200)}`);
    }),
  );

  // 20,000 updates leave as many dead rows, which autovacuum clears within a minute.
  await settle();
  const pages = Math.ceil(config.users / 100);
  let seen = 0;
  await phase('page startIndex', () =>
    runSequential(pages, async (p) => {
      const page = await client.json<{ Resources: unknown[] }>('GET', `/Users?startIndex=${p * 100 + 1}&count=100`, undefined, 200);
      seen += page.Resources.length;
    }),
  );
  if (seen !== config.users) throw new Error(`startIndex walk saw ${seen} users, expected ${config.users}`);

  // Pages of 100 as a client reconciling reads them, many clients at once: each request one page.
  const listed = Math.max(200, Math.round(config.ops / 10));
  await phase('list page 100', () =>
    runPool(listed, c, async (i) => {
      const page = await client.json<{ Resources: unknown[] }>('GET', `/Users?startIndex=${(i % pages) * 100 + 1}&count=100`, undefined, 200);
      if (page.Resources.length === 0) throw new Error(`list page ${i % pages}: empty`);
    }),
  );

  seen = 0;
  let cursor = '';
  // One more page than needed at most: a full last page still carries a nextCursor.
  await phase('page cursor', () =>
    runSequential(pages + 1, async () => {
      const page = await client.json<{ Resources: unknown[]; nextCursor?: string }>('GET', `/Users?cursor=${q(cursor)}&count=100`, undefined, 200);
      seen += page.Resources.length;
      cursor = page.nextCursor ?? '';
      return page.nextCursor !== undefined;
    }),
  );
  if (seen !== config.users) throw new Error(`cursor walk saw ${seen} users, expected ${config.users}`);
  return { ids, phases };
}
