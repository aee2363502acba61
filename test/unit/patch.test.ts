import { describe, expect, it } from 'vitest';
import type { ErrorCode, Result } from '../../scim/errors.js';
import { applyPatch, type PatchResult } from '../../scim/patch/apply-patch.js';
import { parsePatch } from '../../scim/patch/parse-patch.js';
import type { MemberChange, ResourceDoc } from '../../scim/resource/document.js';
import { groupResourceType, userResourceType } from '../../scim/schemas/resource-types.js';
import type { ResourceTypeDef } from '../../scim/schemas/types.js';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const JSON_ROLE = '{"id":"r-1","value":"25","displayName":"Admin"}';

type Doc = ResourceDoc & Record<string, any>;
const baseUser: Doc = {
  schemas: [USER, ENT],
  userName: 'ann@x.com',
  name: { givenName: 'Anna', familyName: 'Lee' },
  active: true,
  emails: [
    { value: 'ann@x.com', type: 'work', primary: true },
    { value: 'ann@home.org', type: 'home' },
  ],
  addresses: [{ type: 'home', streetAddress: '9 Side Rd', primary: true }],
  [ENT]: { department: 'Ops', manager: { value: 'm-1' } },
};
const homeOnly: Doc = { schemas: [USER], userName: 'bo@x.com', emails: [{ value: 'bo@home.org', type: 'home' }] };
const baseGroup: Doc = { schemas: [GROUP], displayName: 'Sales', externalId: 'obj-1' };

type Want =
  | { edit?: (d: Doc) => void; members?: MemberChange[]; password?: string; changed?: boolean }
  | { error: ErrorCode; detail?: RegExp };
interface Case {
  name: string;
  rt?: ResourceTypeDef;
  doc?: Doc;
  ops: unknown[];
  want: Want;
  /** Entra sends this form with and without the aadOptscim062020 flag (lower-case ops, real booleans). */
  entra?: boolean;
}

const u = (id = 'u-1') => ({ value: id, type: 'User' as const });
const op = (o: string, path: string | undefined, value?: unknown) => ({ op: o, ...(path === undefined ? {} : { path }), ...(value === undefined ? {} : { value }) });

const entraCases: Case[] = ([
  { name: 'Replace active "False"', ops: [op('Replace', 'active', 'False')], want: { edit: (d) => void (d.active = false) } },
  { name: 'replace active false', ops: [op('replace', 'active', false)], want: { edit: (d) => void (d.active = false) } },
  { name: 'Add emails[type eq "work"].value (match)', ops: [op('Add', 'emails[type eq "work"].value', 'a@x.com')], want: { edit: (d) => void (d.emails[0].value = 'a@x.com') } },
  {
    name: 'Add emails[type eq "work"].value (miss creates, sibling untouched)',
    doc: homeOnly,
    ops: [op('Add', 'emails[type eq "work"].value', 'a@x.com')],
    want: { edit: (d) => void d.emails.push({ type: 'work', value: 'a@x.com' }) },
  },
  {
    name: 'replace addresses[type eq "work"].streetAddress (miss creates)',
    ops: [op('replace', 'addresses[type eq "work"].streetAddress', '1 Main St')],
    want: { edit: (d) => void d.addresses.push({ type: 'work', streetAddress: '1 Main St' }) },
  },
  {
    name: 'path-less replace with dotted and URN-qualified keys',
    ops: [op('replace', undefined, { 'name.givenName': 'Ann', [`${ENT}:employeeNumber`]: '7' })],
    want: { edit: (d) => ((d.name.givenName = 'Ann'), (d[ENT].employeeNumber = '7')) },
  },
  { name: 'path-less replace userName', ops: [op('replace', undefined, { userName: 'new@x.com' })], want: { edit: (d) => void (d.userName = 'new@x.com') } },
  { name: 'add enterprise manager as a bare id', ops: [op('add', `${ENT}:manager`, 'm-2')], want: { edit: (d) => void (d[ENT].manager = { value: 'm-2' }) } },
  { name: 'remove enterprise manager with value ""', ops: [op('remove', `${ENT}:manager`, '')], want: { edit: (d) => void delete d[ENT].manager } },
  { name: 'Add manager (unqualified) as [{$ref: null, value}]', ops: [op('Add', 'manager', [{ $ref: null, value: 'm-2' }])], want: { edit: (d) => void (d[ENT].manager = { value: 'm-2' }) } },
  { name: 'Add members [{$ref: null, value}]', rt: groupResourceType, doc: baseGroup, ops: [op('Add', 'members', [{ $ref: null, value: 'u-1' }])], want: { members: [{ kind: 'add', members: [u()] }] } },
  { name: 'Remove members with a value array', rt: groupResourceType, doc: baseGroup, ops: [op('Remove', 'members', [{ $ref: null, value: 'u-1' }])], want: { members: [{ kind: 'remove', ids: ['u-1'] }] } },
  { name: 'remove members[value eq "id"]', rt: groupResourceType, doc: baseGroup, ops: [op('remove', 'members[value eq "u-1"]')], want: { members: [{ kind: 'remove', ids: ['u-1'] }] } },
  { name: 'Add roles with JSON-string values', ops: [op('Add', 'roles', [{ value: JSON_ROLE }])], want: { edit: (d) => void (d.roles = [{ value: JSON_ROLE }]) } },
  { name: 'Add roles with primary "True"', ops: [op('Add', 'roles', [{ value: JSON_ROLE, primary: 'True' }])], want: { edit: (d) => void (d.roles = [{ value: JSON_ROLE, primary: true }]) } },
  {
    name: 'Replace addresses[primary EQ "True"].locality (validator filter style)',
    ops: [op('Replace', 'addresses[primary EQ "True"].locality', 'Berlin')],
    want: { edit: (d) => void (d.addresses[0].locality = 'Berlin') },
  },
  {
    name: 'Add phoneNumbers[type eq "mobile"].value (default mapping)',
    ops: [op('Add', 'phoneNumbers[type eq "mobile"].value', '+49 1')],
    want: { edit: (d) => void (d.phoneNumbers = [{ type: 'mobile', value: '+49 1' }]) },
  },
] satisfies Case[]).map((c) => ({ ...c, entra: true }));

