import { describe, expect, it } from 'vitest';
import { normalisedEmployeeSchema } from '../../connectors/contract.js';
import { employmentOf } from '../../connectors/payfit/employment.js';
import { emailsOf, mapPayfitCollaborator } from '../../connectors/payfit/map.js';
import type { PayfitContract } from '../../connectors/payfit/schema.js';

const today = '2026-03-02';
const c = (startDate: string | null, endDate: string | null = null, status?: string, extra: Partial<PayfitContract> = {}): PayfitContract =>
  ({ id: `${startDate}-${endDate}-${status}`, collaboratorId: null, startDate, endDate, ...(status === undefined ? {} : { status }), ...extra }) as PayfitContract;

describe('PayFit employment from contracts and dates', () => {
  it.each<[string, PayfitContract[] | undefined, string | null, { status: string; startDate: string | null; terminationDate: string | null; rawStatus?: string | null }]>([
    ['one open contract', [c('2021-05-03', null, 'active')], null, { status: 'active', startDate: '2021-05-03', terminationDate: null, rawStatus: 'active' }],
    ['no status strings at all', [c('2021-05-03')], null, { status: 'active', startDate: '2021-05-03', terminationDate: null, rawStatus: null }],
    ['ended yesterday, no termination date', [c('2021-05-03', '2026-03-01', 'active')], null, { status: 'inactive', startDate: '2021-05-03', terminationDate: '2026-03-01' }],
    ['ends today: the last day is still worked', [c('2021-05-03', '2026-03-02')], null, { status: 'active', startDate: '2021-05-03', terminationDate: '2026-03-02' }],
    ['termination 20 days ahead: employed until then', [c('2021-05-03', '2026-03-22')], '2026-03-22', { status: 'active', startDate: '2021-05-03', terminationDate: '2026-03-22' }],
    ['termination ahead, contract still open-ended', [c('2021-05-03')], '2026-03-22', { status: 'active', startDate: '2021-05-03', terminationDate: '2026-03-22' }],
    ['termination past, contract not yet closed in PayFit', [c('2021-05-03', null, 'active')], '2026-02-20', { status: 'inactive', startDate: '2021-05-03', terminationDate: '2026-02-20' }],
    ['future start', [c('2026-04-01', null, 'pending')], null, { status: 'pending', startDate: '2026-04-01', terminationDate: null, rawStatus: 'pending' }],
    ['upper-case future start', [c('2026-04-01', null, 'UPCOMING')], null, { status: 'pending', startDate: '2026-04-01', terminationDate: null }],
    ['re-hired: the old termination date belongs to the old contract', [c('2019-01-01', '2023-06-30', 'archived'), c('2024-01-01', null, 'active')], '2023-06-30', { status: 'active', startDate: '2024-01-01', terminationDate: null, rawStatus: 'active' }],
    ['re-hired for a future start', [c('2019-01-01', '2023-06-30'), c('2026-04-01')], '2023-06-30', { status: 'pending', startDate: '2026-04-01', terminationDate: null }],
    ['a new contract in creation next to the current one', [c('2021-05-03', null, 'active'), c('2026-04-01', null, 'in_creation')], null, { status: 'active', startDate: '2021-05-03', terminationDate: null, rawStatus: 'active' }],
    ['only a contract in creation', [c('2026-02-01', null, 'IN_CREATION')], null, { status: 'inactive', startDate: null, terminationDate: null }],
    ['archived by status without an end date', [c('2021-05-03', null, 'archived')], null, { status: 'inactive', startDate: '2021-05-03', terminationDate: null, rawStatus: 'archived' }],
    ['FINISHED with an end date', [c('2020-01-06', '2025-12-31', 'FINISHED')], '2025-12-31', { status: 'inactive', startDate: '2020-01-06', terminationDate: '2025-12-31', rawStatus: 'FINISHED' }],
    ['fixed-term contract renewed back to back', [c('2025-03-01', '2026-02-28'), c('2026-03-01', '2026-08-31')], null, { status: 'active', startDate: '2026-03-01', terminationDate: '2026-08-31' }],
    ['two overlapping current contracts: the earliest start counts', [c('2021-05-03'), c('2025-01-06', '2026-12-31')], null, { status: 'active', startDate: '2021-05-03', terminationDate: null }],
    ['a suspended contract is leave', [c('2021-05-03', null, 'suspended')], null, { status: 'leave', startDate: '2021-05-03', terminationDate: null }],
    ['parental leave', [c('2021-05-03', null, 'parental leave')], null, { status: 'leave', startDate: '2021-05-03', terminationDate: null }],
    ['admin-only account: no contract', [], null, { status: 'inactive', startDate: null, terminationDate: null, rawStatus: 'no contract' }],
    ['contracts not visible: only the termination date speaks', undefined, null, { status: 'active', startDate: null, terminationDate: null, rawStatus: null }],
    ['contracts not visible, termination past', undefined, '2025-01-31', { status: 'inactive', startDate: null, terminationDate: '2025-01-31' }],
    ['unparseable dates are no dates', [c('03/05/2021', 'soon')], null, { status: 'active', startDate: null, terminationDate: null }],
  ])('%s', (_name, contracts, terminationDate, expected) => {
    expect(employmentOf(contracts, terminationDate, today)).toMatchObject(expected);
  });
});

