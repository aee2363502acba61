import { describe, expect, it } from 'vitest';
import { normalisedEmployeeSchema } from '../../connectors/contract.js';
import { describeDeelFailure } from '../../connectors/deel/errors.js';
import { currentEmployment, deelStatus, managerRef, mapDeelPerson, named } from '../../connectors/deel/map.js';
import { deelCredentialsSchema, deelSettingsSchema, withApiPrefix } from '../../connectors/deel/schema.js';

const today = '2026-03-02';
const id = '9b9fc43a-a90c-4615-ac50-baf1e314b53e';

function mapped(record: Record<string, unknown>) {
  const out = mapDeelPerson({ id, first_name: 'Nia', last_name: 'Okafor', hiring_status: 'active', ...record }, today);
  if (!('employee' in out)) throw new Error(out.reason);
  return { ...out, employee: normalisedEmployeeSchema.parse(out.employee) };
}

describe('Deel status', () => {
  it.each([
    [{ hiring_status: 'active' }, 'active'],
    [{ hiring_status: 'ACTIVE' }, 'active'],
    [{ hiring_status: 'onboarding' }, 'pending'],
    [{ hiring_status: 'offboarding' }, 'active'],
    [{ hiring_status: 'inactive' }, 'inactive'],
    [{ hiring_status: null, new_hiring_status: 'onboarding_overdue' }, 'pending'],
    [{ hiring_status: 'onboarding', new_hiring_status: 'onboarding_overdue' }, 'pending'],
    [{ hiring_status: null, person_status: 'INACTIVE' }, 'inactive'],
    [{ hiring_status: null, person_status: 'ACTIVE' }, 'active'],
    [{ hiring_status: null, state: 'Active' }, 'active'],
    [{ hiring_status: 'terminated' }, 'inactive'],
    [{ hiring_status: 'on leave' }, 'leave'],
    [{ hiring_status: 'something new' }, 'active'],
  ] as const)('%o → %s', (fields, expected) => {
    expect(deelStatus(fields, null)).toBe(expected);
  });

  it('with no status at all, an ended contract means inactive', () => {
    expect(deelStatus({}, { is_ended: true })).toBe('inactive');
    expect(deelStatus({}, { is_ended: false })).toBe('active');
  });

  it.each([
    ['offboarding, last day ahead: employed until then', { hiring_status: 'offboarding', employments: [{ termination_last_day: '2026-04-30T00:00:00.000Z' }] }, 'active', '2026-04-30'],
    ['offboarding, last day passed: gone', { hiring_status: 'offboarding', employments: [{ termination_last_day: '2026-02-27T00:00:00.000Z' }] }, 'inactive', '2026-02-27'],
    ['the last day itself is still worked', { hiring_status: 'offboarding', employments: [{ termination_last_day: '2026-03-02T00:00:00.000Z' }] }, 'active', '2026-03-02'],
    ['active but starting later', { hiring_status: 'active', start_date: '2026-04-01' }, 'pending', null],
    ['direct employee field', { hiring_status: 'offboarding', direct_employee_termination_last_day: '2026-05-31T00:00:00.000Z' }, 'active', '2026-05-31'],
    [
      're-hired: an old last day before the current start is not a leave',
      { hiring_status: 'active', direct_employee_termination_last_day: '2024-06-30T00:00:00.000Z', employments: [{ is_ended: true, start_date: '2020-01-06', termination_last_day: '2024-06-30T00:00:00.000Z' }, { is_ended: false, start_date: '2025-09-01' }] },
      'active',
      null,
    ],
  ] as const)('date rules: %s', (_name, record, status, terminationDate) => {
    const { employee } = mapped(record as Record<string, unknown>);
    expect(employee.status).toBe(status);
    expect(employee.terminationDate).toBe(terminationDate);
  });

  it('keeps every raw status value', () => {
    expect(mapped({ hiring_status: 'onboarding', new_hiring_status: 'onboarding_overdue', employments: [{ contract_status: 'in_progress' }] }).employee.rawStatus).toBe('onboarding / onboarding_overdue / in_progress');
  });
});

