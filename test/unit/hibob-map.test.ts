import { describe, expect, it } from 'vitest';
import { normalisedEmployeeSchema } from '../../connectors/contract.js';
import { hibobStatus, mapHibobEmployee } from '../../connectors/hibob/map.js';
import { hibobDate, readField, readHuman } from '../../connectors/hibob/read.js';

const today = '2026-03-02';

function mapped(record: Record<string, unknown>) {
  const out = mapHibobEmployee({ id: '3001', firstName: 'Lea', surname: 'Novak', ...record }, today);
  if (!('employee' in out)) throw new Error(out.reason);
  return { ...out, employee: normalisedEmployeeSchema.parse(out.employee) };
}

describe('HiBob status', () => {
  it.each([
    ['Active', 'employed', null, 'active'],
    ['Active', 'Employed', null, 'active'],
    ['Active', 'hired', '2026-04-01', 'pending'],
    ['Inactive', 'hired', '2026-04-01', 'pending'],
    ['Active', 'hired', '2026-02-01', 'active'],
    ['Active', 'hired', null, 'pending'],
    ['Active', 'garden leave', null, 'leave'],
    ['Active', 'Garden_leave', null, 'leave'],
    ['Active', 'parental leave', null, 'leave'],
    ['Active', 'leave', null, 'leave'],
    ['Inactive', 'terminated', null, 'inactive'],
    ['Active', 'terminated', null, 'inactive'],
    ['Inactive', 'employed', null, 'inactive'],
    ['Inactive', null, null, 'inactive'],
    ['Active', null, null, 'active'],
    [null, null, null, 'active'],
    ['Active', 'onboarding', null, 'pending'],
  ] as const)('status %s, lifecycle %s, start %s → %s', (status, lifecycle, start, expected) => {
    expect(hibobStatus(status, lifecycle, start, today)).toBe(expected);
  });

  it.each([
    ['termination date passed', { internal: { status: 'Active', lifecycleStatus: 'employed', terminationDate: '2026-02-27' } }, 'inactive'],
    ['termination date ahead', { internal: { status: 'Active', lifecycleStatus: 'employed', terminationDate: '2026-04-30' } }, 'active'],
    ['start ahead, still employed', { work: { startDate: '2026-04-01' }, internal: { status: 'Active', lifecycleStatus: 'employed' } }, 'pending'],
  ])('date rules: %s', (_name, record, expected) => {
    expect(mapped(record).employee.status).toBe(expected);
  });
});

describe('HiBob fields', () => {
  it.each([
    ['nested', { work: { department: 'Product' } }, 'work.department', 'Product'],
    ['flat', { '/work/department': { value: 'Product' } }, 'work.department', 'Product'],
    ['flat without a value wrapper', { '/work/department': 'Product' }, 'work.department', 'Product'],
    ['root field nested at the top', { email: 'a@b.test' }, 'root.email', 'a@b.test'],
    ['root field flat', { '/root/email': { value: 'a@b.test' } }, 'root.email', 'a@b.test'],
    ['nested wins over flat', { work: { title: 'A' }, '/work/title': { value: 'B' } }, 'work.title', 'A'],
    ['present but empty', { work: { department: null } }, 'work.department', null],
    ['absent', { work: {} }, 'work.department', undefined],
  ])('%s', (_name, record, path, expected) => {
    expect(readField(record, path)).toEqual(expected);
  });

  it('prefers the humanReadable copy (APPEND) for display values', () => {
    const record = { work: { department: '209192163' }, humanReadable: { work: { department: 'Account Receivables' } } };
    expect(readHuman(record, 'work.department')).toBe('Account Receivables');
    expect(mapped(record).employee.department).toEqual({ remoteId: '209192163', name: 'Account Receivables' });
  });

  it.each([
    ['reportsTo id', { work: { reportsTo: { id: '3000', email: 'max@acme.test' }, manager: '3000' } }, { remoteId: '3000', workEmail: 'max@acme.test' }],
    ['reportsTo as a number', { work: { reportsTo: { id: 3000 } } }, { remoteId: '3000', workEmail: null }],
    ['work.manager id only', { work: { manager: '3000' } }, { remoteId: '3000', workEmail: null }],
    ['work.manager as a display name', { work: { manager: 'Max Hof' } }, { remoteId: null, workEmail: null }],
    ['flat reportsTo', { '/work/reportsTo': { value: { id: '3000', email: 'max@acme.test' } } }, { remoteId: '3000', workEmail: 'max@acme.test' }],
    ['nobody', { work: { reportsTo: null, manager: null } }, { remoteId: null, workEmail: null }],
  ])('manager from %s', (_name, record, expected) => {
    expect(mapped(record).manager).toEqual(expected);
  });

  it('maps the documented example', () => {
    const { employee } = mapped({
      id: '3001', firstName: 'Lea', surname: 'Novak', displayName: 'Lea Novak', email: 'lea.novak@acme.test',
      work: { title: 'Designer', department: 'Product', site: 'Berlin', siteId: 5, startDate: '2022-10-10', manager: '3000', employeeIdInCompany: 41,
        reportsTo: { id: '3000', email: 'max.hof@acme.test', firstName: 'Max', surname: 'Hof', displayName: 'Max Hof' } },
      internal: { status: 'Active', lifecycleStatus: 'employed', terminationDate: null },
    });
    expect(employee).toMatchObject({
      remoteId: '3001', employeeNumber: '41', workEmail: 'lea.novak@acme.test', displayName: 'Lea Novak', status: 'active',
      rawStatus: 'Active / employed', startDate: '2022-10-10', department: { name: 'Product' }, workLocation: { remoteId: '5', name: 'Berlin' }, jobTitle: 'Designer',
    });
  });

  it.each([{}, { '/root/id': { value: '' } }, { id: null }])('drops a record without an id: %o', (record) => {
    expect(mapHibobEmployee({ ...record, ...(Object.keys(record).length ? {} : { firstName: 'x' }) }, today)).toMatchObject({ code: 'invalid_record' });
  });
});

describe('HiBob dates', () => {
  it.each([
    ['2022-10-10', '2022-10-10'],
    ['2022-10-10T00:00:00Z', '2022-10-10'],
    ['10.04.2022', '2022-04-10'],
    ['13/04/2022', '2022-04-13'],
    ['04/13/2022', '2022-04-13'],
    ['04/04/2022', '2022-04-04'],
    ['04/05/2022', null],
    ['31/02/2022', null],
    ['soon', null],
    [null, null],
  ])('%s → %s', (value, expected) => {
    expect(hibobDate(value)).toBe(expected);
  });
});
