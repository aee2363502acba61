import { describe, expect, it } from 'vitest';
import { normalisedEmployeeSchema, type NormalisedEmployee } from '../../connectors/contract.js';
import { currentRole, mapHumaansPerson, statusOf, type MapContext } from '../../connectors/humaans/map.js';
import type { HumaansBankAccount, HumaansJobRole } from '../../connectors/humaans/schema.js';
import { describeHumaansFailure } from '../../connectors/humaans/validate.js';

const today = '2026-03-02';
const role = (effectiveDate: string | null, endDate: string | null, extra: Partial<HumaansJobRole> = {}): HumaansJobRole =>
  ({ id: `${effectiveDate}-${endDate}`, personId: 'P1', jobTitle: `Title from ${effectiveDate}`, department: 'Design', reportingTo: 'BOSS', effectiveDate, endDate, ...extra }) as HumaansJobRole;

/** `null`: the job roles could not be read at all. */
function ctx(given: HumaansJobRole[] | null = [role('2022-05-02', null)], bank?: HumaansBankAccount): MapContext {
  const roles = given ?? undefined;
  return {
    today,
    roles: () => roles,
    locationLabel: (id) => (id === 'LOC1' ? 'London' : null),
    bankAccount: () => bank,
  };
}

const person = (extra: Record<string, unknown> = {}) => ({
  id: 'P1', companyId: 'C', firstName: 'Omar', lastName: 'Haddad', preferredName: null, email: 'omar@acme.test', personalEmail: 'omar@example.test',
  employeeId: '0091', status: 'active', employmentStartDate: '2022-05-02', employmentEndDate: null, teams: [{ name: 'Design' }], locationId: 'LOC1',
  createdAt: '2022-04-10T10:00:00.000Z', updatedAt: '2026-02-01T08:00:00.000Z', ...extra,
});

function mapped(raw: unknown, c = ctx()): NormalisedEmployee {
  const out = mapHumaansPerson(raw, c);
  if (!('employee' in out)) throw new Error(`record error: ${out.reason}`);
  normalisedEmployeeSchema.parse(out.employee);
  return out.employee;
}

describe('Humaans status from its status and dates', () => {
  it.each<[string, Record<string, unknown>, { status: string; rawStatus: string | null; startDate: string | null; terminationDate: string | null }]>([
    ['active', {}, { status: 'active', rawStatus: 'active', startDate: '2022-05-02', terminationDate: null }],
    ['newHire is pending', { status: 'newHire', employmentStartDate: '2026-04-01' }, { status: 'pending', rawStatus: 'newHire', startDate: '2026-04-01', terminationDate: null }],
    ['offboarded is inactive', { status: 'offboarded', employmentEndDate: '2025-12-31' }, { status: 'inactive', rawStatus: 'offboarded', startDate: '2022-05-02', terminationDate: '2025-12-31' }],
    ['termination 20 days ahead: active until then', { employmentEndDate: '2026-03-22', lastWorkingDay: '2026-03-20' }, { status: 'active', rawStatus: 'active', startDate: '2022-05-02', terminationDate: '2026-03-22' }],
    ['ends today: the last day is still worked', { employmentEndDate: '2026-03-02' }, { status: 'active', rawStatus: 'active', startDate: '2022-05-02', terminationDate: '2026-03-02' }],
    ['still "active" after the end date passed', { employmentEndDate: '2026-02-27' }, { status: 'inactive', rawStatus: 'active', startDate: '2022-05-02', terminationDate: '2026-02-27' }],
    ['"active" with a future start', { employmentStartDate: '2026-05-01' }, { status: 'pending', rawStatus: 'active', startDate: '2026-05-01', terminationDate: null }],
    ['only lastWorkingDay and firstWorkingDay', { employmentStartDate: null, firstWorkingDay: '2022-05-03', lastWorkingDay: '2026-01-15' }, { status: 'inactive', rawStatus: 'active', startDate: '2022-05-03', terminationDate: '2026-01-15' }],
    ['re-hired: an end date before the start is the old employment', { employmentStartDate: '2026-03-02', employmentEndDate: '2024-06-30' }, { status: 'active', rawStatus: 'active', startDate: '2026-03-02', terminationDate: null }],
    ['no status at all', { status: null }, { status: 'active', rawStatus: null, startDate: '2022-05-02', terminationDate: null }],
    ['an unknown status read by its words', { status: 'Terminated' }, { status: 'inactive', rawStatus: 'Terminated', startDate: '2022-05-02', terminationDate: null }],
    ['spelled new_hire', { status: 'new_hire', employmentStartDate: '2026-04-01' }, { status: 'pending', rawStatus: 'new_hire', startDate: '2026-04-01', terminationDate: null }],
  ])('%s', (_case, extra, expected) => {
    expect(mapped(person(extra))).toMatchObject(expected);
  });

  it('statusOf knows the three documented values', () => {
    expect([statusOf('active'), statusOf('newHire'), statusOf('offboarded')]).toEqual(['active', 'pending', 'inactive']);
  });
});

