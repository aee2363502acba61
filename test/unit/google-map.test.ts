import { describe, expect, it } from 'vitest';
import { mapGoogleUser, type MappedUser } from '../../connectors/google/map.js';

const today = '2026-03-02';
const dates = { schema: 'Employment', startField: 'startDate', terminationField: 'terminationDate' };
const base = { id: '103354961223456789012', primaryEmail: 'ines@acme.test', name: { givenName: 'Inès', familyName: 'Faure', fullName: 'Inès Faure' } };
const mapped = (raw: Record<string, unknown>, withDates = true) => {
  const out = mapGoogleUser({ ...base, ...raw }, today, withDates ? dates : undefined);
  if (!('employee' in out)) throw new Error(out.reason);
  return out as MappedUser;
};

describe('mapGoogleUser', () => {
  it('maps the fact sheet example', () => {
    const { employee, manager } = mapped({
      suspended: false, archived: false, orgUnitPath: '/Engineering', lastLoginTime: '1970-01-01T00:00:00.000Z',
      externalIds: [{ value: 'E-311', type: 'organization' }], relations: [{ value: 'cto@acme.test', type: 'manager' }],
      organizations: [{ title: 'Backend Engineer', department: 'Platform', costCenter: 'CC-40', primary: true, customType: '' }],
      locations: [{ type: 'desk', area: 'desk', buildingId: 'PAR-1', floorName: '3' }],
    });
    expect(employee).toMatchObject({
      remoteId: base.id, employeeNumber: 'E-311', workEmail: 'ines@acme.test', firstName: 'Inès', lastName: 'Faure', displayName: 'Inès Faure',
      status: 'active', rawStatus: 'active', startDate: null, terminationDate: null, managerRemoteId: null,
      department: { name: 'Platform' }, team: { remoteId: '/Engineering', name: 'Engineering' }, workLocation: { remoteId: 'PAR-1', name: 'PAR-1' },
      jobTitle: 'Backend Engineer', costCenters: [{ name: 'CC-40', weight: 100 }], bankAccount: null, updatedAt: null,
    });
    expect(manager).toEqual({ workEmail: 'cto@acme.test' });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['plain account', {}, 'active', 'active'],
    ['suspended', { suspended: true, suspensionReason: 'ADMIN' }, 'inactive', 'suspended (ADMIN)'],
    ['archived', { archived: true }, 'inactive', 'archived'],
    ['custom last day passed', { customSchemas: { Employment: { terminationDate: '2026-02-20' } } }, 'inactive', 'active'],
    ['custom last day in 20 days: employed until then', { customSchemas: { Employment: { terminationDate: '2026-03-22' } } }, 'active', 'active'],
    ['last day today is still worked', { customSchemas: { Employment: { terminationDate: today } } }, 'active', 'active'],
    ['custom start in the future', { customSchemas: { Employment: { startDate: '2026-04-01' } } }, 'pending', 'active'],
    ['suspended with a future start stays inactive', { suspended: true, customSchemas: { Employment: { startDate: '2026-04-01' } } }, 'inactive', 'suspended'],
  ])('status: %s', (_case, raw, status, rawStatus) => {
    expect(mapped(raw).employee).toMatchObject({ status, rawStatus });
  });

  it('dates are read only when a custom schema is configured', () => {
    const raw = { customSchemas: { Employment: { startDate: '2026-04-01', terminationDate: '2026-02-01' } } };
    expect(mapped(raw, false).employee).toMatchObject({ status: 'active', startDate: null, terminationDate: null });
    expect(mapped(raw).employee).toMatchObject({ status: 'inactive', startDate: '2026-04-01', terminationDate: '2026-02-01' });
  });

  it.each<[string, Record<string, unknown>, string | null]>([
    ['emails[type=home]', { emails: [{ address: 'ines@acme.test', primary: true }, { address: 'ines@home.test', type: 'home' }] }, 'ines@home.test'],
    ['recoveryEmail', { recoveryEmail: 'ines@recovery.test' }, 'ines@recovery.test'],
    ['home wins over recovery', { recoveryEmail: 'r@x.test', emails: [{ address: 'h@x.test', type: 'home' }] }, 'h@x.test'],
    ['work emails only', { emails: [{ address: 'x@acme.test', type: 'work' }] }, null],
  ])('personal email from %s', (_case, raw, expected) => {
    expect(mapped(raw).employee.personalEmail).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ['desk building', { locations: [{ type: 'desk', buildingId: 'LON-2' }] }, { remoteId: 'LON-2', name: 'LON-2' }],
    ['organization location', { organizations: [{ location: 'Lyon', primary: true }] }, { name: 'Lyon' }],
    ['desk without building falls back to organization', { locations: [{ type: 'desk', area: 'desk' }], organizations: [{ location: 'Lyon' }] }, { name: 'Lyon' }],
    ['none', {}, null],
  ])('work location from %s', (_case, raw, expected) => {
    expect(mapped(raw).employee.workLocation).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, string | null, string | null]>([
    ['primary organization wins', { organizations: [{ title: 'Intern', customType: 'previous' }, { title: 'Lead', department: 'Ops', primary: true }] }, 'Lead', 'Ops'],
    ['first organization without a primary', { organizations: [{ title: 'Analyst' }] }, 'Analyst', null],
    ['omitted organizations', {}, null, null],
  ])('organizations: %s', (_case, raw, title, department) => {
    const { employee } = mapped(raw);
    expect(employee.jobTitle).toBe(title);
    expect(employee.department?.name ?? null).toBe(department);
  });

  it('root org unit is no team; numeric id is accepted as a string; names may be missing', () => {
    const { employee } = mapped({ id: 42, orgUnitPath: '/', name: undefined });
    expect(employee).toMatchObject({ remoteId: '42', team: null, displayName: 'ines@acme.test' });
  });

  it.each<[string, unknown]>([
    ['no id', { primaryEmail: 'x@acme.test' }],
    ['not an object', 'user'],
    ['wrong type', { id: '1', suspended: 'no' }],
  ])('a bad record is a record error: %s', (_case, raw) => {
    expect(mapGoogleUser(raw, today, dates)).toMatchObject({ code: 'invalid_record', dropped: true });
  });
});
