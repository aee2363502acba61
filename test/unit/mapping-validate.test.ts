import { describe, expect, it } from 'vitest';
import type { NormalisedEmployee } from '../../connectors/index.js';
import type { TenantAttributeSpec } from '../../scim/schemas/tenant-user.js';
import { coerce } from '../../src/mapping/coerce.js';
import { TIMEOUTS_PER_RUN } from '../../src/mapping/compile.js';
import { BASE_MAPPING } from '../../src/mapping/defaults.js';
import type { Mapping, MappingEntry } from '../../src/mapping/mapping.js';
import { validateMapping } from '../../src/mapping/validate.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TENANT = 'urn:rollcall:params:scim:schemas:extension:tenant:2.0:User';
const spec = (name: string, type: TenantAttributeSpec['type'], multiValued = false): TenantAttributeSpec => ({ name, type, multiValued, caseExact: false, description: '' });
const declared = [spec('badge', 'string'), spec('level', 'integer'), spec('remote', 'boolean'), spec('hired', 'dateTime'), spec('rate', 'decimal'), spec('skills', 'string', true)];

const employee: NormalisedEmployee = {
  remoteId: '7',
  employeeNumber: '0042',
  workEmail: 'ana@acme.test',
  personalEmail: null,
  firstName: 'Ana',
  lastName: 'Lima',
  preferredName: null,
  displayName: 'Ana Lima',
  status: 'active',
  rawStatus: 'Active',
  startDate: '2024-03-01',
  terminationDate: null,
  managerRemoteId: null,
  department: { name: 'Engineering', remoteId: 'd1' },
  team: null,
  workLocation: { name: 'Lisbon' },
  jobTitle: 'Engineer',
  costCenters: [
    { name: 'CC-1', weight: 60 },
    { name: 'CC-2', weight: 40 },
  ],
  bankAccount: { iban: 'DE89370400440532013000' },
  updatedAt: null,
  raw: { custom: { badge: 'B-7', level: '4', remote: 'TRUE', skills: ['go', 'sql'], rate: '12.5' }, division: 'Europe' },
};

const one = (attribute: string, source: MappingEntry['source']): Mapping => ({ attributes: [{ attribute, source }] });

describe('validating a mapping', () => {
  it.each<[string, Mapping, RegExp]>([
    ['an unknown attribute', one('shoeSize', { kind: 'constant', value: 'x' }), /^shoeSize: unknown attribute/],
    ['an undeclared tenant attribute', one(`${TENANT}:shift`, { kind: 'constant', value: 'x' }), /unknown attribute/],
    ['userName', one('userName', { kind: 'field', field: 'workEmail' }), /filled by the sync itself/],
    ['emails', one('emails', { kind: 'field', field: 'workEmail' }), /filled by the sync itself/],
    ['active', one('active', { kind: 'constant', value: true }), /filled by the sync itself/],
    ['the manager', one(`${ENT}:manager.value`, { kind: 'field', field: 'managerRemoteId' }), /filled by the sync itself/],
    ['a read-only attribute', one('groups', { kind: 'constant', value: 'x' }), /unknown attribute/],
    ['a multi-valued complex attribute', one('phoneNumbers', { kind: 'constant', value: 'x' }), /unknown attribute/],
    ['a string constant for an integer', one(`${TENANT}:level`, { kind: 'constant', value: 'three' }), /type mismatch: the constant "three" is not an integer/],
    ['a number constant for a boolean', one(`${TENANT}:remote`, { kind: 'constant', value: 2 }), /is not a boolean/],
    ['a non-date constant for a dateTime', one(`${TENANT}:hired`, { kind: 'constant', value: 'March' }), /is not a dateTime/],
    ['a list constant for a single value', one(`${TENANT}:level`, { kind: 'constant', value: [1, 2] }), /a list of 2 values for a single-valued integer/],
    ['a string field for an integer', one(`${TENANT}:level`, { kind: 'field', field: 'employeeNumber' }), /employee field employeeNumber is a string, .*:level is an integer/],
    ['a date field for a boolean', one(`${TENANT}:remote`, { kind: 'field', field: 'startDate' }), /is a date/],
    ['a unit without its part', one('title', { kind: 'field', field: 'department' }), /needs one of department\.name, department\.remoteId/],
    ['a part of a plain field', one('title', { kind: 'field', field: 'jobTitle.name' }), /has no part 'name'/],
    ['the bank account', one('title', { kind: 'field', field: 'bankAccount.iban' }), /unknown employee field/],
    ['the raw record as a field', one('title', { kind: 'field', field: 'raw' }), /use a raw source/],
    ['an expression that does not parse', one('nickName', { kind: 'expression', expression: '$uppercase(' }), /^nickName: expression error/],
    [
      'an attribute named twice, in another case',
      { attributes: [{ attribute: 'title', source: { kind: 'constant', value: 'a' } }, { attribute: 'TITLE', source: { kind: 'constant', value: 'b' } }] },
      /^TITLE: title is mapped more than once/,
    ],
  ])('refuses %s', (_, mapping, message) => {
    const checked = validateMapping(mapping, declared);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(`${checked.problems[0]!.attribute}: ${checked.problems[0]!.message}`).toMatch(message);
  });

  it('accepts the base mapping, and spells attributes as the catalogue does', () => {
    const checked = validateMapping({ attributes: [...BASE_MAPPING, { attribute: `${TENANT}:BADGE`, source: { kind: 'raw', path: 'custom.badge' } }] }, declared);
    expect(checked.ok).toBe(true);
    if (checked.ok) {
      expect(checked.mapping.attributes.at(-1)!.attribute).toBe(`${TENANT}:badge`);
      expect(checked.compiled.rawFields).toEqual(['custom.badge']);
    }
  });
});