describe('Humaans current job role', () => {
  it.each<[string, HumaansJobRole[], string | null]>([
    ['one open row', [role('2022-05-02', null)], '2022-05-02'],
    ['the newer of two, the old one ended', [role('2020-01-01', '2023-12-31'), role('2024-01-01', null)], '2024-01-01'],
    ['rows out of order', [role('2024-01-01', null), role('2020-01-01', '2023-12-31')], '2024-01-01'],
    ['a promotion next month does not count yet', [role('2022-05-02', null), role('2026-04-01', null)], '2022-05-02'],
    ['a role ending in the future is current', [role('2022-05-02', '2026-08-31')], '2022-05-02'],
    ['a future starter: the first future row', [role('2026-05-01', null), role('2026-09-01', null)], '2026-05-01'],
    ['a leaver: the last row', [role('2019-01-01', '2020-12-31'), role('2021-01-01', '2025-06-30')], '2021-01-01'],
    ['no rows', [], null],
  ])('%s', (_case, rows, effective) => {
    expect(currentRole(rows, today)?.effectiveDate ?? null).toBe(effective);
  });
});

describe('Humaans person → normalised employee', () => {
  it('maps every documented field', () => {
    const e = mapped(person({ preferredName: 'Omi', middleName: 'K.' }), ctx([role('2022-05-02', null, { jobTitle: 'Product Designer', reportingTo: 'Zp9' })], {
      personId: 'P1', iban: 'gb33 bukb 2020 1555 5555 55', swiftCode: 'bukbgb22', nameOnAccount: 'Omar Haddad', accountNumber: null, bic: null, updatedAt: null,
    }));
    expect(e).toMatchObject({
      remoteId: 'P1', employeeNumber: '0091', workEmail: 'omar@acme.test', personalEmail: 'omar@example.test', firstName: 'Omar', lastName: 'Haddad',
      preferredName: 'Omi', displayName: 'Omi Haddad', managerRemoteId: 'Zp9', jobTitle: 'Product Designer', department: { name: 'Design' },
      team: { name: 'Design' }, workLocation: { remoteId: 'LOC1', name: 'London' }, costCenters: [],
      bankAccount: { iban: 'GB33BUKB20201555555555', bic: 'BUKBGB22', holder: 'Omar Haddad' }, updatedAt: '2026-02-01T08:00:00.000Z',
    });
  });

  it.each<[string, Record<string, unknown>, Partial<NormalisedEmployee>]>([
    ['a remote worker: city and country', { locationId: null, remoteCity: 'Łódź', remoteCountryCode: 'PL' }, { workLocation: { name: 'Remote (Łódź, PL)' } }],
    ['an office the /locations list does not know', { locationId: 'GONE' }, { workLocation: null }],
    ['no teams', { teams: [] }, { team: null }],
    ['teams as plain strings (?)', { teams: ['Platform'] }, { team: { name: 'Platform' } }],
    ['teams with ids', { teams: [{ id: 'T1', name: 'Platform' }] }, { team: { remoteId: 'T1', name: 'Platform' } }],
    ['empty strings are null', { email: '  ', personalEmail: '', employeeId: '' }, { workEmail: null, personalEmail: null, employeeNumber: null }],
    ['a numeric employee id', { employeeId: 91 }, { employeeNumber: '91' }],
    ['non-Latin names', { firstName: '美咲', lastName: '山田', email: null }, { displayName: '美咲 山田', workEmail: null }],
    ['a timestamp without milliseconds', { updatedAt: '2026-02-01T08:00:00Z' }, { updatedAt: '2026-02-01T08:00:00Z' }],
    ['a garbled timestamp', { updatedAt: 'yesterday' }, { updatedAt: null }],
  ])('%s', (_case, extra, expected) => {
    expect(mapped(person(extra))).toMatchObject(expected);
  });

  it.each<[string, HumaansJobRole[] | null, Partial<NormalisedEmployee>]>([
    ['job roles unreadable: no title, no manager', null, { jobTitle: null, managerRemoteId: null, department: null }],
    ['no job role row', [], { jobTitle: null, managerRemoteId: null }],
    ['department as an object', [role('2022-05-02', null, { department: { name: 'R&D' } })], { department: { name: 'R&D' } }],
    ['the top of the tree reports to nobody', [role('2022-05-02', null, { reportingTo: null })], { managerRemoteId: null }],
  ])('%s', (_case, roles, expected) => {
    expect(mapped(person(), ctx(roles))).toMatchObject(expected);
  });

  it.each<[string, unknown, string | null]>([
    ['no id', { firstName: 'A' }, null],
    ['an empty id', { id: '', firstName: 'A' }, null],
    ['a bad field type', { id: 'P9', teams: 'Design' }, 'P9'],
    ['not an object', 'P1', null],
  ])('%s is a record error, not a failure', (_case, raw, remoteId) => {
    expect(mapHumaansPerson(raw, ctx())).toMatchObject({ code: 'invalid_record', remoteId, dropped: true });
  });
});

describe("Humaans' error bodies", () => {
  it.each<[string, string, string | undefined]>([
    ['Feathers NotAuthenticated', '{"name":"NotAuthenticated","message":"Invalid access token","code":401,"className":"not-authenticated"}', 'Invalid access token'],
    ['422 with errors as an object', '{"name":"Unprocessable","message":"Validation failed","code":422,"errors":{"email":"is invalid"}}', 'Validation failed: email: is invalid'],
    ['400 with issues as an array (?)', '{"name":"BadRequest","message":"Invalid query","code":400,"issues":[{"path":["$limit"],"message":"must be a number"}]}', 'Invalid query: $limit: must be a number'],
    ['plain text', 'Too Many Requests', 'Too Many Requests'],
    ['an HTML error page', '<html>502</html>', undefined],
    ['empty', '', undefined],
  ])('%s', (_case, body, expected) => {
    expect(describeHumaansFailure(400, new Headers(), body)).toBe(expected);
  });
});
