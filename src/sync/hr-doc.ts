import type { ResourceDoc } from '../../scim/resource/document.js';
import { URN } from '../../scim/schemas/urns.js';
import { HR_URN, hrExtensionOf, type HrExtension } from '../directory/documents/hr-extension.js';
import type { Lifecycle, Management } from './plan-types.js';
import type { PlannedEmployee } from './scope.js';

/**
 * How an HR employee becomes a SCIM user document. The sync engine writes these documents through
 * the same directory verbs as SCIM; which of their fields it may change is the tenant's source of
 * authority (src/directory/authority).
 */

export { HR_URN, hrExtensionOf, managingConnection, type HrExtension } from '../directory/documents/hr-extension.js';

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
