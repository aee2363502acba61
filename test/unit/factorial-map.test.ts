import { describe, expect, it } from 'vitest';
import { quoteBigIds } from '../../connectors/factorial/ids.js';
import { currentVersion, factorialStatus, mapFactorialEmployee, type MapContext } from '../../connectors/factorial/map.js';
import { factorialCredentialsSchema, type ContractVersion } from '../../connectors/factorial/schema.js';

const today = '2026-03-02';
const ctx = (versions: ContractVersion[] = []): MapContext => ({
  today,
  contract: () => currentVersion(versions, today),
  team: (id) => (id === '1842' ? { remoteId: '7', name: 'Engineering' } : null),
  locationName: (id) => (id === '3' ? 'Madrid' : null),
});

/** The fact sheet's example employee. */
const ana = {
  id: '1842', access_id: '2210', first_name: 'Ana', last_name: 'Blanco Pérez', full_name: 'Ana Blanco Pérez', preferred_name: null,
  login_email: 'ana@acme.test', personal_email: 'ana@example.test', company_identifier: 'E-107', active: true, is_terminating: true,
  terminated_on: '2026-09-30', manager_id: '17', timeoff_manager_id: '17', location_id: '3', legal_entity_id: '1',
  bank_number: 'ES6220809324751871912999', swift_bic: 'CAGLES2M510', bank_number_format: 'iban',
  created_at: '2023-01-09T08:12:00.000Z', updated_at: '2026-06-02T14:03:11.000Z',
};
const version = (id: string, effective_on: string, job_title: string, starts_on = '2023-01-09'): ContractVersion => ({ id, employee_id: '1842', effective_on, starts_on, ends_on: null, job_title });

describe('factorialStatus', () => {
  it.each<[boolean | null, string | null, string | null, string]>([
    [true, null, null, 'active'],
    [true, '2020-01-01', '2026-09-30', 'active'],
    [false, '2020-01-01', '2026-01-31', 'inactive'],
    [false, '2020-01-01', null, 'inactive'],
    // A future starter some versions serve as not yet active.
    [false, '2026-04-01', null, 'pending'],
    // A termination entered ahead: employed until the date, even if the flag already flipped.
    [false, '2020-01-01', '2026-03-20', 'active'],
    [false, '2020-01-01', today, 'active'],
    // `active` hidden from an OAuth user (null): the dates decide.
    [null, '2020-01-01', null, 'active'],
    [null, '2020-01-01', '2026-01-31', 'inactive'],
  ])('active=%s start=%s terminated_on=%s → %s', (active, startDate, terminationDate, status) => {
    expect(factorialStatus(active, { startDate, terminationDate }, today)).toBe(status);
  });
});

describe('currentVersion', () => {
  it.each<[string, ContractVersion[], string | undefined]>([
    ['none', [], undefined],
    ['one', [version('1', '2023-01-09', 'Engineer')], 'Engineer'],
    ['the newest in force', [version('1', '2023-01-09', 'Engineer'), version('2', '2025-05-01', 'Senior Engineer')], 'Senior Engineer'],
    ['listed out of order', [version('2', '2025-05-01', 'Senior Engineer'), version('1', '2023-01-09', 'Engineer')], 'Senior Engineer'],
    ['not a scheduled promotion', [version('1', '2023-01-09', 'Engineer'), version('2', '2026-04-01', 'Lead')], 'Engineer'],
    ['the later of two on one day', [version('9', '2025-05-01', 'B'), version('10', '2025-05-01', 'C')], 'C'],
    ['the first ahead for a future starter', [version('3', '2026-05-01', 'Later'), version('2', '2026-04-01', 'Designer', '2026-04-01')], 'Designer'],
    ['effective_on missing: starts_on', [{ ...version('1', '', 'Engineer'), effective_on: null }], 'Engineer'],
  ])('%s', (_name, versions, title) => {
    expect(currentVersion(versions, today)?.job_title).toBe(title);
  });
});

