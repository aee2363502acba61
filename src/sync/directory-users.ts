import { URN } from '../../scim/schemas/urns.js';
import { query, type Executor } from '../db/client.js';
import { HR_URN, type HrExtension } from './hr-doc.js';
import type { DirectoryUser } from './plan-types.js';

interface RawDirectoryUser {
  id: string;
  user_name: string;
  emails: string[];
  ext: (HrExtension & { bankAccountDigest?: string }) | null;
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
 * is a few megabytes instead of every full document, and no JSON to parse on this side.
 */
const LOAD = `select u.id, u.user_name, u.emails, u.doc -> $2::text as ext, u.doc -> $3::text -> 'manager' ->> 'value' as manager_id,
    u.doc #>> '{name,givenName}' as given_name, u.doc #>> '{name,familyName}' as family_name,
    u.display_name, u.doc ->> 'title' as title, u.doc -> $3::text ->> 'department' as department,
    u.doc -> $3::text ->> 'employeeNumber' as employee_number, u.doc -> $3::text ->> 'costCenter' as cost_center
  from users u where u.tenant_id = $1 order by u.tenant_id, u.id`;

/**
 * The reads of one tenant's rows are ordered as their tenant-leading index is: a prepared
 * statement may run a generic plan costed from statistics taken while the table held a single
 * tenant ("every row of tenant $1" then looks like the whole table), and a sequential scan of every
 * tenant's rows would then slow each run as the directory grows. With the order the index gives,
 * even that estimate keeps the index (a scan plus a sort of the whole table costs more).
 *
 * Every user of the tenant as the planner sees it, with the HR fields last applied read back from
 * the document, so "did anything change in HR" compares like with like.
 */
export async function loadDirectoryUsers(db: Executor, tenantId: string): Promise<DirectoryUser[]> {
  const [raw, said] = await Promise.all([
    query<RawDirectoryUser>(db, LOAD, [tenantId, HR_URN, URN.enterpriseUser]),
    query<{ user_id: string; source_key: string; path: string; attempted: unknown }>(db, HR_SAID, [tenantId]),
  ]);
  const remoteIdOf = new Map(raw.filter((r) => r.ext?.remoteId).map((r) => [r.id, r.ext!.remoteId!]));
  const saidOf = new Map<string, typeof said>();
  for (const row of said) saidOf.set(row.user_id, [...(saidOf.get(row.user_id) ?? []), row]);
  return raw.map((r) => {
    const ext = r.ext;
    const fields = ext?.management === 'managed' ? hrFieldsFromDoc(r, remoteIdOf) : null;
    if (fields) {
      const mine = `connection:${ext?.connection?.value}`;
      for (const row of saidOf.get(r.id) ?? []) if (row.source_key === mine) overlay(fields, row.path, row.attempted, remoteIdOf);
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
const HR_SAID = `select user_id, source_key, path, attempted from user_conflicts where tenant_id = $1 and source_key like 'connection:%'
  order by tenant_id, last_at`;

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
    location: r.ext?.location ?? null,
    startDate: r.ext?.startDate ?? null,
    terminationDate: r.ext?.terminationDate ?? null,
    bankAccount: r.ext?.bankAccountDigest ?? null,
  };
}
