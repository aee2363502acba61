import { describe, expect, it } from 'vitest';
import { bankOf, currentOffboarding, mapRemoteEmployment, namesOf } from '../../connectors/remote/map.js';
import { remoteResetMs } from '../../connectors/remote/throttle.js';
import { describeRemoteFailure } from '../../connectors/remote/validate.js';

const today = '2026-03-02';
const item = (patch: Record<string, unknown> = {}) => ({
  id: 'ba9ead59-e471-4043-a7ea-07dbb105e72c', short_id: '7KQ2XC', full_name: 'Tomás Rey', job_title: 'Support Lead', status: 'active',
  employment_lifecycle_stage: 'onboarded', country: { code: 'PRT', alpha_2_code: 'PT', name: 'Portugal' }, department: 'Support',
  department_id: '1c2d', external_id: 'E-77', login_email: 'tomas@example.test', personal_email: 'tomas@example.test', work_email: null, ...patch,
});
const map = (patch: Record<string, unknown> = {}, detail?: Record<string, unknown>, offboardings: Array<Record<string, unknown>> = []) =>
  mapRemoteEmployment(item(patch), detail ? { ...item(patch), ...detail } : undefined, offboardings as never, today);
const employee = (...args: Parameters<typeof map>) => {
  const m = map(...args);
  if (!('employee' in m)) throw new Error(m.reason);
  return m.employee;
};

describe('Remote status mapping', () => {
  it.each([
    ['active', 'onboarded', 'active'],
    ['offboarding', 'offboarding', 'active'],
    ['archived', 'offboarded', 'inactive'],
    ['deleted', null, 'inactive'],
    ['created', 'employment_creation', 'pending'],
    ['pre_hire', null, 'pending'],
    ['initiated', null, 'pending'],
    ['invited', null, 'pending'],
    ['pending', null, 'pending'],
    ['review', null, 'pending'],
    ['job_title_review', null, 'pending'],
    ['pending_post_self_enrollment_actions', null, 'pending'],
    ['created_awaiting_reserve', null, 'pending'],
    ['created_reserve_paid', null, 'pending'],
    ['ACTIVE', null, 'active'],
    ['something_new', 'onboarded', 'active'],
    ['something_new', 'offboarded', 'inactive'],
    [null, null, 'pending'],
  ])('%s / %s → %s', (status, stage, expected) => {
    const e = employee({ status, employment_lifecycle_stage: stage });
    expect(e.status).toBe(expected);
    expect(e.rawStatus).toBe([status, stage].filter(Boolean).join(', ') || null);
  });

  it.each([
    ['a future termination keeps the person active until then', 'offboarding', [{ employment_id: 'x', termination_date: '2026-04-01', status: 'submitted' }], 'active', '2026-04-01'],
    ['a past termination ends them even while Remote still says offboarding', 'offboarding', [{ employment_id: 'x', termination_date: '2026-02-27', status: 'in_review' }], 'inactive', '2026-02-27'],
    ['a cancelled offboarding is ignored', 'active', [{ employment_id: 'x', termination_date: '2026-02-01', status: 'cancelled' }], 'active', null],
    ['an offboarding from before a rehire on the same employment is ignored', 'active', [{ employment_id: 'x', termination_date: '2023-01-01', status: 'completed' }], 'active', null],
  ])('%s', (_case, status, offboardings, expected, date) => {
    const e = employee({ status }, { provisional_start_date: '2024-05-01' }, offboardings);
    expect(e).toMatchObject({ status: expected, terminationDate: date, startDate: '2024-05-01' });
  });

  it('a future start date makes an active employment pending; seniority_date is the fallback', () => {
    expect(employee({}, { provisional_start_date: '2026-04-01' })).toMatchObject({ status: 'pending', startDate: '2026-04-01' });
    expect(employee({}, { provisional_start_date: null, seniority_date: '2020-02-02' })).toMatchObject({ startDate: '2020-02-02' });
  });
});

