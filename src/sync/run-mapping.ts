import type { Executor } from '../db/client.js';
import type { ConnectionRow } from '../connections/connection.js';
import type { CompiledMapping } from '../mapping/compile.js';
import { checkedMapping, currentMapping } from '../mapping/store.js';

export interface RunMapping {
  version: number;
  compiled: CompiledMapping;
}

/**
 * The connection's mapping in force, checked against the tenant's attributes as they are now and
 * compiled once for the run (expressions parsed once, not per employee). Throws when the saved
 * mapping no longer fits (an attribute it fills was removed): the run fails with that reason.
 */
export async function runMapping(db: Executor, connection: ConnectionRow): Promise<RunMapping> {
  const stored = await currentMapping(db, connection);
  const checked = await checkedMapping(db, connection.tenantId, stored.mapping);
  return { version: stored.version, compiled: checked.compiled };
}