describe('evaluating a mapping', () => {
  const run = async (attribute: string, source: MappingEntry['source']) => {
    const checked = validateMapping(one(attribute, source), declared);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    return checked.compiled.evaluate(employee);
  };

  it.each<[string, string, MappingEntry['source'], unknown]>([
    ['a field', 'title', { kind: 'field', field: 'jobTitle' }, 'Engineer'],
    ['a unit name', `${ENT}:department`, { kind: 'field', field: 'department.name' }, 'Engineering'],
    ['a missing unit', `${ENT}:division`, { kind: 'field', field: 'team.name' }, null],
    ["every cost centre's name, joined", `${ENT}:costCenter`, { kind: 'field', field: 'costCenters.name' }, 'CC-1, CC-2'],
    ['a list field into a multi-valued attribute', `${TENANT}:skills`, { kind: 'field', field: 'costCenters.name' }, ['CC-1', 'CC-2']],
    ['a date into a dateTime', `${TENANT}:hired`, { kind: 'field', field: 'startDate' }, '2024-03-01T00:00:00Z'],
    ['a raw string into an integer', `${TENANT}:level`, { kind: 'raw', path: 'custom.level' }, 4],
    ['a raw string into a boolean', `${TENANT}:remote`, { kind: 'raw', path: 'custom.remote' }, true],
    ['a raw string into a decimal', `${TENANT}:rate`, { kind: 'raw', path: 'custom.rate' }, 12.5],
    ['a raw list into a multi-valued attribute', `${TENANT}:skills`, { kind: 'raw', path: 'custom.skills' }, ['go', 'sql']],
    ['a missing raw path', `${TENANT}:badge`, { kind: 'raw', path: 'custom.nothing.deeper' }, null],
    ['a raw path through a prototype', `${TENANT}:badge`, { kind: 'raw', path: 'custom.constructor.name' }, null],
    ['a constant', `${TENANT}:level`, { kind: 'constant', value: 3 }, 3],
    ['an expression', 'nickName', { kind: 'expression', expression: '$substring(firstName, 0, 1) & ". " & lastName' }, 'A. Lima'],
    ['an expression never sees the bank account', 'nickName', { kind: 'expression', expression: 'bankAccount.iban ?: "hidden"' }, 'hidden'],
  ])('%s', async (_, attribute, source, value) => {
    const result = await run(attribute, source);
    expect(result.errors).toEqual([]);
    expect(Object.values(result.values)[0]).toEqual(value);
  });

  it.each<[string, string, MappingEntry['source'], RegExp]>([
    ['a raw value that is no integer', `${TENANT}:level`, { kind: 'raw', path: 'custom.badge' }, /"B-7" is not an integer/],
    ['a raw list into one boolean', `${TENANT}:remote`, { kind: 'raw', path: 'custom.skills' }, /a list of 2 values/],
    ['an expression that fails', 'nickName', { kind: 'expression', expression: '$number("abc")' }, /.+/],
    ['an object into a string', 'nickName', { kind: 'raw', path: 'custom' }, /is not a string/],
  ])('reports %s per person, leaving the attribute empty', async (_, attribute, source, message) => {
    const result = await run(attribute, source);
    expect(Object.values(result.values)[0]).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(message);
  });

  it(`stops trying an expression that ran out of time ${TIMEOUTS_PER_RUN} times in a run`, async () => {
    const checked = validateMapping(one('nickName', { kind: 'expression', expression: '($f := function(){ $f() }; $f())' }), declared);
    if (!checked.ok) throw new Error('invalid');
    const messages: string[] = [];
    for (let i = 0; i < TIMEOUTS_PER_RUN + 2; i++) messages.push((await checked.compiled.evaluate(employee)).errors[0]!.message);
    expect(messages.slice(-2)).toEqual([expect.stringMatching(/not evaluated/), expect.stringMatching(/not evaluated/)]);
  });
});

describe('coercing to an attribute type', () => {
  it.each<[unknown, { type: 'string' | 'integer' | 'boolean' | 'decimal' | 'dateTime' | 'reference'; multiValued: boolean }, unknown]>([
    ['', { type: 'string', multiValued: false }, null],
    [12, { type: 'string', multiValued: false }, '12'],
    [true, { type: 'string', multiValued: false }, 'true'],
    ['-3', { type: 'integer', multiValued: false }, -3],
    ['False', { type: 'boolean', multiValued: false }, false],
    ['2026-03-01T09:00:00+01:00', { type: 'dateTime', multiValued: false }, '2026-03-01T09:00:00+01:00'],
    [['x', null, ''], { type: 'string', multiValued: false }, 'x'],
    [[], { type: 'string', multiValued: true }, null],
    ['one', { type: 'string', multiValued: true }, ['one']],
  ])('%j as %j', (value, attr, expected) => {
    expect(coerce(value, attr)).toEqual({ ok: true, value: expected });
  });
});