/** The aadOptscim062020 form: lower-case ops and real booleans where the legacy form sent "True"/"False". */
function aadOptscim(ops: unknown[]): unknown[] {
  const bools = (v: unknown): unknown =>
    v === 'True' ? true : v === 'False' ? false : Array.isArray(v) ? v.map(bools) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bools(x)])) : v;
  return ops.map((o) => {
    const { op: name, ...rest } = o as { op: string };
    return { op: name.toLowerCase(), ...(bools(rest) as object) };
  });
}

const managerCases: Case[] = [
  { name: 'manager as { value }', ops: [op('add', `${ENT}:manager`, { value: 'm-2' })], want: { edit: (d) => void (d[ENT].manager = { value: 'm-2' }) } },
  { name: 'remove manager without value', ops: [op('remove', `${ENT}:manager`)], want: { edit: (d) => void delete d[ENT].manager } },
  { name: 'add manager "" removes it', ops: [op('add', `${ENT}:manager`, '')], want: { edit: (d) => void delete d[ENT].manager } },
  { name: 'replace Manager.Value (validator casing, no URN)', ops: [op('replace', 'Manager.Value', 'm-2')], want: { edit: (d) => void (d[ENT].manager = { value: 'm-2' }) } },
  { name: 'replace manager.value "" removes it', ops: [op('replace', `${ENT}:manager.value`, '')], want: { edit: (d) => void delete d[ENT].manager } },
  {
    name: 'removing the last enterprise attributes drops the extension from schemas',
    ops: [op('remove', `${ENT}:manager`), op('remove', `${ENT}:department`)],
    want: { edit: (d) => ((d.schemas = [USER]), delete d[ENT]) },
  },
];

const oktaCases: Case[] = [
  { name: 'Okta deactivate: path-less replace {active: false}', ops: [op('replace', undefined, { active: false })], want: { edit: (d) => void (d.active = false) } },
  { name: 'Okta password: path-less replace {password}', ops: [op('replace', undefined, { password: 'n3w-Pa55' })], want: { password: 'n3w-Pa55', changed: false } },
  {
    name: 'Okta group rename repeating its own id',
    rt: groupResourceType,
    doc: baseGroup,
    ops: [op('replace', undefined, { id: 'g-1', displayName: 'Sales EU' })],
    want: { edit: (d) => void (d.displayName = 'Sales EU') },
  },
  { name: 'Okta group rename with a different id', rt: groupResourceType, doc: baseGroup, ops: [op('replace', undefined, { id: 'other', displayName: 'X' })], want: { error: 'mutability', detail: /id/ } },
  {
    name: 'Okta membership: remove members[value eq] plus add members in one PATCH',
    rt: groupResourceType,
    doc: baseGroup,
    ops: [op('remove', 'members[value eq "u-1"]'), op('add', 'members', [{ value: 'u-2', display: 'Bo' }])],
    want: { members: [{ kind: 'remove', ids: ['u-1'] }, { kind: 'add', members: [{ ...u('u-2'), display: 'Bo' }] }] },
  },
  {
    name: 'Okta replace members with the full list',
    rt: groupResourceType,
    doc: baseGroup,
    ops: [op('replace', 'members', [{ value: 'u-1' }, { value: 'u-2' }])],
    want: { members: [{ kind: 'replace', members: [u('u-1'), u('u-2')] }] },
  },
];

