import type { Executor } from '../db/client.js';
import type { ConnectionRow } from '../connections/connection.js';
import type { CompiledMapping } from '../mapping/compile.js';
import { checkedMapping, currentMapping } from '../mapping/store.js';
import type { Mapping } from '../mapping/mapping.js';
import { validateMapping } from '../mapping/validate.js';

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
  // A connection that never saved one runs its provider's default, which fills core and enterprise
  // attributes only: nothing of the tenant's to check it against, and one compilation serves every run.
  if (stored.isDefault) return { version: stored.version, compiled: defaultCompiled(connection.provider, stored.mapping) };
  const checked = await checkedMapping(db, connection.tenantId, stored.mapping);
  return { version: stored.version, compiled: checked.compiled };
}

const defaults = new Map<string, CompiledMapping>();

function defaultCompiled(provider: string, mapping: Mapping): CompiledMapping {
  let compiled = defaults.get(provider);
  if (!compiled) {
    const checked = validateMapping(mapping, []);
    if (!checked.ok) throw new Error(`${provider}'s default mapping does not validate: ${checked.problems.map((p) => p.message).join('; ')}`);
    compiled = checked.compiled;
    defaults.set(provider, compiled);
  }
  return compiled;
}
