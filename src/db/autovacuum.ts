import { query, type Database } from './client.js';

/**
 * The server leaves dead rows and the planner's statistics to PostgreSQL's autovacuum (the embedded
 * store analyzes grown tables itself, see client.ts). With autovacuum off, a first sync of a large
 * company leaves tables whose statistics still say "empty", and every update leaves a dead row
 * behind for good: pages and no-change runs then read more than they need, slower every week. The
 * server keeps working either way; it says so once at start, so the operator learns it from the log
 * rather than from a slow month.
 */
export function autovacuumAdvice(setting: string | undefined): string | undefined {
  if (setting === undefined || setting === 'on') return undefined;
  return (
    `PostgreSQL's autovacuum is ${setting}: nothing refreshes the planner's statistics or clears dead rows after large syncs and updates. ` +
    'Turn it on (autovacuum = on, the default), or run VACUUM ANALYZE on this database after large imports and regularly'
  );
}

/** The server's `autovacuum` setting on PostgreSQL; undefined on the embedded store, which has none. */
export async function autovacuumSetting(database: Pick<Database, 'db' | 'kind'>): Promise<string | undefined> {
  if (database.kind !== 'postgres') return undefined;
  const [row] = await query<{ setting: string }>(database.db, "select current_setting('autovacuum') as setting", []);
  return row?.setting;
}
