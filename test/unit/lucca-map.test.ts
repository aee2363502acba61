import { describe, expect, it } from 'vitest';
import { normalisedEmployeeSchema } from '../../connectors/contract.js';
import { describeLuccaFailure } from '../../connectors/lucca/errors.js';
import { legacyTimestamp, mapLegacyUser } from '../../connectors/lucca/legacy/map.js';
import { legacySince } from '../../connectors/lucca/legacy/read.js';
import { legacyListSchema } from '../../connectors/lucca/legacy/schema.js';
import { luccaBaseUrl, luccaCredentialsSchema, isV5 } from '../../connectors/lucca/schema.js';
import { compactEmployment, compactJobPosition, mapV5Employee, v5BankAccount, v5Status, type V5MapContext } from '../../connectors/lucca/v5/map.js';

const today = '2026-03-02';

/** The fact sheet's sample user, as the legacy API renders it. */
const jeanne = {
  id: 416, name: 'Jeanne Martin', displayName: 'Martin Jeanne', firstName: 'Jeanne', lastName: 'MARTIN',
  mail: 'jeanne.martin@acme.test', employeeNumber: '00057', jobTitle: 'Comptable',
  dtContractStart: '2021-09-01T00:00:00', dtContractEnd: null, modifiedAt: '2025-02-03T10:20:06.583',
  department: { id: 13, name: 'Finance', url: '…/api/v3/departments/13' }, managerId: 383,
  manager: { id: 383, name: 'Roger Petit', url: '…/api/v3/users/383' }, legalEntity: { id: 1, name: 'Acme SAS' },
};

function legacy(patch: Record<string, unknown> = {}, axes: number[] = []) {
  const out = mapLegacyUser({ ...jeanne, ...patch }, { today, costCenterAxisIds: axes });
  if (!('employee' in out)) throw new Error(out.reason);
  return { ...out, employee: normalisedEmployeeSchema.parse(out.employee) };
}