describe('PayFit emails', () => {
  it.each<[string, unknown, { work: string | null; personal: string | null }]>([
    ['documented lower-case types', [{ type: 'personal', email: 'a@home.test' }, { type: 'professional', email: 'a@acme.test' }], { work: 'a@acme.test', personal: 'a@home.test' }],
    ['upper-case types', [{ type: 'PROFESSIONAL', email: 'a@acme.test' }, { type: 'PERSONAL', email: 'a@home.test' }], { work: 'a@acme.test', personal: 'a@home.test' }],
    ['short types', [{ type: 'pro', email: 'a@acme.test' }, { type: 'perso', email: 'a@home.test' }], { work: 'a@acme.test', personal: 'a@home.test' }],
    ['work/private', [{ type: 'work', email: ' a@acme.test ' }, { type: 'private', email: 'a@home.test' }], { work: 'a@acme.test', personal: 'a@home.test' }],
    ['personal only (France)', [{ type: 'personal', email: 'a@home.test' }], { work: null, personal: 'a@home.test' }],
    ['an untyped lone address is personal', [{ email: 'a@home.test' }], { work: null, personal: 'a@home.test' }],
    ['bare strings', ['a@home.test'], { work: null, personal: 'a@home.test' }],
    ['empty and null entries are skipped', [{ type: 'professional', email: '' }, null, { type: 'personal', email: null }], { work: null, personal: null }],
  ])('%s', (_name, emails, expected) => {
    expect(emailsOf({ emails })).toEqual(expected);
  });

  it('reads flat professionalEmail / personalEmail fields when there is no list', () => {
    expect(emailsOf({ professionalEmail: 'a@acme.test', personalEmail: 'a@home.test' })).toEqual({ work: 'a@acme.test', personal: 'a@home.test' });
  });
});

describe('PayFit collaborator mapping', () => {
  const base = { id: '5e21d632dd5bbd76b90820e1', matricule: '0042', firstName: 'Léa', lastName: 'Roux', birthName: null, emails: [{ type: 'personal', email: 'lea.roux@example.test' }], managerId: '5e21d632dd5bbd76b90820d9', teamName: 'Ops', contracts: [{ id: '6a0c', status: 'active', startDate: '2022-01-03', endDate: null }], terminationDate: null, iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'agrifrppxxx' };

  it('maps the documented example', () => {
    const e = normalisedEmployeeSchema.parse(mapPayfitCollaborator(base, today));
    expect(e).toMatchObject({
      remoteId: base.id, employeeNumber: '0042', firstName: 'Léa', lastName: 'Roux', displayName: 'Léa Roux', workEmail: null,
      personalEmail: 'lea.roux@example.test', status: 'active', rawStatus: 'active', startDate: '2022-01-03', managerRemoteId: base.managerId,
      team: { name: 'Ops' }, department: { name: 'Ops' }, bankAccount: { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPPXXX' }, updatedAt: null,
    });
  });

  it('takes the job title and establishment from the listed contract matching the embedded one', () => {
    const listed = [{ id: '6a0c', collaboratorId: base.id, status: 'active', startDate: '2022-01-03', endDate: null, jobName: 'Comptable', establishment: { id: 'e1', name: 'Paris' } }] as PayfitContract[];
    expect(mapPayfitCollaborator(base, today, listed)).toMatchObject({ jobTitle: 'Comptable', workLocation: { remoteId: 'e1', name: 'Paris' } });
  });

  it('uses listed contracts when the collaborator carries none', () => {
    const { contracts: _omit, ...bare } = base;
    const listed = [{ id: '9', collaboratorId: base.id, startDate: '2026-05-01', endDate: null, jobTitle: 'Designer' }] as PayfitContract[];
    expect(mapPayfitCollaborator(bare, today, listed)).toMatchObject({ status: 'pending', startDate: '2026-05-01', jobTitle: 'Designer' });
  });

  it('a numeric id, a self-manager and an empty team are cleaned', () => {
    expect(mapPayfitCollaborator({ ...base, id: 42, managerId: '42', teamName: '  ' }, today)).toMatchObject({ remoteId: '42', managerRemoteId: null, team: null, department: null });
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'nope', 'record is not an object'],
    ['a list', [base], 'record is not an object'],
    ['no id', { ...base, id: '' }, 'record has no id'],
    ['contracts that are not objects', { ...base, contracts: ['x'] }, 'contracts is not a list of contracts'],
  ])('a record that is %s is a dropped record error', (_name, raw, reason) => {
    expect(mapPayfitCollaborator(raw, today)).toMatchObject({ code: 'invalid_record', reason, dropped: true });
  });
});
