import postgres from 'postgres';
import type { BenchConfig } from './config.js';
import type { CpuFigures, Meter } from './cpu.js';
import { pageStatement } from '../src/directory/users/list-users.js';
import { createHttp1Pool } from './http1.js';
import { runPool, type PhaseResult } from './stats.js';
import { userName } from './users.js';

/** The server's own statement for an unfiltered page, without the groups. */
const PAGE_AS_TEXT = pageStatement(false, false);

/**
 * Ceilings on this machine, for reading the service's figures: the same queries the hot paths run,
 * sent straight from postgres.js (pool of 10, like the server's default) at the same concurrency,
 * and the bare HTTP round trip to the server's /healthz (no auth, no database).
 */
export async function referenceRows(
  config: BenchConfig,
  healthUrl: string,
  ids: string[],
  databaseUrl: string | undefined,
  meter: Meter,
): Promise<Record<string, PhaseResult & CpuFigures>> {
  // With CPU per request too: the server's for /healthz, PostgreSQL's for the queries.
  const rows: Record<string, PhaseResult & CpuFigures> = {};
  const n = Math.min(config.ops, ids.length);
  const c = config.concurrency;

  // The same lean client as the SCIM phases (http1.ts), so the two figures compare.
  const url = new URL(healthUrl);
  const pool = createHttp1Pool(url.hostname, Number(url.port), c);
  rows['HTTP /healthz'] = await meter.measure(() => runPool(n, c, async () => {
    const reply = await pool.request('GET', url.pathname, {});
    if (reply.status !== 200) throw new Error(`/healthz answered ${reply.status}`);
  }));
  pool.close();
  // PGlite lives inside the server process; only PostgreSQL can be queried from here.
  if (!databaseUrl || ids.length === 0) return rows;

  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  try {
    const [first] = await sql<{ tenant_id: string }[]>`select tenant_id from users limit 1`;
    const tenant = first!.tenant_id;
    rows['pg: user by id'] = await meter.measure(() => runPool(n, c, async (i) => {
      await sql`select * from users where tenant_id = ${tenant} and id = ${ids[i % ids.length]!}`;
    }));
    rows['pg: userName eq'] = await meter.measure(() => runPool(n, c, async (i) => {
      await sql`select * from users where tenant_id = ${tenant} and lower(user_name) = lower(${userName(i % ids.length)})`;
    }));
    // A list page: 100 rows by id from an offset, as startIndex paging reads them. The pages are read
    // before the writes below, on the table as the server's page phase found it (vacuumed, every
    // heap page all-visible): after the 20,000 reference writes below, PostgreSQL spent 1.5 to 3 times
    // as much on each.
    const pages = Math.max(1, Math.ceil(ids.length / 100));
    rows['pg: page of 100'] = await meter.measure(() => runPool(Math.max(200, Math.round(n / 10)), c, async (i) => {
      await sql`select id, doc, version, created_at, updated_at from users where tenant_id = ${tenant} order by id limit 100 offset ${(i % pages) * 100}`;
    }));
    // The least a page read per request can cost: the page's ids on the index alone, their rows with
    // each document as text (nothing parsed here) and the total, as the server's page statement
    // reads them, without the groups. What a page costs beyond this is the server's.
    rows['pg: page of 100, text'] = await meter.measure(() => runPool(Math.max(200, Math.round(n / 10)), c, async (i) => {
      await sql.unsafe(PAGE_AS_TEXT, [tenant, 100, (i % pages) * 100], { prepare: true }).raw();
    }));
    // The write as BEGIN / lock / update / event / COMMIT: five round trips.
    rows['pg: write, 5 trips'] = await meter.measure(() => runPool(n, c, async (i) => {
      await sql.begin(async (tx) => {
        const id = ids[i % ids.length]!;
        await tx`select * from users where tenant_id = ${tenant} and id = ${id} for update`;
        await tx`update users set doc = jsonb_set(doc, '{title}', ${sql.json(`Ref ${i}`)}), version = version + 1, updated_at = now() where tenant_id = ${tenant} and id = ${id}`;
        await tx`insert into change_events (tenant_id, type, resource_type, resource_id, source, payload) values (${tenant}, 'user.updated', 'User', ${id}, '{}', '{}')`;
      });
    }));
    // The same write as one statement: a CTE that updates the row and appends the event.
    rows['pg: write, 1 trip'] = await meter.measure(() => runPool(n, c, async (i) => {
      const id = ids[i % ids.length]!;
      await sql`with u as (update users set doc = jsonb_set(doc, '{title}', ${sql.json(`Ref ${i}`)}), version = version + 1, updated_at = now()
        where tenant_id = ${tenant} and id = ${id} returning id)
        insert into change_events (tenant_id, type, resource_type, resource_id, source, payload) select ${tenant}, 'user.updated', 'User', id, '{}', '{}' from u`;
    }));
    // POST /Users's statement: the row and its user.created event in one CTE.
    const doc = sql.json({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x', title: 'Engineer' });
    const inserted = new Array<string>(n);
    rows['pg: insert, 1 trip'] = await meter.measure(() => runPool(n, c, async (i) => {
      const [row] = await sql<{ id: string }[]>`with u as (insert into users (id, tenant_id, user_name, emails, doc)
          values (gen_random_uuid(), ${tenant}, ${`ref.${i}@example.com`}, array[${`ref.${i}@example.com`}]::text[], ${doc}) returning *),
        e as (insert into change_events (tenant_id, type, resource_type, resource_id, source, payload) select ${tenant}, 'user.created', 'User', id, '{}', doc from u)
        select id from u`;
      inserted[i] = row!.id;
    }));
    // DELETE /Users's statement in its simplest form: the row and its user.deleted event.
    rows['pg: delete, 1 trip'] = await meter.measure(() => runPool(n, c, async (i) => {
      await sql`with d as (delete from users where tenant_id = ${tenant} and id = ${inserted[i]!} returning id)
        insert into change_events (tenant_id, type, resource_type, resource_id, source, payload) select ${tenant}, 'user.deleted', 'User', id, '{}', '{}' from d`;
    }));
  } finally {
    await sql.end({ timeout: 5 });
  }
  return rows;
}
