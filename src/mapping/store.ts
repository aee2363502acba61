import { descriptorFor } from '../../connectors/index.js';
import { DomainError } from '../../scim/errors.js';
import { query, toDate, type Executor } from '../db/client.js';
import { loadTenantSettings } from '../directory/tenant-settings.js';
import { defaultMapping } from './defaults.js';
import { mappingSchema, type Mapping, type MappingEntry } from './mapping.js';
import { validateMapping, type ValidatedMapping } from './validate.js';

/** The mapping in force for a connection. Version 0 is the connector's default (nothing saved yet). */
export interface StoredMapping {
  version: number;
  mapping: Mapping;
  isDefault: boolean;
  savedAt: string | null;
  savedBy: string | null;
}

interface Row {
  version: number;
  mapping: unknown;
  saved_by: string | null;
  created_at: Date | string;
}

const stored = (r: Row): StoredMapping => ({
  version: r.version,
  mapping: mappingSchema.parse(r.mapping),
  isDefault: false,
  savedAt: toDate(r.created_at).toISOString(),
  savedBy: r.saved_by,
});

/** The default for a provider: the base mapping plus what its connector adds. */
export function providerDefault(provider: string): Mapping {
  let additions: readonly MappingEntry[] = [];
  try {
    additions = (descriptorFor(provider).defaultMapping ?? []) as readonly MappingEntry[];
  } catch {
    // A provider not in this build has no additions; its connection cannot run anyway.
  }
  return defaultMapping(additions);
}

export async function currentMapping(db: Executor, connection: { id: string; provider: string }): Promise<StoredMapping> {
  const [row] = await query<Row>(db, 'select version, mapping, saved_by, created_at from connection_mappings where connection_id = $1 order by version desc limit 1', [connection.id]);
  if (row) return stored(row);
  return { version: 0, mapping: providerDefault(connection.provider), isDefault: true, savedAt: null, savedBy: null };
}

export async function mappingVersions(db: Executor, connectionId: string): Promise<StoredMapping[]> {
  const found = await query<Row>(db, 'select version, mapping, saved_by, created_at from connection_mappings where connection_id = $1 order by version desc', [connectionId]);
  return found.map(stored);
}

/** Validates against the tenant's declared attributes; a problem is a 400 naming the attribute. */
export async function checkedMapping(db: Executor, tenantId: string, mapping: Mapping): Promise<Extract<ValidatedMapping, { ok: true }>> {
  const { attributes } = await loadTenantSettings(db, tenantId);
  const checked = validateMapping(mapping, attributes);
  if (!checked.ok) {
    const detail = checked.problems.map((p) => `${p.attribute}: ${p.message}`).join('; ');
    throw new DomainError('invalid_value', `mapping: ${detail}`);
  }
  return checked;
}

/**
 * Saves a new version when the mapping differs from the one in force (saving the same one again is
 * no new version, so the next run need not be a full one). The connection row is the lock that
 * keeps two saves from taking one version number.
 */
export async function saveMapping(
  db: Executor,
  input: { tenantId: string; connection: { id: string; provider: string }; mapping: Mapping; savedBy: string | null },
): Promise<{ saved: StoredMapping; changed: boolean }> {
  const { mapping } = await checkedMapping(db, input.tenantId, input.mapping);
  return db.transaction(async (tx) => {
    const executor = tx as unknown as Executor;
    await query(executor, 'select id from connections where id = $1 for update', [input.connection.id]);
    const current = await currentMapping(executor, input.connection);
    if (JSON.stringify(current.mapping) === JSON.stringify(mapping)) return { saved: current, changed: false };
    const [row] = await query<Row>(
      executor,
      `insert into connection_mappings (connection_id, version, tenant_id, mapping, saved_by)
        values ($1, $2, $3, $4::jsonb, $5) returning version, mapping, saved_by, created_at`,
      [input.connection.id, current.version + 1, input.tenantId, JSON.stringify(mapping), input.savedBy],
    );
    return { saved: stored(row!), changed: true };
  });
}
