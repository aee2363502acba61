import type { ResourceDoc } from '../../scim/resource/document.js';
import { URN } from '../../scim/schemas/urns.js';
import type { Lifecycle, Management } from './plan-types.js';
import type { PlannedEmployee } from './scope.js';

/**
 * How an HR employee becomes a SCIM user document, and which parts of that document the owning
 * connection locks. The sync engine writes these documents through the same directory verbs as
 * SCIM; the SCIM and admin write paths refuse to change a locked path of a managed user.
 */

/** Rollcall's extension: where a user comes from and the HR fields with no SCIM home. */
export const HR_URN = 'urn:rollcall:params:scim:schemas:extension:hr:2.0:User';

/** The HR extension as stored in a user document (every attribute is readOnly over SCIM). */
export interface HrExtension {
  lifecycle: Lifecycle;
  management: Management;
  /** The managing (or, once released, the last managing) connection. */
  connection?: { value: string; display: string };
  remoteId?: string;
  location?: string;
  startDate?: string;
  terminationDate?: string;
}

/**
 * Paths of the document owned by the connection while a user is managed. A write that leaves them
 * as they are is fine (Okta PUTs whole users); one that changes them is 400 `mutability`.
 */
export const LOCKED_PATHS = [
  'userName',
  'name.givenName',
  'name.familyName',
  'displayName',
  'title',
  'emails',
  `${URN.enterpriseUser}:employeeNumber`,
  `${URN.enterpriseUser}:costCenter`,
  `${URN.enterpriseUser}:department`,
  `${URN.enterpriseUser}:manager.value`,
] as const;

export function hrExtensionOf(doc: ResourceDoc): HrExtension | undefined {
  const ext = doc[HR_URN];
  return ext && typeof ext === 'object' && !Array.isArray(ext) ? (ext as unknown as HrExtension) : undefined;
}

/** A user whose HR fields a connection owns right now. */
export function managingConnection(doc: ResourceDoc): string | undefined {
  const ext = hrExtensionOf(doc);
  return ext?.management === 'managed' ? ext.connection?.value : undefined;
}

export interface EmployeeDocInput {
  employee: PlannedEmployee;
  connection: { id: string; provider: string };
  lifecycle: Lifecycle;
  /** The directory id of the employee's manager, when the manager is a user of this tenant. */
  managerUserId: string | null;
  /** The document as it stands, for a link or update: attributes HR does not own are kept. */
  current?: ResourceDoc;
}

const drop = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== '')) as T;

/**
 * The document of a managed user: the HR-owned attributes from the employee, everything else
 * (phone numbers, groups' members, attributes an IdP set) from the current document.
 * `active` follows the lifecycle: candidates and archived users have no access.
 */
export function employeeDoc(input: EmployeeDocInput): ResourceDoc {
  const { employee: e } = input;
  const current: Record<string, unknown> = input.current ?? {};
  const email = e.workEmail!.trim();
  const otherEmails = Array.isArray(current.emails)
    ? (current.emails as Record<string, unknown>[]).filter((m) => typeof m?.value === 'string' && (m.value as string).toLowerCase() !== email.toLowerCase() && m.type !== 'work')
    : [];
  const currentEnterprise = (current[URN.enterpriseUser] as Record<string, unknown> | undefined) ?? {};
  const enterprise = drop({
    ...currentEnterprise,
    employeeNumber: e.employeeNumber ?? null,
    costCenter: (e.costCenters as { name: string }[] | undefined)?.map((c) => c.name).join(', ') || null,
    department: e.department?.name ?? null,
    manager: input.managerUserId ? { value: input.managerUserId } : null,
  });
  const hr: HrExtension = drop({
    lifecycle: input.lifecycle,
    management: 'managed' as Management,
    connection: { value: input.connection.id, display: input.connection.provider },
    remoteId: e.remoteId,
    location: e.workLocation?.name ?? null,
    startDate: (e.startDate as string | null | undefined) ?? null,
    terminationDate: e.terminationDate ?? null,
  }) as HrExtension;
  const schemas = [URN.user, ...(Object.keys(enterprise).length > 0 ? [URN.enterpriseUser] : []), HR_URN];
  const base = { ...current };
  delete base[URN.enterpriseUser];
  return drop({
    ...base,
    schemas,
    userName: email,
    name: drop({ ...((current.name as Record<string, unknown> | undefined) ?? {}), givenName: e.firstName, familyName: e.lastName }),
    displayName: e.displayName ?? ([e.firstName, e.lastName].filter(Boolean).join(' ') || email),
    title: e.jobTitle ?? null,
    emails: [{ value: email, type: 'work', primary: true }, ...otherEmails.map((m) => ({ ...m, primary: false }))],
    active: input.lifecycle === 'active' || input.lifecycle === 'invited',
    ...(Object.keys(enterprise).length > 0 ? { [URN.enterpriseUser]: enterprise } : {}),
    [HR_URN]: hr,
  }) as ResourceDoc;
}

/** The document after its lifecycle or management changes (archive, release, invite, accept, disconnect). */
export function withHrState(doc: ResourceDoc, change: Partial<Pick<HrExtension, 'lifecycle' | 'management'>>): ResourceDoc {
  const hr = { ...(hrExtensionOf(doc) ?? { lifecycle: 'active', management: 'manual' }), ...change } as HrExtension;
  const active = hr.lifecycle === 'active' || hr.lifecycle === 'invited';
  const schemas = Array.isArray(doc.schemas) ? (doc.schemas as string[]) : [URN.user];
  return { ...doc, schemas: schemas.includes(HR_URN) ? schemas : [...schemas, HR_URN], active, [HR_URN]: hr } as ResourceDoc;
}