describe('mapFactorialEmployee', () => {
  it('maps the fact sheet example', () => {
    const mapped = mapFactorialEmployee(ana, ctx([version('5', '2023-01-09', 'Data Engineer')]));
    expect(mapped).toEqual({
      employee: expect.objectContaining({
        remoteId: '1842', employeeNumber: 'E-107', workEmail: 'ana@acme.test', personalEmail: 'ana@example.test', firstName: 'Ana',
        lastName: 'Blanco Pérez', displayName: 'Ana Blanco Pérez', status: 'active', rawStatus: 'active, terminating', startDate: '2023-01-09',
        terminationDate: '2026-09-30', department: null, team: { remoteId: '7', name: 'Engineering' }, workLocation: { remoteId: '3', name: 'Madrid' },
        jobTitle: 'Data Engineer', costCenters: [], bankAccount: { iban: 'ES6220809324751871912999', bic: 'CAGLES2M510' }, updatedAt: '2026-06-02T14:03:11.000Z',
      }),
      manager: { remoteId: '17' },
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['integer ids (before 2026-07-01)', { id: 1842, manager_id: 17, location_id: 9 }, { remoteId: '1842', workLocation: { remoteId: '9', name: '9' } }],
    ['`email` when there is no `login_email`', { login_email: undefined, email: 'ana.old@acme.test' }, { workEmail: 'ana.old@acme.test' }],
    ['a preferred name wins over full_name', { preferred_name: 'Anita' }, { displayName: 'Anita Blanco Pérez' }],
    ['names hidden: the email stands in', { first_name: null, last_name: null, full_name: null, preferred_name: null }, { displayName: 'ana@acme.test' }],
    ['a sort code is not an IBAN', { bank_number: '20-00-00 12345678', bank_number_format: 'sort_code_and_account_number' }, { bankAccount: { bic: 'CAGLES2M510' } }],
    ['an IBAN typed with spaces, format hidden', { bank_number: 'es62 2080 9324 7518 7191 2999', bank_number_format: null, swift_bic: null }, { bankAccount: { iban: 'ES6220809324751871912999' } }],
    ['bank details hidden', { bank_number: null, swift_bic: null, bank_number_format: null }, { bankAccount: null }],
    ['no contract: seniority date is the start', { seniority_calculation_date: '2021-06-01' }, { startDate: '2021-06-01', jobTitle: null }],
    ['past termination', { active: false, is_terminating: false, terminated_on: '2026-01-31' }, { status: 'inactive', rawStatus: 'inactive' }],
    ['active hidden', { active: null, is_terminating: null, terminated_on: null }, { status: 'active', rawStatus: null }],
    ['an empty string is nothing', { personal_email: '  ', company_identifier: '' }, { personalEmail: null, employeeNumber: null }],
  ])('%s', (_name, patch, expected) => {
    const mapped = mapFactorialEmployee({ ...ana, ...patch }, ctx());
    expect('employee' in mapped && mapped.employee).toMatchObject(expected);
  });

  it.each<[string, unknown]>([
    ['no id', { ...ana, id: undefined }],
    ['an object for a name', { ...ana, first_name: { text: 'Ana' } }],
    ['not an object', 'Ana'],
  ])('%s is a dropped record error', (_name, raw) => {
    expect(mapFactorialEmployee(raw, ctx())).toMatchObject({ code: 'invalid_record', dropped: true });
  });
});

describe('quoteBigIds', () => {
  it.each<[string, string, unknown]>([
    ['a small id is left alone', '{"id":17,"manager_id":3}', { id: 17, manager_id: 3 }],
    ['ids beyond 2^53 keep their digits', '{"id":9007199254740993,"manager_id":9007199254741000}', { id: '9007199254740993', manager_id: '9007199254741000' }],
    ['lists of ids too', '{"employee_ids":[9007199254740993, 5,9007199254740995]}', { employee_ids: ['9007199254740993', 5, '9007199254740995'] }],
    ['string ids are untouched', '{"id":"9007199254740993"}', { id: '9007199254740993' }],
    ['other big numbers are not ids', '{"salary_amount":12345678901234567}', { salary_amount: 12345678901234567 }],
  ])('%s', (_name, text, parsed) => {
    expect(JSON.parse(quoteBigIds(text))).toEqual(parsed);
  });
});

describe('credentials', () => {
  it.each<[string, unknown, boolean]>([
    ['an API key', { apiKey: ' key ' }, true],
    ['OAuth client and refresh token', { clientId: 'a', clientSecret: 'b', refreshToken: 'c' }, true],
    ['nothing', {}, false],
    ['OAuth without the refresh token', { clientId: 'a', clientSecret: 'b' }, false],
  ])('%s', (_name, input, ok) => {
    const parsed = factorialCredentialsSchema.safeParse(input);
    expect(parsed.success).toBe(ok);
    if (!ok && !parsed.success && (input as object) && Object.keys(input as object).length) expect(parsed.error.issues[0]!.path).toEqual(['refreshToken']);
  });
});