const groupCases: Case[] = ([
  { name: 'remove members without value empties the group', ops: [op('remove', 'members')], want: { members: [{ kind: 'removeAll' }] } },
  { name: 'Remove members with two values removes exactly those', ops: [op('Remove', 'members', [{ value: 'u-1' }, { value: 'u-2' }])], want: { members: [{ kind: 'remove', ids: ['u-1', 'u-2'] }] } },
  { name: 'path-less replace with members', ops: [op('replace', undefined, { members: [{ value: 'u-1' }] })], want: { members: [{ kind: 'replace', members: [u()] }] } },
  { name: 'path-less add with members', ops: [op('add', undefined, { members: [{ value: 'u-1' }] })], want: { members: [{ kind: 'add', members: [u()] }] } },
  { name: 'remove members[value eq a or value eq b]', ops: [op('remove', 'members[value eq "u-1" or value eq "u-2"]')], want: { members: [{ kind: 'remove', ids: ['u-1', 'u-2'] }] } },
  { name: 'validator: add members "string id 1"', ops: [op('add', 'members', 'string id 1')], want: { members: [{ kind: 'add', members: [u('string id 1')] }] } },
  { name: 'validator: add members with displayName', ops: [{ name: 'addMember', ...op('add', 'members', [{ displayName: 'new User', value: 'u-4' }]) }], want: { members: [{ kind: 'add', members: [{ ...u('u-4'), display: 'new User' }] }] } },
  { name: 'replace members [] empties the group', ops: [op('replace', 'members', [])], want: { members: [{ kind: 'replace', members: [] }] } },
  { name: 'add members [] changes nothing', ops: [op('add', 'members', [])], want: { members: [] } },
  { name: 'type Group member', ops: [op('add', 'members', [{ value: 'g-2', type: 'Group' }])], want: { members: [{ kind: 'add', members: [{ value: 'g-2', type: 'Group' }] }] } },
  {
    name: 'rename and membership in one request',
    ops: [op('replace', 'displayName', 'Sales EU'), op('add', 'members', [{ value: 'u-1' }])],
    want: { edit: (d) => void (d.displayName = 'Sales EU'), members: [{ kind: 'add', members: [u()] }] },
  },
  { name: 'members[display eq] cannot be resolved', ops: [op('remove', 'members[display eq "Bo"]')], want: { error: 'invalid_filter' } },
  { name: 'add through a members filter', ops: [op('add', 'members[value eq "u-1"]', { value: 'u-1' })], want: { error: 'invalid_path' } },
  { name: 'replace members.display', ops: [op('replace', 'members.display', 'x')], want: { error: 'invalid_path' } },
  { name: 'Remove members value "" is not "remove all"', ops: [op('remove', 'members', '')], want: { error: 'invalid_value' } },
  { name: 'remove displayName (required)', ops: [op('remove', 'displayName')], want: { error: 'invalid_value', detail: /displayName/ } },
] satisfies Case[]).map((c) => ({ ...c, rt: groupResourceType, doc: baseGroup }));

