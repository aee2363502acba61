import { customFieldsOf } from '../shared/custom-fields.js';
import type { FakeGoogleCompany, FakeGoogleUser } from './company.js';

/** Where the account keeps what the fact sheet marks as either-or. */
export interface RenderOptions {
  /** Personal email in `emails[type=home]` (documented) or `recoveryEmail`. */
  personalEmail: 'emails' | 'recoveryEmail';
  /** Work place in `locations[type=desk]` (buildings) or `organizations[].location` (no buildings). */
  location: 'desk' | 'organization';
  /** The custom schema holding the HR dates (`customSchemas.<name>`). */
  datesSchema: string;
}

export const defaultRender: RenderOptions = { personalEmail: 'emails', location: 'desk', datesSchema: 'Employment' };

/**
 * A user as `projection=full` returns it: empty values and empty arrays are left out, never
 * null. `projection=basic` leaves out custom schemas.
 */
export function renderUser(company: FakeGoogleCompany, u: FakeGoogleUser, render: RenderOptions, projection: string, customFieldMask?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    kind: 'admin#directory#user',
    id: u.id,
    etag: `"${u.id.slice(-6)}-${company.version()}"`,
    primaryEmail: u.primaryEmail,
    name: { givenName: u.givenName, familyName: u.familyName, fullName: `${u.givenName} ${u.familyName}` },
    isAdmin: u.isAdmin,
    isDelegatedAdmin: false,
    lastLoginTime: u.lastLoginTime,
    creationTime: u.creationTime,
    agreedToTerms: u.lastLoginTime !== '1970-01-01T00:00:00.000Z',
    suspended: u.suspended,
    archived: u.archived,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    customerId: company.customerId,
    orgUnitPath: u.orgUnitPath,
    isMailboxSetup: true,
    includeInGlobalAddressList: true,
  };
  if (u.suspended) out.suspensionReason = 'ADMIN';
  const emails: Array<Record<string, unknown>> = [{ address: u.primaryEmail, primary: true }];
  if (u.homeEmail) {
    if (render.personalEmail === 'emails') emails.push({ address: u.homeEmail, type: 'home' });
    else out.recoveryEmail = u.homeEmail;
  }
  out.emails = emails;
  if (u.employeeId) out.externalIds = [{ value: u.employeeId, type: 'organization' }];
  const managerEmail = u.externalManagerEmail ?? (u.managerId ? company.get(u.managerId)?.primaryEmail : undefined);
  if (managerEmail) out.relations = [{ value: managerEmail, type: 'manager' }];
  const orgs: Array<Record<string, unknown>> = [];
  if (u.title || u.department || u.costCenter) {
    orgs.push(compact({ title: u.title, department: u.department, costCenter: u.costCenter, primary: true, customType: '', ...(render.location === 'organization' ? { location: u.building } : {}) }));
  }
  if (u.secondOrganization) orgs.push({ ...u.secondOrganization, customType: 'previous' });
  if (orgs.length) out.organizations = orgs;
  if (render.location === 'desk' && u.building) out.locations = [{ type: 'desk', area: 'desk', buildingId: u.building, floorName: u.floor }];
  if (projection === 'full' || projection === 'custom') {
    // `custom` returns only the schemas `customFieldMask` names; `full` returns them all.
    const wanted = (schema: string) => projection === 'full' || !!customFieldMask?.has(schema);
    const schemas: Record<string, Record<string, unknown>> = {};
    const dates = compact({ startDate: u.startDate ?? '', terminationDate: u.terminationDate ?? '' });
    if (Object.keys(dates).length && wanted(render.datesSchema)) schemas[render.datesSchema] = dates;
    const custom = customFieldsOf(u.id);
    const payroll = compact({ badge: custom.badge ?? '', costCode: custom.costCode });
    if (wanted(payrollSchema)) schemas[payrollSchema] = payroll;
    if (Object.keys(schemas).length) out.customSchemas = schemas;
  }
  return out;
}

/** A second custom schema the account defines, holding a badge number and a cost code. */
export const payrollSchema = 'Payroll';

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== '' || k === 'customType'));
}
