import type { ResourceDoc } from '../../scim/resource/document.js';
import { URN } from '../../scim/schemas/urns.js';
import { HR_URN, hrExtensionOf, type HrExtension } from '../directory/documents/hr-extension.js';
import type { Lifecycle, Management } from './plan-types.js';
import { BASE_COMPILED, mappedValuesOf, type MappableAttribute } from './mapped.js';
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
  /** The attributes the connection's mapping fills (src/mapping); the base mapping's when absent. */
  attributes?: readonly MappableAttribute[];
}

const drop = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== '')) as T;

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** Sets (or, for no value, removes) the value at a document path, copying each object on the way. */
function setPath(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    if (value === null || value === undefined) delete doc[head];
    else doc[head] = value;
    return;
  }
  const inner = doc[head];
  const child = inner && typeof inner === 'object' && !Array.isArray(inner) ? { ...(inner as Record<string, unknown>) } : {};
  setPath(child, rest, value);
  if (isEmpty(child)) delete doc[head];
  else doc[head] = child;
}

/**
 * The document of a managed user: the attributes the connection's mapping fills, from the employee;
 * the ones the sync always fills (userName and the work email, `active`, the manager, the HR
 * extension); everything else (phone numbers, attributes an IdP set) from the current document.
 * `active` follows the lifecycle: candidates and archived users have no access.
 */
export function employeeDoc(input: EmployeeDocInput): ResourceDoc {
  const { employee: e } = input;
  const current: Record<string, unknown> = input.current ?? {};
  const email = e.workEmail!.trim();
  const otherEmails = Array.isArray(current.emails)
    ? (current.emails as Record<string, unknown>[]).filter((m) => typeof m?.value === 'string' && (m.value as string).toLowerCase() !== email.toLowerCase() && m.type !== 'work')
    : [];
  const doc: Record<string, unknown> = { ...current };
  const values = mappedValuesOf(e);
  for (const attr of input.attributes ?? BASE_COMPILED.attributes) setPath(doc, attr.docPath, values[attr.path] ?? null);
  setPath(doc, [URN.enterpriseUser, 'manager'], input.managerUserId ? { value: input.managerUserId } : null);
  const hr: HrExtension = drop({
    lifecycle: input.lifecycle,
    management: 'managed' as Management,
    connection: { value: input.connection.id, display: input.connection.provider },
    remoteId: e.remoteId,
    location: e.workLocation?.name ?? null,
    startDate: (e.startDate as string | null | undefined) ?? null,
    terminationDate: e.terminationDate ?? null,
  }) as HrExtension;
  const hasEnterprise = !isEmpty(doc[URN.enterpriseUser]);
  const hasTenant = !isEmpty(doc[URN.tenantUser]);
  const schemas = [URN.user, ...(hasEnterprise ? [URN.enterpriseUser] : []), ...(hasTenant ? [URN.tenantUser] : []), HR_URN];
  return drop({
    ...doc,
    schemas,
    userName: email,
    displayName: (doc.displayName as string | undefined) ?? ([e.firstName, e.lastName].filter(Boolean).join(' ') || email),
    emails: [{ value: email, type: 'work', primary: true }, ...otherEmails.map((m) => ({ ...m, primary: false }))],
    active: input.lifecycle === 'active' || input.lifecycle === 'invited',
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
