import { URN } from '../../scim/schemas/urns.js';
import { PER_CALL, query, type Executor } from '../db/client.js';
import { HR_URN, type HrExtension } from './hr-doc.js';
import type { DirectoryUser } from './plan-types.js';

interface RawDirectoryUser {
  id: string;
  user_name: string;
  emails: string[];
  /** The HR extension's own fields, each as text (null when the user has none). */
  lifecycle: HrExtension['lifecycle'] | null;
  management: HrExtension['management'] | null;
  connection_id: string | null;
  hr_remote_id: string | null;
  location: string | null;
  start_date: string | null;
  termination_date: string | null;
  bank_account_digest: string | null;
  manager_id: string | null;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  title: string | null;
  department: string | null;
  employee_number: string | null;
  cost_center: string | null;
}

/**
 * Only the parts of each document the planner compares, as plain columns: at 50,000 users that
 * is a few megabytes instead of every full document, and no JSON to parse on this side (the HR
 * extension's fields one by one, so its sealed bank account never leaves the database here).
 */
const LOAD = `select u.id, u.user_name, u.emails,
    u.doc -> $2::text ->> 'lifecycle' as lifecycle, u.doc -> $2::text ->> 'management' as management,
    u.doc -> $2::text -> 'connection' ->> 'value' as connection_id, u.doc -> $2::text ->> 'remoteId' as hr_remote_id,
    u.doc -> $2::text ->> 'location' as location, u.doc -> $2::text ->> 'startDate' as start_date,
    u.doc -> $2::text ->> 'terminationDate' as termination_date, u.doc -> $2::text ->> 'bankAccountDigest' as bank_account_digest,
    u.doc -> $3::text -> 'manager' ->> 'value' as manager_id,
    u.doc #>> '{name,givenName}' as given_name, u.doc #>> '{name,familyName}' as family_name,
    u.display_name, u.doc ->> 'title' as title, u.doc -> $3::text ->> 'department' as department,
    u.doc -> $3::text ->> 'employeeNumber' as employee_number, u.doc -> $3::text ->> 'costCenter' as cost_center
  from users u where u.tenant_id = $1`;

/**
 * Every user of the tenant as the planner sees it, with the HR fields last applied read back from
 * the document, so "did anything change in HR" compares like with like.
 */
export async function loadDirectoryUsers(db: Executor, tenantId: string): Promise<DirectoryUser[]> {
  const [raw, said] = await Promise.all([
    query<RawDirectoryUser>(db, LOAD, [tenantId, HR_URN, URN.enterpriseUser], PER_CALL),
    query<{ user_id: string; source_key: string; path: string; attempted: unknown }>(db, HR_SAID, [tenantId], PER_CALL),
  ]);
  const remoteIdOf = new Map(raw.filter((r) => r.hr_remote_id).map((r) => [r.id, r.hr_remote_id!]));
  const saidOf = new Map<string, typeof said>();
  for (const row of said) saidOf.set(row.user_id, [...(saidOf.get(row.user_id) ?? []), row]);
  return raw.map((r) => {
    const fields = r.management === 'managed' ? hrFieldsFromDoc(r, remoteIdOf) : null;
    if (fields) {
      const mine = `connection:${r.connection_id ?? undefined}`;
      for (const row of saidOf.get(r.id) ?? []) if (row.source_key === mine) overlay(fields, row.path, row.attempted, remoteIdOf);
    }
    return {
      id: r.id,
      userName: r.user_name,
      emails: r.emails ?? [],
      lifecycle: r.lifecycle ?? 'active',
      management: r.management ?? 'manual',
      connectionId: r.connection_id,
      remoteId: r.hr_remote_id,
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

/** The HR field each rule path of an HR-built document comes from (hr-doc.ts, employeeDoc). */
const FIELD_OF_PATH: Record<string, string> = {
  userName: 'workEmail',
  'name.givenName': 'givenName',
  'name.familyName': 'familyName',
  displayName: 'displayName',
  title: 'title',
  [`${URN.enterpriseUser}:department`]: 'department',
  [`${URN.enterpriseUser}:employeeNumber`]: 'employeeNumber',
  [`${URN.enterpriseUser}:costCenter`]: 'costCenter',
  [`${URN.enterpriseUser}:manager.value`]: 'managerRemoteId',
};

function overlay(fields: Record<string, unknown>, path: string, attempted: unknown, remoteIdOf: Map<string, string>): void {
  const field = FIELD_OF_PATH[path];
  if (!field) return;
  const value = typeof attempted === 'string' ? attempted : null;
  if (field === 'workEmail') fields.workEmail = value?.toLowerCase() ?? null;
  else if (field === 'managerRemoteId') fields.managerRemoteId = (value && remoteIdOf.get(value)) ?? null;
  else fields[field] = value;
}

/** The same shape as `hrFieldsOf` (hr-fields.ts), read from a stored document. */
function hrFieldsFromDoc(r: RawDirectoryUser, remoteIdOf: Map<string, string>): Record<string, unknown> {
  return {
    givenName: r.given_name,
    familyName: r.family_name,
    displayName: r.display_name,
    workEmail: r.user_name.toLowerCase(),
    title: r.title,
    department: r.department,
    managerRemoteId: (r.manager_id && remoteIdOf.get(r.manager_id)) ?? null,
    employeeNumber: r.employee_number,
    costCenter: r.cost_center,
    location: r.location,
    startDate: r.start_date,
    terminationDate: r.termination_date,
    bankAccount: r.bank_account_digest,
  };
}

const BANK_DIGESTS = `select u.doc -> $2::text ->> 'remoteId' as remote_id, u.doc -> $2::text ->> 'bankAccountDigest' as digest
  from users u where u.tenant_id = $1 and u.doc -> $2::text -> 'connection' ->> 'value' = $3 and u.doc -> $2::text ->> 'bankAccountDigest' is not null`;

/**
 * The keyed digest of the bank account each of the connection's users holds, by remote id. A run
 * reads it before the first page: an account whose digest is already stored needs no new sealing,
 * because applying keeps the stored sealed account whenever the digests match (apply.ts).
 */
export async function loadBankAccountDigests(db: Executor, tenantId: string, connectionId: string): Promise<Map<string, string>> {
  const rows = await query<{ remote_id: string | null; digest: string | null }>(db, BANK_DIGESTS, [tenantId, HR_URN, connectionId]);
  const digests = new Map<string, string>();
  for (const r of rows) if (r.remote_id && r.digest) digests.set(r.remote_id, r.digest);
  return digests;
}
