import { describe, expect, it } from 'vitest';
import { baseStatus, mapReportRow } from '../../connectors/bamboohr/map.js';
import { bambooHrCredentialsSchema } from '../../connectors/bamboohr/schema.js';
import { normalisedEmployeeSchema, type RecordError } from '../../connectors/contract.js';
import { resolveManagers, type Unresolved } from '../../connectors/managers.js';

const TODAY = '2026-03-02';

function row(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '9', employeeNumber: '6', firstName: 'Jennifer', lastName: 'Caldwell', preferredName: '',
    workEmail: 'jcaldwell@acme.test', status: 'Active', employmentHistoryStatus: 'Full-Time',
    hireDate: '2019-01-07', terminationDate: '', supervisorEId: '', supervisorId: '', supervisorEmail: '',
    department: 'Human Resources', division: 'North America', location: 'Salt Lake City, Utah', jobTitle: 'VP People',
    ...extra,
  };
}

function mapped(extra: Record<string, unknown> = {}): Unresolved {
  const result = mapReportRow(row(extra), TODAY);
  if (!('employee' in result)) throw new Error(result.reason);
  return result;
}

describe('status', () => {
  it.each([
    ['Active, Full-Time', { status: 'Active' }, 'active'],
    ['Active, Part-Time', { employmentHistoryStatus: 'Part-Time' }, 'active'],
    ['Active, Contractor', { employmentHistoryStatus: 'Contractor' }, 'active'],
    ['Inactive', { status: 'Inactive', employmentHistoryStatus: 'Terminated', terminationDate: '2025-12-31' }, 'inactive'],
    ['Inactive without a date', { status: 'Inactive', employmentHistoryStatus: '' }, 'inactive'],
    ['Active but employment Terminated', { employmentHistoryStatus: 'Terminated' }, 'inactive'],
    ['Active, termination date yesterday', { terminationDate: '2026-03-01' }, 'inactive'],
    ['Active, termination date today (last day)', { terminationDate: TODAY }, 'active'],
    ['Active, termination date in the future', { terminationDate: '2026-04-30' }, 'active'],
    ['hire date in the future', { hireDate: '2026-04-01' }, 'pending'],
    ['hire date today', { hireDate: TODAY }, 'active'],
    ['future hire with a past termination (re-hire data entry)', { hireDate: '2026-04-01', terminationDate: '2025-01-01' }, 'inactive'],
    ['Leave of Absence', { employmentHistoryStatus: 'Leave of Absence' }, 'leave'],
    ['Parental leave', { employmentHistoryStatus: 'Parental Leave' }, 'leave'],
    ['Inactive while on leave', { status: 'Inactive', employmentHistoryStatus: 'Leave of Absence' }, 'inactive'],
    ['status field not visible to the key', { status: undefined, employmentHistoryStatus: undefined }, 'active'],
    ['lower-case status', { status: 'inactive' }, 'inactive'],
  ])('%s → %s', (_name, extra, expected) => {
    expect(mapped(extra).employee.status).toBe(expected);
  });

  it.each([
    ['Active', 'Full-Time', 'Active / Full-Time'],
    ['Inactive', '', 'Inactive'],
    [null, null, null],
  ])('keeps the raw values: %s + %s → %s', (status, employment, expected) => {
    expect(mapped({ status, employmentHistoryStatus: employment }).employee.rawStatus).toBe(expected);
  });

  it('baseStatus ignores account-defined labels that say nothing about lifecycle', () => {
    expect(baseStatus('Active', 'Seasonal')).toBe('active');
  });
});

describe('empty values', () => {
  it.each([
    ['empty string', ''],
    ['null', null],
    ['whitespace', '   '],
    ['missing key', undefined],
  ])('%s means absent', (_name, empty) => {
    const e = mapped({ workEmail: empty, preferredName: empty, department: empty, location: empty, jobTitle: empty, employeeNumber: empty, terminationDate: empty }).employee;
    expect(e).toMatchObject({ workEmail: null, preferredName: null, department: null, workLocation: null, jobTitle: null, employeeNumber: null, terminationDate: null });
  });

  it.each([
    ['0000-00-00', null],
    ['2019-01-07', '2019-01-07'],
    ['2021-03-01T00:00:00+01:00', '2021-03-01'],
    ['2025-02-30', null],
    ['not a date', null],
  ])('date %s → %s', (value, expected) => {
    expect(mapped({ hireDate: value }).employee.startDate).toBe(expected);
  });

  it('produces records that satisfy the normalised schema, raw row included', () => {
    const e = mapped({ department: 'Human Resources', location: 'Salt Lake City, Utah' }).employee;
    expect(normalisedEmployeeSchema.parse(e)).toEqual(e);
    expect(e.department).toEqual({ name: 'Human Resources' });
    expect(e.workLocation).toEqual({ name: 'Salt Lake City, Utah' });
    expect(e.raw.division).toBe('North America');
  });

  it.each([
    ['no id', { id: '' }],
    ['id null', { id: null }],
  ])('a row with %s is dropped and reported', (_name, extra) => {
    expect(mapReportRow(row(extra), TODAY)).toEqual({ remoteId: null, code: 'invalid_record', reason: 'row has no employee id', dropped: true });
  });

  it('accepts numeric ids', () => {
    expect(mapped({ id: 9 }).employee.remoteId).toBe('9');
  });
});

