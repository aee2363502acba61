import { URN } from '../../scim/schemas/urns.js';
import { query, type Executor } from '../db/client.js';
import { HR_URN, type HrExtension } from './hr-doc.js';
import { BASE_COMPILED, hrKeyOf, type MappableAttribute } from './mapped.js';
import type { DirectoryUser } from './plan-types.js';

interface RawDirectoryUser {
  id: string;
  user_name: string;
  emails: string[];
  ext: (HrExtension & { bankAccountDigest?: string }) | null;
  manager_id: string | null;
  /** The mapped attributes' stored values, in the order of the attributes asked for. */
  mapped: unknown[] | null;
}

/** A document path as a Postgres text-array literal; the segments are attribute names and URNs (validated), quoted anyway. */
function pathLiteral(docPath: readonly string[]): string {
  for (const s of docPath) if (!/^[A-Za-z0-9:._$-]+$/.test(s)) throw new Error(`unexpected attribute path segment ${JSON.stringify(s)}`);
  return `'{${docPath.map((s) => `"${s}"`).join(',')}}'`;
}

/**
 * Only the parts of each document the planner compares: at 50,000 users that is a few megabytes
 * instead of every full document. The mapped attributes come as one JSON array per user.
 */
function loadSql(attributes: readonly MappableAttribute[]): string {
  const mapped = attributes.length > 0 ? `jsonb_build_array(${attributes.map((a) => `u.doc #> ${pathLiteral(a.docPath)}`).join(', ')})` : 'null::jsonb';
  return `select u.id, u.user_name, u.emails, u.doc -> $2::text as ext, u.doc -> $3::text -> 'manager' ->> 'value' as manager_id,
    ${mapped} as mapped
  from users u where u.tenant_id = $1`;
}

/**
 * Every user of the tenant as the planner sees it, with the HR fields last applied read back from
 * the document (the fixed ones, and each attribute `attributes` — the connection's mapping — fills),
 * so "did anything change in HR" compares like with like.
 */
export async function loadDirectoryUsers(db: Executor, tenantId: string, attributes: readonly MappableAttribute[] = BASE_COMPILED.attributes): Promise<DirectoryUser[]> {
  const [raw, said] = await Promise.all([
    query<RawDirectoryUser>(db, loadSql(attributes), [tenantId, HR_URN, URN.enterpriseUser]),
    query<{ user_id: string; source_key: string; path: string; attempted: unknown }>(db, HR_SAID, [tenantId]),
  ]);
  const remoteIdOf = new Map(raw.filter((r) => r.ext?.remoteId).map((r) => [r.id, r.ext!.remoteId!]));
  const saidOf = new Map<string, typeof said>();
  for (const row of said) saidOf.set(row.user_id, [...(saidOf.get(row.user_id) ?? []), row]);
  const keyOfPath = new Map(attributes.map((a) => [a.path, hrKeyOf(a.path)]));
  return raw.map((r) => {
    const ext = r.ext;
    const fields = ext?.management === 'managed' ? hrFieldsFromDoc(r, attributes, remoteIdOf) : null;
    if (fields) {
      const mine = `connection:${ext?.connection?.value}`;
      for (const row of saidOf.get(r.id) ?? []) if (row.source_key === mine) overlay(fields, row.path, row.attempted, remoteIdOf, keyOfPath);
    }
    return {
      id: r.id,
      userName: r.user_name,
      emails: r.emails ?? [],
      lifecycle: ext?.lifecycle ?? 'active',
      management: ext?.management ?? 'manual',
      connectionId: ext?.connection?.value ?? null,
      remoteId: ext?.remoteId ?? null,
      hr: fields,
    };
  });
}

/**
 * What the tenant's HR connections last tried to write to fields another source owns (the directory
 * kept the owner's value and recorded the attempt as a conflict). The planner compares HR with what
 * HR last said, not with the owner's value, or it would plan the same ignored update every run.
 */
const HR_SAID = `select user_id, source_key, path, attempted from user_conflicts where tenant_id = $1 and source_key like 'connection:%'`;

function overlay(fields: Record<string, unknown>, path: string, attempted: unknown, remoteIdOf: Map<string, string>, keyOfPath: Map<string, string>): void {
  if (path === 'userName') {
    fields.workEmail = typeof attempted === 'string' ? attempted.toLowerCase() : null;
    return;
  }
  if (path === `${URN.enterpriseUser}:manager.value`) {
    fields.managerRemoteId = (typeof attempted === 'string' && remoteIdOf.get(attempted)) || null;
    return;
  }
  const key = keyOfPath.get(path);
  if (key) fields[key] = attempted ?? null;
}

/** The same shape as `hrFieldsOf` (hr-fields.ts), read from a stored document. */
function hrFieldsFromDoc(r: RawDirectoryUser, attributes: readonly MappableAttribute[], remoteIdOf: Map<string, string>): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    workEmail: r.user_name.toLowerCase(),
    managerRemoteId: (r.manager_id && remoteIdOf.get(r.manager_id)) ?? null,
    location: r.ext?.location ?? null,
    startDate: r.ext?.startDate ?? null,
    terminationDate: r.ext?.terminationDate ?? null,
    bankAccount: r.ext?.bankAccountDigest ?? null,
  };
  attributes.forEach((a, i) => {
    fields[hrKeyOf(a.path)] = r.mapped?.[i] ?? null;
  });
  return fields;
}