const multiValuedCases: Case[] = [
  {
    name: 'add emails appends without duplicating an identical element',
    ops: [op('add', 'emails', [{ value: 'ann@home.org', type: 'home' }, { value: 'a@other.org', type: 'other' }])],
    want: { edit: (d) => void d.emails.push({ value: 'a@other.org', type: 'other' }) },
  },
  { name: 'replace emails replaces the whole list', ops: [op('replace', 'emails', [{ value: 'n@x.com', type: 'work' }])], want: { edit: (d) => void (d.emails = [{ value: 'n@x.com', type: 'work' }]) } },
  {
    name: 'remove emails with a value array removes exactly those (case-insensitive value)',
    ops: [op('remove', 'emails', [{ value: 'ANN@home.org', type: 'home' }])],
    want: { edit: (d) => void d.emails.splice(1, 1) },
  },
  { name: 'remove emails with a value matching nothing', ops: [op('remove', 'emails', [{ value: 'zz@x.com' }])], want: { changed: false } },
  { name: 'remove emails[type eq "home"] removes the element', ops: [op('remove', 'emails[type eq "home"]')], want: { edit: (d) => void d.emails.splice(1, 1) } },
  { name: 'remove emails[type eq "work"].value removes the sub-attribute', ops: [op('remove', 'emails[type eq "work"].value')], want: { edit: (d) => void delete d.emails[0].value } },
  { name: 'remove through a filter matching nothing is a no-op', ops: [op('remove', 'emails[type eq "other"]')], want: { changed: false } },
  { name: 'remove emails removes them all', ops: [op('remove', 'emails')], want: { edit: (d) => void delete d.emails } },
  {
    name: 'several ops on one filtered element end in one element',
    ops: [
      op('replace', 'addresses[type eq "work"].streetAddress', '1 Main St'),
      op('replace', 'addresses[type eq "work"].locality', 'Berlin'),
      op('Add', 'addresses[type eq "work"].postalCode', '10115'),
    ],
    want: { edit: (d) => void d.addresses.push({ type: 'work', streetAddress: '1 Main St', locality: 'Berlin', postalCode: '10115' }) },
  },
  {
    name: 'value then primary "True" on a new filtered element; the old primary is cleared',
    ops: [op('Add', 'emails[type eq "other"].value', 'o@x.com'), op('Replace', 'emails[type eq "other"].primary', 'True')],
    want: { edit: (d) => ((d.emails[0].primary = false), d.emails.push({ type: 'other', value: 'o@x.com', primary: true })) },
  },
  {
    name: 'adding a primary value clears the previous primary (RFC 7644 §3.5.2)',
    ops: [op('add', 'emails', { value: 'n@x.com', type: 'other', primary: true })],
    want: { edit: (d) => ((d.emails[0].primary = false), d.emails.push({ value: 'n@x.com', type: 'other', primary: true })) },
  },
  { name: 'two primaries in one replace', ops: [op('replace', 'emails', [{ value: 'a', primary: true }, { value: 'b', primary: true }])], want: { error: 'invalid_value', detail: /primary/ } },
  {
    name: 'replace emails[type eq "work"] with an element keeps the selector',
    ops: [op('replace', 'emails[type eq "work"]', { value: 'w@x.com' })],
    want: { edit: (d) => void (d.emails[0] = { type: 'work', value: 'w@x.com' }) },
  },
  {
    name: 'add addresses[type eq "work"] with an element creates it',
    ops: [op('add', 'addresses[type eq "work"]', { streetAddress: '1 Main St' })],
    want: { edit: (d) => void d.addresses.push({ type: 'work', streetAddress: '1 Main St' }) },
  },
  {
    name: 'filter with "and" of eqs seeds both',
    doc: homeOnly,
    ops: [op('add', 'emails[type eq "work" and display eq "Job"].value', 'j@x.com')],
    want: { edit: (d) => void d.emails.push({ type: 'work', display: 'Job', value: 'j@x.com' }) },
  },
  { name: 'filter miss that cannot describe an element', ops: [op('replace', 'emails[value co "zz"].type', 'home')], want: { error: 'no_target' } },
  { name: 'bad filter syntax', ops: [op('replace', 'emails[type eq].value', 'x')], want: { error: 'invalid_filter' } },
  { name: 'filter with an unknown sub-attribute', ops: [op('replace', 'emails[kind eq "w"].value', 'x')], want: { error: 'invalid_filter' } },
];