describe('names', () => {
  it.each([
    ['NFD accents become NFC', { firstName: 'Jose\u0301', lastName: 'Pen\u0303a' }, 'José Peña'],
    ['Polish', { firstName: 'Łukasz', lastName: 'Zieliński' }, 'Łukasz Zieliński'],
    ['CJK', { firstName: '美咲', lastName: '山田' }, '美咲 山田'],
    ['Cyrillic', { firstName: 'Иван', lastName: 'Петров' }, 'Иван Петров'],
    ['preferred name wins', { firstName: 'Margaret', preferredName: 'Peggy', lastName: 'Quist' }, 'Peggy Quist'],
    ['no names: the email', { firstName: '', lastName: '', workEmail: 'x@acme.test' }, 'x@acme.test'],
    ['nothing at all: the id', { firstName: '', lastName: '', workEmail: '' }, '9'],
  ])('%s', (_name, extra, displayName) => {
    const e = mapped(extra).employee;
    expect(e.displayName).toBe(displayName);
    expect(e.displayName).toBe(e.displayName.normalize('NFC'));
  });
});

describe('manager resolution', () => {
  // Employee numbers deliberately collide with other people's ids.
  const people = () => [
    mapped({ id: '9', employeeNumber: '6', workEmail: 'boss@acme.test' }),
    mapped({ id: '6', employeeNumber: '44', workEmail: 'decoy@acme.test' }),
    mapped({ id: '4', employeeNumber: '1', workEmail: 'dup@acme.test' }),
    mapped({ id: '5', employeeNumber: '2', workEmail: 'DUP@acme.test' }),
  ];

  it.each<[string, Record<string, string>, string | null, RecordError['code'] | null]>([
    ['supervisorEId is the remote id', { supervisorEId: '9', supervisorId: '6' }, '9', null],
    ['supervisorId is an employee number, not an id', { supervisorId: '6' }, '9', null],
    ['supervisorEmail, case-insensitive', { supervisorEmail: 'BOSS@acme.test' }, '9', null],
    ['supervisorEId wins over the others', { supervisorEId: '6', supervisorId: '6', supervisorEmail: 'boss@acme.test' }, '6', null],
    ['supervisorEId not in the snapshot is kept', { supervisorEId: '404' }, '404', null],
    ['unknown employee number', { supervisorId: '999' }, null, 'unresolved_manager'],
    ['unknown number, known email', { supervisorId: '999', supervisorEmail: 'boss@acme.test' }, '9', null],
    ['email shared by two people', { supervisorEmail: 'dup@acme.test' }, null, 'ambiguous_manager'],
    ['no manager at all', {}, null, null],
    ['own manager', { supervisorEId: '77' }, null, 'unresolved_manager'],
  ])('%s', (_name, refs, expected, code) => {
    const report = mapped({ id: '77', employeeNumber: '77', workEmail: 'me@acme.test', ...refs });
    // The report comes first: resolution must not depend on order.
    const { employees, errors } = resolveManagers([report, ...people()]);
    expect(employees[0]!.managerRemoteId).toBe(expected);
    expect(errors.map((e) => e.code)).toEqual(code ? [code] : []);
    if (code) expect(errors[0]).toMatchObject({ remoteId: '77', dropped: false });
  });
});

describe('credentials', () => {
  it.each([
    ['acme', 'acme'],
    [' Acme ', 'acme'],
    ['acme.bamboohr.com', 'acme'],
    ['https://acme.bamboohr.com/home', 'acme'],
  ])('company domain %j → %s', (input, expected) => {
    expect(bambooHrCredentialsSchema.parse({ companyDomain: input, apiKey: 'k' })).toEqual({ companyDomain: expected, apiKey: 'k', hostStyle: 'subdomain' });
  });

  it.each([
    [{ companyDomain: 'acme', apiKey: '' }],
    [{ companyDomain: 'ac me', apiKey: 'k' }],
    [{ companyDomain: '', apiKey: 'k' }],
    [{ companyDomain: 'acme', apiKey: 'k', hostStyle: 'other' }],
  ])('rejects %j', (input) => {
    expect(bambooHrCredentialsSchema.safeParse(input).success).toBe(false);
  });
});
