import { describe, expect, it } from 'vitest';
import type { NormalisedEmployee } from '../../connectors/contract.js';
import { normalisedEmployeeSchema } from '../../connectors/contract.js';
import { mapV1Employee, v1Status } from '../../connectors/personio/v1/map.js';
import { currentEmployment, mapV2Person, v2Status } from '../../connectors/personio/v2/map.js';
import { nextQuery } from '../../connectors/personio/v2/list.js';

const today = '2026-03-02';
const wrap = (value: unknown, label = 'x', universal_id = 'x') => ({ label, value, type: 'standard', universal_id });

/** A v1 record from plain values; `undefined` leaves the attribute out (not whitelisted). */
function v1(values: Record<string, unknown>) {
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ id: 17, first_name: 'Ana', last_name: 'Diaz', status: 'active', ...values })) {
    if (v !== undefined) attributes[k] = wrap(v, k, k);
  }
  return { type: 'Employee', attributes };
}

function mapped(record: unknown, bank: Array<['iban' | 'bic' | 'holder', string]> = []): NormalisedEmployee {
  const out = mapV1Employee(record, { today, bank });
  if (!('employee' in out)) throw new Error(out.reason);
  return normalisedEmployeeSchema.parse(out.employee);
}

describe('Personio v1 status', () => {
  it.each([
    ['onboarding', {}, 'pending'],
    ['active', {}, 'active'],
    ['leave', {}, 'leave'],
    ['inactive', {}, 'inactive'],
    ['Active', {}, 'active'],
    ['active', { termination_date: '2026-02-27T00:00:00+01:00' }, 'inactive'],
    ['active', { termination_date: '2026-03-02T00:00:00+01:00' }, 'active'],
    ['active', { hire_date: '2026-04-01T00:00:00+02:00' }, 'pending'],
    ['leave', { termination_date: '2026-04-30' }, 'leave'],
    // A termination in the future means employed until then, whatever the status says.
    ['inactive', { termination_date: '2027-01-01' }, 'active'],
    ['active', { termination_date: null, last_working_day: '2026-01-15' }, 'inactive'],
    ['something new', {}, 'active'],
  ])('%s with %o → %s', (status, extra, expected) => {
    expect(mapped(v1({ status, ...extra })).status).toBe(expected);
  });

  it('keeps dates as HR typed them, whatever the offset', () => {
    expect(mapped(v1({ hire_date: '2021-03-01T00:00:00+01:00' })).startDate).toBe('2021-03-01');
  });

  it.each([['onboarding', 'pending'], [null, 'active'], ['on parental leave', 'leave']] as const)('v1Status(%s) → %s', (raw, expected) => {
    expect(v1Status(raw)).toBe(expected);
  });
});