describe('Deel employments', () => {
  const ended = { id: 'a', is_ended: true, contract_status: 'completed', start_date: '2019-01-07', termination_last_day: '2019-12-20T00:00:00.000Z', team: { id: 't1', name: 'Platform' } };
  const current = { id: 'b', is_ended: false, contract_status: 'in_progress', start_date: '2020-02-03', team: { id: 't2', name: 'Analytics' } };
  it.each([
    ['the one that has not ended, whatever the order', [ended, current], 'b'],
    ['the same, reversed', [current, ended], 'b'],
    ['a contract_status that says ended', [{ ...ended, is_ended: null, contract_status: 'terminated' }, current], 'b'],
    ['two open contracts: the later start', [current, { ...current, id: 'c', start_date: '2024-01-01' }], 'c'],
    ['all ended: the one that ended last', [ended, { ...ended, id: 'd', termination_last_day: '2025-01-31T00:00:00.000Z' }], 'd'],
    ['an open contract whose last day passed counts as ended', [{ ...current, termination_last_day: '2026-01-01T00:00:00.000Z' }, { ...current, id: 'e', start_date: '2019-01-01' }], 'e'],
    ['malformed entries are skipped', [42, { is_ended: 'yes' }, current], 'b'],
    ['none', [], null],
  ] as const)('%s', (_name, items, expected) => {
    expect(currentEmployment(items as readonly unknown[], today)?.id ?? null).toBe(expected);
  });

  it('team, title and start come from the current contract; the ended one does not decide', () => {
    const { employee } = mapped({ job_title: null, employments: [ended, { ...current, job_title: 'Data Analyst' }] });
    expect(employee).toMatchObject({ team: { remoteId: 't2', name: 'Analytics' }, jobTitle: 'Data Analyst', startDate: '2020-02-03', status: 'active' });
  });
});

describe('Deel fields', () => {
  it('maps the reference example', () => {
    const { employee, manager, workerId } = mapped({
      worker_id: 123, external_id: 'E-0042', full_name: 'Nia Okafor',
      emails: [{ type: 'work', value: 'nia@acme.test' }, { type: 'personal', value: 'nia@example.test' }],
      hiring_type: 'eor', job_title: 'Data Analyst', start_date: '2024-03-04',
      department: { id: '6c1f', name: 'Data', parent: 'Product' },
      direct_manager: { id: '5a7d', worker_id: '88', work_email: 'lead@acme.test' },
      employments: [{ id: 'mzj524j', team: { id: '3f2a', name: 'Analytics' }, contract_status: 'in_progress', is_ended: false, termination_last_day: null }],
      work_location: 'Berlin', country: 'DE', updated_at: '2025-05-24T09:38:46.235Z',
    });
    expect(employee).toMatchObject({
      remoteId: id, employeeNumber: 'E-0042', workEmail: 'nia@acme.test', personalEmail: 'nia@example.test', displayName: 'Nia Okafor',
      status: 'active', rawStatus: 'active / in_progress', startDate: '2024-03-04', terminationDate: null, department: { remoteId: '6c1f', name: 'Data' },
      team: { remoteId: '3f2a', name: 'Analytics' }, workLocation: { name: 'Berlin' }, jobTitle: 'Data Analyst', costCenters: [], bankAccount: null,
      updatedAt: '2025-05-24T09:38:46.235Z', managerRemoteId: null,
    });
    expect(manager).toEqual({ remoteId: '5a7d', workerId: '88', workEmail: 'lead@acme.test' });
    expect(workerId).toBe('123');
  });

  it.each([
    ['emails list', { emails: [{ type: 'work', value: ' a@acme.test ' }] }, 'a@acme.test'],
    ['type in capitals', { emails: [{ type: 'WORK', value: 'a@acme.test' }] }, 'a@acme.test'],
    ['the primary of two', { emails: [{ type: 'work', value: 'old@acme.test' }, { type: 'work', value: 'a@acme.test', primary: true }] }, 'a@acme.test'],
    ['only on the current employment', { emails: [{ type: 'personal', value: 'p@home.test' }], employments: [{ work_email: 'a@acme.test' }] }, 'a@acme.test'],
    ['only on an ended employment', { employments: [{ is_ended: true, work_email: 'a@acme.test' }, { is_ended: false }] }, 'a@acme.test'],
    ['a flat work_email field', { work_email: 'a@acme.test' }, 'a@acme.test'],
    ['none', { emails: [] }, null],
    ['empty value', { emails: [{ type: 'work', value: '' }] }, null],
  ])('work email: %s', (_name, record, expected) => {
    expect(mapped(record).employee.workEmail).toBe(expected);
  });

  it.each([
    ['external id first', { external_id: 'E-1', worker_id: 7 }, 'E-1'],
    ['worker id when no external id', { external_id: null, worker_id: 7 }, '7'],
    ['neither', {}, null],
  ])('employee number: %s', (_name, record, expected) => {
    expect(mapped(record).employee.employeeNumber).toBe(expected);
  });

  it.each([
    ['a name', 'Berlin', { name: 'Berlin' }],
    ['an object', { id: 'loc1', name: 'Zürich' }, { remoteId: 'loc1', name: 'Zürich' }],
    ['an address-like object', { city: 'Kraków', country: 'PL' }, { name: 'Kraków' }],
    ['blank', '  ', null],
    ['a number', 7, null],
  ])('named ref: %s', (_name, value, expected) => {
    expect(named(value)).toEqual(expected);
  });

  it('falls back to the country for the location', () => {
    expect(mapped({ work_location: null, country: 'JP' }).employee.workLocation).toEqual({ name: 'JP' });
  });

  it.each([
    ['object', { id: 'm1', worker_id: 88, work_email: 'm@acme.test' }, { remoteId: 'm1', workerId: '88', workEmail: 'm@acme.test' }],
    ['worker id only', { worker_id: '88' }, { remoteId: null, workerId: '88', workEmail: null }],
    ['a bare id', 'm1', { remoteId: 'm1', workerId: null, workEmail: null }],
    ['null', null, { remoteId: null, workerId: null, workEmail: null }],
    ['garbage', [1, 2], { remoteId: null, workerId: null, workEmail: null }],
  ])('manager ref: %s', (_name, value, expected) => {
    expect(managerRef(value)).toEqual(expected);
  });

  it('names: preferred name first; full_name when the parts are missing; NFC', () => {
    expect(mapped({ preferred_first_name: 'Ni' }).employee.displayName).toBe('Ni Okafor');
    expect(mapped({ first_name: null, last_name: null, full_name: '山田 美咲' }).employee.displayName).toBe('山田 美咲');
    expect(mapped({ first_name: 'Jose\u0301' }).employee.firstName).toBe('José');
  });

  it.each([
    ['not an object', 'x', null],
    ['no id', { first_name: 'A' }, null],
    ['blank id', { id: '  ' }, null],
    ['an id but a broken shape', { id: 'p1', emails: 'nope' }, 'p1'],
  ])('a bad record is a record error: %s', (_name, raw, remoteId) => {
    const out = mapDeelPerson(raw, today);
    expect(out).toMatchObject({ code: 'invalid_record', dropped: true, remoteId });
  });

  it('odd nested values never drop the person', () => {
    const { employee } = mapped({ department: 'Data', direct_manager: 17, employments: [null, 'x'], emails: [null, 5], work_location: { id: 9 } });
    expect(employee).toMatchObject({ department: { name: 'Data' }, workLocation: { remoteId: '9', name: '9' } });
  });
});