const generalCases: Case[] = [
  { name: 'case-insensitive path NAME.GIVENNAME', ops: [op('REPLACE', 'NAME.GIVENNAME', 'Ann')], want: { edit: (d) => void (d.name.givenName = 'Ann') } },
  { name: 'replace a complex attribute merges sub-attributes', ops: [op('replace', 'name', { givenName: 'Ann' })], want: { edit: (d) => void (d.name.givenName = 'Ann') } },
  { name: 'replace a value with the same value is unchanged', ops: [op('replace', 'active', true)], want: { changed: false } },
  { name: 'unknown keys in a path-less value are ignored', ops: [op('replace', undefined, { adreses: 'x', schemas: [USER] })], want: { changed: false } },
  { name: 'replace with null removes', ops: [op('replace', 'name.familyName', null)], want: { edit: (d) => void delete d.name.familyName } },
  { name: 'URN-qualified department', ops: [op('replace', `${ENT}:department`, 'R&D')], want: { edit: (d) => void (d[ENT].department = 'R&D') } },
  { name: 'whole enterprise extension as path merges', ops: [op('replace', ENT, { department: 'R&D' })], want: { edit: (d) => void (d[ENT].department = 'R&D') } },
  { name: 'remove the whole enterprise extension', ops: [op('remove', ENT)], want: { edit: (d) => ((d.schemas = [USER]), delete d[ENT]) } },
  {
    name: 'Entra custom attribute by URN-qualified path',
    ops: [op('Add', `${CUSTOM}:costCode`, 'CC-1')],
    want: { edit: (d) => ((d.schemas = [USER, ENT, CUSTOM]), (d[CUSTOM] = { costCode: 'CC-1' })) },
  },
  {
    name: 'Entra custom attribute in a path-less value, then removed',
    ops: [op('replace', undefined, { [`${CUSTOM}:costCode`]: 'CC-1', [`${CUSTOM}:site`]: 'B' }), op('remove', `${CUSTOM}:site`)],
    want: { edit: (d) => ((d.schemas = [USER, ENT, CUSTOM]), (d[CUSTOM] = { costCode: 'CC-1' })) },
  },
  { name: 'password by path', ops: [op('replace', 'password', 'p')], want: { password: 'p', changed: false } },
  { name: 'remove password', ops: [op('remove', 'password')], want: { error: 'mutability' } },
  { name: 'replace id', ops: [op('replace', 'id', 'other')], want: { error: 'mutability' } },
  { name: 'replace meta.created', ops: [op('replace', 'meta.created', '2020-01-01T00:00:00Z')], want: { error: 'mutability' } },
  { name: 'add groups', ops: [op('add', 'groups', [{ value: 'g-1' }])], want: { error: 'mutability' } },
  { name: 'path-less value with groups', ops: [op('replace', undefined, { groups: [] })], want: { error: 'mutability' } },
  { name: 'manager.displayName is read-only', ops: [op('replace', 'manager.displayName', 'Boss')], want: { error: 'mutability' } },
  { name: 'remove userName (required)', ops: [op('remove', 'userName')], want: { error: 'invalid_value', detail: /userName/ } },
  { name: 'replace userName ""', ops: [op('replace', 'userName', '')], want: { error: 'invalid_value', detail: /userName/ } },
  { name: 'active "yes"', ops: [op('replace', 'active', 'yes')], want: { error: 'invalid_value', detail: /active/ } },
  { name: 'string attribute given an object', ops: [op('replace', 'title', { a: 1 })], want: { error: 'invalid_value', detail: /title/ } },
  { name: 'unknown path', ops: [op('replace', 'adreses', 'x')], want: { error: 'invalid_path', detail: /adreses/ } },
  { name: 'unknown sub-attribute', ops: [op('replace', 'name.nick', 'x')], want: { error: 'invalid_path' } },
  { name: 'unknown core-URN path', ops: [op('replace', `${GROUP}:displayName`, 'x')], want: { error: 'invalid_path' } },
  { name: 'filter on a single-valued attribute', ops: [op('replace', 'name[givenName eq "A"].familyName', 'x')], want: { error: 'invalid_path' } },
  { name: 'unclosed bracket', ops: [op('replace', 'emails[type eq "work".value', 'x')], want: { error: 'invalid_path' } },
  { name: 'garbage after the filter', ops: [op('replace', 'emails[type eq "work"]value', 'x')], want: { error: 'invalid_path' } },
  { name: 'remove without path', ops: [op('remove', undefined)], want: { error: 'no_target' } },
  { name: 'add without value', ops: [op('add', 'title')], want: { error: 'invalid_value', detail: /Operations\[0\]/ } },
  { name: 'path-less value not an object', ops: [op('replace', undefined, 'x')], want: { error: 'invalid_value' } },
  { name: 'unknown op', ops: [op('merge', 'title', 'x')], want: { error: 'invalid_syntax', detail: /Operations\[0\]\.op/ } },
  { name: 'operation not an object', ops: ['replace'], want: { error: 'invalid_syntax' } },
  { name: 'path not a string', ops: [{ op: 'replace', path: 3, value: 'x' }], want: { error: 'invalid_path' } },
];