describe('Personio v1 attributes', () => {
  const employee = (id: unknown) => ({ type: 'Employee', attributes: { id } });
  it.each([
    ['nested Employee with a wrapped id', employee(wrap(2)), '2'],
    ['nested Employee with a bare id', employee(2), '2'],
    ['string id', employee('2'), '2'],
    ['no supervisor', null, null],
    ['not whitelisted', undefined, null],
  ])('supervisor: %s', (_name, supervisor, expected) => {
    expect(mapped(v1({ supervisor })).managerRemoteId).toBe(expected);
  });

  it.each([
    ['object', { type: 'Department', attributes: { id: 281521, name: 'Engineering' } }, { remoteId: '281521', name: 'Engineering' }],
    ['plain name', 'Engineering', { name: 'Engineering' }],
    ['empty name', { type: 'Department', attributes: { id: 1, name: ' ' } }, null],
    ['null', null, null],
    ['absent', undefined, null],
  ])('department: %s', (_name, department, expected) => {
    expect(mapped(v1({ department })).department).toEqual(expected);
  });

  const cc = (id: number, name: string, percentage?: number) => ({ type: 'CostCenter', attributes: { id, name, ...(percentage === undefined ? {} : { percentage }) } });
  it.each([
    ['one at 100 %', [cc(9, 'R&D', 100)], [{ remoteId: '9', name: 'R&D', weight: 100 }]],
    ['a split', [cc(9, 'R&D', 60), cc(10, 'G&A', 40)], [{ remoteId: '9', name: 'R&D', weight: 60 }, { remoteId: '10', name: 'G&A', weight: 40 }]],
    ['one without a percentage carries everything', [cc(9, 'R&D')], [{ remoteId: '9', name: 'R&D', weight: 100 }]],
    ['none', [], []],
    ['absent', undefined, []],
  ])('cost centers: %s', (_name, cost_centers, expected) => {
    expect(mapped(v1({ cost_centers })).costCenters).toEqual(expected);
  });

  const withIban = { type: 'Employee', attributes: { ...v1({}).attributes, dynamic_21827: wrap('de89 3704 0044 0532 0130 00', 'IBAN', 'iban'), dynamic_2: wrap('COBADEFFXXX', 'BIC', 'dynamic_2') } };
  it.each([
    ['by dynamic key', [['iban', 'dynamic_21827']], { iban: 'DE89370400440532013000' }],
    ['by label, any case', [['iban', 'iban']], { iban: 'DE89370400440532013000' }],
    ['by universal id', [['iban', 'iban']], { iban: 'DE89370400440532013000' }],
    ['with a BIC', [['iban', 'IBAN'], ['bic', 'BIC']], { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' }],
    ['an attribute that does not exist', [['iban', 'dynamic_404']], null],
    ['no setting', [], null],
  ] as const)('bank account %s', (_name, bank, expected) => {
    expect(mapped(withIban, bank.map(([f, n]) => [f, n]))).toMatchObject({ bankAccount: expected });
  });

  it('unwraps every attribute, and reads a hidden one as null', () => {
    const e = mapped(v1({ email: 'Ana.Diaz@acme.test ', preferred_name: '', position: 'Engineer', last_name: undefined }));
    expect(e).toMatchObject({ remoteId: '17', workEmail: 'Ana.Diaz@acme.test', preferredName: null, lastName: null, displayName: 'Ana', jobTitle: 'Engineer' });
  });

  it.each([
    ['no attributes', { type: 'Employee' }],
    ['no id', v1({ id: undefined })],
    ['not an object', 'Ana'],
  ])('drops a record with %s', (_name, record) => {
    expect(mapV1Employee(record, { today, bank: [] })).toMatchObject({ code: 'invalid_record', dropped: true });
  });
});

describe('Personio v2', () => {
  it.each([
    ['ACTIVE', 'active'],
    ['INACTIVE', 'inactive'],
    ['ONBOARDING', 'pending'],
    ['LEAVE', 'leave'],
    ['active', 'active'],
    [null, 'active'],
  ] as const)('employment status %s → %s', (raw, expected) => {
    expect(v2Status(raw)).toBe(expected);
  });

  const emp = (id: string, start: string | null, status = 'ACTIVE') => ({ id, status, employment_start_date: start });
  it.each([
    ['the first, as documented', [emp('b', '2025-06-01'), emp('a', '2019-02-01', 'INACTIVE')], 'b'],
    ['a later start further down', [emp('a', '2019-02-01', 'INACTIVE'), emp('b', '2025-06-01')], 'b'],
    ['the first when dates are hidden', [emp('a', null), emp('b', null)], 'a'],
    ['skipping malformed entries', [{ nope: true }, emp('b', '2025-06-01')], 'b'],
    ['none', [], undefined],
  ])('current employment: %s', (_name, items, expected) => {
    expect(currentEmployment(items)?.id).toBe(expected);
  });

  it('falls back to the person status when there is no employment', () => {
    const { employee } = mapV2Person({ id: '7', status: 'INACTIVE', first_name: 'Ana' }, null, { today, bank: [], orgUnitName: () => null });
    expect(normalisedEmployeeSchema.parse(employee)).toMatchObject({ status: 'inactive', rawStatus: 'INACTIVE', managerRemoteId: null, department: null });
  });

  it('names org units by lookup and falls back to the id', () => {
    const employment = { id: 'e', status: 'ACTIVE', org_units: [{ type: 'department', id: '5' }, { type: 'team', id: '6' }], office: { id: '131014' } };
    const { employee } = mapV2Person({ id: '7' }, employment, { today, bank: [], orgUnitName: (u) => (u.type === 'department' && u.id === '5' ? 'Engineering' : null) });
    expect(employee).toMatchObject({ department: { remoteId: '5', name: 'Engineering' }, team: { remoteId: '6', name: '6' }, workLocation: { remoteId: '131014', name: '131014' } });
  });

  it.each([
    ['absolute href on another host', 'https://api.personio.de/v2/persons?cursor=abc&limit=50', { cursor: 'abc', limit: '50' }],
    ['relative href', '/v2/persons?cursor=xyz', { cursor: 'xyz' }],
    ['no next link', undefined, undefined],
  ])('next page from %s', (_name, href, expected) => {
    expect(nextQuery(href, { limit: '50' })).toEqual(expected);
  });

  it('refuses a next link that points at the same page', () => {
    expect(() => nextQuery('/v2/persons?limit=50&cursor=a', { limit: '50', cursor: 'a' })).toThrow(/same page link/);
  });
});