describe('Deel errors and settings', () => {
  it.each([
    ['container', { request: { method: 'GET', status: 401, code: 'UNAUTHORIZED' }, errors: [{ message: 'Token has expired', path: '' }] }, 'Token has expired'],
    ['container with a path', { errors: [{ message: 'limit must be between 1 and 100', path: 'limit' }] }, 'limit must be between 1 and 100 (limit)'],
    ['legacy', { errors: [{ message: 'path not found' }] }, 'path not found'],
    ['rate-limit page', { error: 'Rate limit exceeded', status: 429, message: 'Retry later' }, 'Rate limit exceeded: Retry later'],
    ['nothing useful', { status: 500 }, undefined],
  ])('failure detail: %s', (_name, body, expected) => {
    expect(describeDeelFailure(400, new Headers(), JSON.stringify(body))).toBe(expected);
  });

  it('reads text bodies but not HTML pages', () => {
    expect(describeDeelFailure(502, new Headers(), 'Bad gateway')).toBe('Bad gateway');
    expect(describeDeelFailure(502, new Headers(), '<html>…</html>')).toBeUndefined();
  });

  it.each([
    ['https://api.letsdeel.com', 'https://api.letsdeel.com/rest/v2'],
    ['https://api.letsdeel.com/', 'https://api.letsdeel.com/rest/v2'],
    ['https://api.letsdeel.com/rest', 'https://api.letsdeel.com/rest/v2'],
    ['https://api.letsdeel.com/rest/v2/', 'https://api.letsdeel.com/rest/v2'],
    ['http://127.0.0.1:4000/proxy/deel/rest/v2', 'http://127.0.0.1:4000/proxy/deel/rest/v2'],
  ])('base URL %s → %s', (input, expected) => {
    expect(withApiPrefix(input)).toBe(expected);
  });

  it('credentials: a token is required; a pasted "Bearer " is dropped', () => {
    expect(deelCredentialsSchema.parse({ apiToken: ' Bearer abc ' })).toEqual({ apiToken: 'abc' });
    expect(deelCredentialsSchema.safeParse({ apiToken: ' ' }).success).toBe(false);
    expect(deelSettingsSchema.parse({})).toEqual({ environment: 'production', pageSize: 200 });
    expect(deelSettingsSchema.safeParse({ pageSize: 201 }).success).toBe(false);
  });
});