describe('Lucca legacy user', () => {
  it('maps the documented sample: numeric id as a string, leading zeros kept, "name" as the display name', () => {
    const { employee, manager } = legacy();
    expect(employee).toMatchObject({
      remoteId: '416', employeeNumber: '00057', workEmail: 'jeanne.martin@acme.test', firstName: 'Jeanne', lastName: 'MARTIN',
      displayName: 'Jeanne Martin', status: 'active', rawStatus: null, startDate: '2021-09-01', terminationDate: null,
      managerRemoteId: '383', department: { remoteId: '13', name: 'Finance' }, workLocation: { remoteId: '1', name: 'Acme SAS' },
      jobTitle: 'Comptable', updatedAt: '2025-02-03T10:20:06.583Z',
    });
    expect(manager).toEqual({ remoteId: '383' });
  });

  it.each([
    ['no dates', { dtContractStart: null, dtContractEnd: null }, 'active'],
    ['started, no end', { dtContractStart: '2020-01-01T00:00:00' }, 'active'],
    ['starts after today', { dtContractStart: '2026-04-01T00:00:00' }, 'pending'],
    ['ended yesterday', { dtContractEnd: '2026-03-01T00:00:00' }, 'inactive'],
    ['ends today (still worked)', { dtContractEnd: '2026-03-02T00:00:00' }, 'active'],
    ['ends in 20 days (on notice)', { dtContractEnd: '2026-03-22T00:00:00' }, 'active'],
    ['future start, past end (cancelled hire)', { dtContractStart: '2026-04-01T00:00:00', dtContractEnd: '2026-02-01T00:00:00' }, 'inactive'],
  ])('status from contract dates: %s → %s', (_name, patch, expected) => {
    expect(legacy(patch).employee.status).toBe(expected);
  });

  it.each([
    ['managerId', { managerId: 383, manager: null }, '383'],
    ['only the manager object', { managerId: undefined, manager: { id: 77, name: 'X' } }, '77'],
    ['managerId as a string', { managerId: '12' }, '12'],
    ['no manager', { managerId: null, manager: null }, null],
  ])('manager from %s', (_name, patch, expected) => {
    expect(legacy(patch).employee.managerRemoteId).toBe(expected);
  });

  it.each([
    ['legal entity only', {}, { remoteId: '1', name: 'Acme SAS' }],
    ['establishment wins', { establishment: { id: 104, name: 'Zürich' } }, { remoteId: '104', name: 'Zürich' }],
    ['neither', { legalEntity: null }, null],
  ])('work location: %s', (_name, patch, expected) => {
    expect(legacy(patch).employee.workLocation).toEqual(expected);
  });

  it.each([
    ['modifiedAt without zone', { modifiedAt: '2025-02-03T10:20:06.583' }, '2025-02-03T10:20:06.583Z'],
    ['modifiedOn rendering', { modifiedAt: undefined, modifiedOn: '2025-02-03T10:20:06' }, '2025-02-03T10:20:06Z'],
    ['with an offset', { modifiedAt: '2025-02-03T10:20:06+0100' }, '2025-02-03T10:20:06+01:00'],
    ['garbage', { modifiedAt: 'yesterday' }, null],
  ])('change stamp: %s', (_name, patch, expected) => {
    expect(legacy(patch).employee.updatedAt).toBe(expected);
  });

  it.each([
    ['one section', { userAxisValues_7: { id: 500, name: 'R&D' } }, [{ remoteId: '500', name: 'R&D', weight: 100 }]],
    ['two sections share equally', { userAxisValues_7: [{ id: 500, name: 'R&D' }, { id: 501, code: 'GA' }] }, [{ remoteId: '500', name: 'R&D', weight: 50 }, { remoteId: '501', name: 'GA', weight: 50 }]],
    ['percentages given', { userAxisValues_7: [{ id: 1, name: 'A', percentage: 70 }, { id: 2, name: 'B', percentage: 30 }] }, [{ remoteId: '1', name: 'A', weight: 70 }, { remoteId: '2', name: 'B', weight: 30 }]],
    ['axis absent', {}, []],
  ])('cost centres: %s', (_name, patch, expected) => {
    expect(legacy(patch, [7]).employee.costCenters).toEqual(expected);
  });

  it('keeps names in every script and turns empty strings into null', () => {
    const { employee } = legacy({ firstName: '美咲', lastName: 'Nguyễn', name: '', mail: '  ', jobTitle: '' });
    expect(employee).toMatchObject({ firstName: '美咲', lastName: 'Nguyễn', displayName: '美咲 Nguyễn', workEmail: null, jobTitle: null });
  });

  it('a user without an id is a dropped record, not a failed run', () => {
    expect(mapLegacyUser({ name: 'Nobody' }, { today, costCenterAxisIds: [] })).toMatchObject({ remoteId: null, code: 'invalid_record', dropped: true });
    expect(mapLegacyUser('nonsense', { today, costCenterAxisIds: [] })).toMatchObject({ code: 'invalid_record', dropped: true });
  });

  it.each([
    ['data envelope', { data: { items: [1, 2] } }],
    ['bare items', { items: [1, 2] }],
  ])('list envelope: %s', (_name, body) => {
    expect(legacyListSchema.parse(body)).toEqual([1, 2]);
  });

  it('asks for changes from 14 hours earlier, without a zone', () => {
    expect(legacySince('2026-03-02T08:00:00Z')).toBe('2026-03-01T18:00:00');
    expect(legacyTimestamp('2026-03-01 18:00')).toBe('2026-03-01T18:00Z');
  });
});

function v5ctx(over: Partial<V5MapContext> = {}): V5MapContext {
  return { today, employment: () => null, job: () => null, personal: () => null, ...over };
}