describe('Remote fields', () => {
  it('the fact sheet example: login email equal to the personal one is not a work email; short id when no external id', () => {
    const e = employee({ external_id: null });
    expect(e).toMatchObject({
      remoteId: 'ba9ead59-e471-4043-a7ea-07dbb105e72c', employeeNumber: '7KQ2XC', workEmail: null, personalEmail: 'tomas@example.test',
      displayName: 'Tomás Rey', department: { remoteId: '1c2d', name: 'Support' }, workLocation: { remoteId: 'PRT', name: 'Portugal' }, jobTitle: 'Support Lead', team: null,
    });
    expect(employee({ login_email: 'tomas@acme.test' }).workEmail).toBe('tomas@acme.test');
    expect(employee({ work_email: 'rey@acme.test', login_email: 'tomas@acme.test' }).workEmail).toBe('rey@acme.test');
  });

  it.each([
    [{ first_name: 'Tomás', last_name: 'Rey' }, { firstName: 'Tomás', lastName: 'Rey', preferredName: null }],
    [{ given_name: '美咲', family_name: '山田' }, { firstName: '美咲', lastName: '山田', preferredName: null }],
    [{ name: 'Tomás Rey' }, { firstName: null, lastName: null, preferredName: null }],
    [{ first_name: 'Thomas', last_name: 'Rey', preferred_name: 'Tom' }, { firstName: 'Thomas', lastName: 'Rey', preferredName: 'Tom' }],
    [null, { firstName: null, lastName: null, preferredName: null }],
  ])('names from basic_information %j', (info, expected) => {
    expect(namesOf(info as Record<string, unknown> | null)).toEqual(expected);
  });

  it('managers: an id is kept (never oneself); without one the email is handed on for resolution', () => {
    const m = map({}, { manager_employment_id: 'boss' });
    expect('employee' in m && m.employee.managerRemoteId).toBe('boss');
    const byEmail = map({}, { manager_employment_id: null, manager_email: 'Boss@Acme.test' });
    expect('manager' in byEmail && byEmail.manager).toEqual({ workEmail: 'Boss@Acme.test' });
    expect(employee({}, { manager_employment_id: item().id }).managerRemoteId).toBeNull();
  });

  it.each([
    [[{ iban: 'DE89 3704 0044 0532 0130 00', bic: 'cobadeffxxx', account_holder: 'Jörg' }], { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', holder: 'Jörg' }],
    [[{ IBAN: 'PT50000201231234567890154', SWIFT_CODE: 'BCOMPTPL' }], { iban: 'PT50000201231234567890154', bic: 'BCOMPTPL' }],
    [[{ account_number: 'FR7630006000011234567890189', bic_swift: 'AGRIFRPP' }], { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' }],
    [[{ sort_code: '12-34-56', account_number: '12345678', account_holder: 'A' }], null],
    [{ iban: 'NL91ABNA0417164300' }, { iban: 'NL91ABNA0417164300' }],
    [[], null],
    [null, null],
  ])('bank details %j', (details, expected) => {
    expect(bankOf(details)).toEqual(expected);
  });

  it('bad records are record errors, not exceptions', () => {
    expect(mapRemoteEmployment({ full_name: 'No Id' }, undefined, [], today)).toMatchObject({ code: 'invalid_record', dropped: true, remoteId: null });
    expect(mapRemoteEmployment('nope', undefined, [], today)).toMatchObject({ code: 'invalid_record' });
    expect(mapRemoteEmployment(item(), { id: 'someone-else' }, [], today)).toMatchObject({ code: 'invalid_record', reason: expect.stringContaining('belongs to') });
    expect(mapRemoteEmployment(item(), { ...item(), bank_account_details: 'x' }, [], today)).toMatchObject({ code: 'invalid_record' });
  });

  it('the latest live offboarding wins', () => {
    const list = [
      { employment_id: 'x', termination_date: '2026-05-01', status: 'cancelled' },
      { employment_id: 'x', termination_date: '2026-04-01', status: 'submitted' },
      { employment_id: 'x', termination_date: '2026-03-20', status: 'submitted' },
    ];
    expect(currentOffboarding(list, '2020-01-01')?.termination_date).toBe('2026-04-01');
  });
});

describe('Remote signals', () => {
  it.each([
    ['45000', 0, 45_000],
    ['0', 0, 0],
    [String(Date.parse('2026-03-02T09:01:00Z')), Date.parse('2026-03-02T09:00:00Z'), 60_000],
  ])('x-ratelimit-reset %s → %d ms', (raw, now, expected) => {
    expect(remoteResetMs(raw, now)).toBe(expected);
  });

  it.each([
    ['{"message":"Unauthorized"}', 'Unauthorized'],
    ['{"message":{"code":"invalid","message":"bad page","field":"page"}}', 'page: bad page'],
    ['{"message":[{"code":"x","message":"one"},"two"]}', 'one; two'],
    ['{"errors":{"page_size":["must be greater than or equal to 1"]}}', 'page_size: must be greater than or equal to 1'],
    ['{"error":"invalid_grant","error_description":"The refresh token is invalid or revoked"}', 'The refresh token is invalid or revoked'],
    ['<html>502</html>', undefined],
    ['', undefined],
  ])('error body %s', (body, expected) => {
    expect(describeRemoteFailure(400, new Headers(), body)).toBe(expected);
  });
});