const allCases: Case[] = [
  ...entraCases,
  ...entraCases.map((c) => ({ ...c, name: `${c.name} [aadOptscim062020]`, ops: aadOptscim(c.ops) })),
  ...managerCases,
  ...oktaCases,
  ...groupCases,
  ...multiValuedCases,
  ...generalCases,
];

function run(rt: ResourceTypeDef, doc: Doc, body: unknown, id: string): Result<PatchResult> {
  const ops = parsePatch(rt, body);
  return ops.ok ? applyPatch(rt, doc, ops.value, { id }) : ops;
}

describe('PATCH', () => {
  it.each(allCases)('$name', ({ rt = userResourceType, doc = baseUser, ops, want }) => {
    const id = rt === groupResourceType ? 'g-1' : 'u-1';
    const before = structuredClone(doc);
    const r = run(rt, doc, { schemas: [PATCH], Operations: ops }, id);
    expect(doc).toEqual(before);
    if ('error' in want) {
      expect(r.ok, JSON.stringify(r.ok && r.value)).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(want.error);
      if (want.detail) expect(r.error.detail).toMatch(want.detail);
      return;
    }
    expect(r.ok ? undefined : `${r.error.code}: ${r.error.detail}`).toBeUndefined();
    if (!r.ok) return;
    const expected = structuredClone(doc);
    want.edit?.(expected);
    expect(r.value.doc).toEqual(expected);
    expect(r.value.doc.schemas).toEqual(expected.schemas);
    expect(r.value.members).toEqual(want.members ?? []);
    expect(r.value.password).toBe(want.password);
    expect(r.value.changed).toBe(want.changed ?? want.edit !== undefined);
  });
});

describe('PATCH request shape', () => {
  const good = [op('replace', 'active', false)];
  it.each([
    ['body not an object', [], 'invalid_syntax'],
    ['schemas missing', { Operations: good }, 'invalid_syntax'],
    ['schemas without PatchOp', { schemas: [USER], Operations: good }, 'invalid_syntax'],
    ['Operations missing', { schemas: [PATCH] }, 'invalid_syntax'],
    ['Operations empty', { schemas: [PATCH], Operations: [] }, 'invalid_syntax'],
    ['Operations not an array', { schemas: [PATCH], Operations: good[0] }, 'invalid_syntax'],
  ] as const)('%s', (_name, body, code) => {
    const r = parsePatch(userResourceType, body);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it('accepts case-insensitive keys and the PatchOp URN in any case (validator adds a stray id)', () => {
    const r = parsePatch(userResourceType, { id: 'u-1', SCHEMAS: [PATCH.toUpperCase()], operations: [{ OP: 'Replace', PATH: 'active', VALUE: 'False' }] });
    expect(r.ok && r.value.map((o) => [o.op, o.label, o.value])).toEqual([['replace', 'active', false]]);
  });
});

describe('PATCH atomicity', () => {
  it.each([
    ['a read-only target after good ops', [op('replace', 'active', false), op('add', 'emails', [{ value: 'n@x.com' }]), op('replace', 'meta.version', '9')], 'mutability'],
    ['a filter miss after good ops', [op('replace', 'userName', 'z@x.com'), op('replace', 'emails[value co "q"].type', 'x')], 'no_target'],
    ['a required attribute removed after good ops', [op('replace', 'title', 'CTO'), op('remove', 'userName')], 'invalid_value'],
  ] as const)('%s fails the whole request and leaves the input untouched', (_name, ops, code) => {
    const doc = structuredClone(baseUser);
    const parsed = parsePatch(userResourceType, { schemas: [PATCH], Operations: ops });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = applyPatch(userResourceType, doc, parsed.value, { id: 'u-1' });
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
    expect(doc).toEqual(baseUser);
  });

  it('does not alter the operations, so a retried transaction gets the same result', () => {
    const parsed = parsePatch(userResourceType, {
      schemas: [PATCH],
      Operations: [op('add', 'addresses[type eq "work"]', { locality: 'Berlin' }), op('replace', 'addresses[type eq "work"].streetAddress', '1 Main St')],
    });
    if (!parsed.ok) throw parsed.error;
    const snapshot = structuredClone(parsed.value);
    const first = applyPatch(userResourceType, baseUser, parsed.value, { id: 'u-1' });
    const second = applyPatch(userResourceType, baseUser, parsed.value, { id: 'u-1' });
    expect(parsed.value).toEqual(snapshot);
    expect(second).toEqual(first);
  });
});