describe('Lucca API v5', () => {
  it.each([
    ['active', 'active'],
    ['upcoming', 'pending'],
    ['deactivated', 'inactive'],
    ['Deactivated', 'inactive'],
    ['something new', 'active'],
    [null, 'active'],
  ] as const)('status %s → %s', (raw, expected) => {
    expect(v5Status(raw)).toBe(expected);
  });

  it('joins the applicable employment and job position, keeps the raw status and applies the date rules', () => {
    const employment = compactEmployment({ id: '28', employee: { id: '416' }, start: { date: '2024-01-01' }, end: { date: '2026-03-22' }, lastUpdatedAt: '2026-02-01T10:00:00Z' })!;
    const job = compactJobPosition(
      { id: '74', employee: { id: '416' }, employment: { id: '28' }, startsOn: '2024-01-01', jobTitle: 'Developer', manager: { id: '541' }, department: { id: '32' }, businessEstablishment: { id: '5' }, lastUpdatedAt: '2026-02-10T10:00:00.0001Z' },
      { department: { '32': { id: '32', name: 'Finances', remoteId: 'FIN' } } },
    )!;
    const out = mapV5Employee(
      { id: '416', givenName: 'Jeanne', familyName: 'Martin', employeeNumber: 'E000124', status: 'active', email: 'j@acme.test', applicableEmployment: { id: '28' }, applicableJobPosition: { id: '74' }, lastUpdatedAt: '2025-01-01T00:00:00Z' },
      v5ctx({ employment: (id) => (id === '28' ? employment : null), job: (id) => (id === '74' ? job : null), personal: () => ({ email: 'jeanne@home.test', bankAccount: { iban: 'FR7630006000011234567890189' } }) }),
    );
    if (!('employee' in out)) throw new Error(out.reason);
    expect(normalisedEmployeeSchema.parse(out.employee)).toMatchObject({
      remoteId: '416', employeeNumber: 'E000124', personalEmail: 'jeanne@home.test', status: 'active', rawStatus: 'active',
      startDate: '2024-01-01', terminationDate: '2026-03-22', managerRemoteId: '541', department: { remoteId: '32', name: 'Finances' },
      // Not embedded: the id stands in for the name.
      workLocation: { remoteId: '5', name: '5' }, jobTitle: 'Developer', bankAccount: { iban: 'FR7630006000011234567890189' },
      updatedAt: '2026-02-10T10:00:00.000Z',
    });
  });

  it.each([
    ['employments reference', { id: '1', start: { date: '2024-01-01' }, end: null }, ['2024-01-01', null]],
    ['startsOn rendering', { id: '1', startsOn: '2024-01-01', endsOn: '2025-06-30' }, ['2024-01-01', '2025-06-30']],
    ['bare strings', { id: 1, start: '2024-01-01', end: '2025-06-30' }, ['2024-01-01', '2025-06-30']],
  ])('employment dates: %s', (_name, raw, [start, end]) => {
    expect(compactEmployment(raw)).toMatchObject({ id: '1', start, end });
  });

  it.each([
    ['iban shape', { format: 'iban', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP' }, { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' }],
    ['generic shape', { format: 'iban', bankName: 'Crédit Agricole', accountIdentifier: 'FR7630006000011234567890189', bankIdentifier: 'AGRIFRPP' }, { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' }],
    ['generic, not an IBAN', { format: 'other', accountIdentifier: '12345678', bankIdentifier: '021000021' }, { bic: '021000021' }],
    ['null', null, null],
    ['empty', { format: 'iban' }, null],
  ])('bank account: %s', (_name, raw, expected) => {
    expect(v5BankAccount(raw)).toEqual(expected);
  });
});

describe('Lucca credentials and errors', () => {
  it.each([
    ['acme', 'https://acme.ilucca.net'],
    ['ACME.ilucca.ch', 'https://acme.ilucca.ch'],
    ['https://acme.ilucca-test.net/home#x', 'https://acme.ilucca-test.net'],
    ['acme-sb.sandbox.eu.luccasoftware.com', 'https://acme-sb.sandbox.eu.luccasoftware.com'],
  ])('account %s → %s', (account, url) => {
    expect(luccaBaseUrl(luccaCredentialsSchema.parse({ account, apiKey: 'k' }).account)).toBe(url);
  });

  it('picks the API from the credentials pasted, and refuses half of a pair', () => {
    expect(isV5(luccaCredentialsSchema.parse({ account: 'acme', apiKey: 'k' }))).toBe(false);
    expect(isV5(luccaCredentialsSchema.parse({ account: 'acme', clientId: 'c', clientSecret: 's' }))).toBe(true);
    expect(luccaCredentialsSchema.safeParse({ account: 'acme', clientId: 'c' }).success).toBe(false);
    expect(luccaCredentialsSchema.safeParse({ account: 'ac me', apiKey: 'k' }).success).toBe(false);
  });

  it.each([
    ['problem+json', JSON.stringify({ type: 'x', title: 'Bad Request', status: 400, errors: { limit: ['must be between 1 and 100'] } }), 'Bad Request — limit: must be between 1 and 100'],
    ['OAuth error', JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }), 'invalid_client: client authentication failed'],
    ['legacy Message', JSON.stringify({ Message: 'paging limit cannot exceed 1000' }), 'paging limit cannot exceed 1000'],
    ['empty', '', undefined],
    ['HTML page', '<html><body>401</body></html>', undefined],
    ['short text', 'Unauthorized', 'Unauthorized'],
  ])('failure reason from %s', (_name, body, expected) => {
    expect(describeLuccaFailure(400, new Headers(), body)).toBe(expected);
  });
});
