import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../scim/errors.js';
import type { ParsedResource } from '../../scim/resource/document.js';
import { parseResource } from '../../scim/resource/parse-resource.js';
import { groupResourceType, userResourceType } from '../../scim/schemas/resource-types.js';
import type { ResourceTypeDef } from '../../scim/schemas/types.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const AD_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

const user = (extra: Record<string, unknown> = {}) => ({ schemas: [USER], userName: 'ann@x.com', ...extra });
const doc = (extra: Record<string, unknown> = {}, schemas = [USER]) => ({ schemas, userName: 'ann@x.com', ...extra });

type Expect = { parsed: ParsedResource } | { error: ErrorCode; detail?: RegExp };
interface Case {
  name: string;
  rt?: ResourceTypeDef;
  body: unknown;
  expect: Expect;
}

// Microsoft validator bodies ("User tests", "User tests with garbage"), trimmed to the parts that matter.
const omalleyAddresses = [
  { country: 'Bermuda', formatted: '9132 Jennifer Way', locality: 'West Mercedes', postalCode: '99265', region: 'Montana', streetAddress: '4939 Hess Fork', type: 'work', primary: false },
  { country: null, formatted: '18522 Lisa Unions', locality: null, postalCode: null, region: null, streetAddress: null, type: 'other', primary: false },
];
const omalley = {
  userName: 'OMalley',
  active: true,
  addresses: omalleyAddresses,
  displayName: 'Kimberly Baker',
  emails: [
    { type: 'work', primary: true, value: 'anna33@example.com' },
    { type: 'other', primary: false, value: 'anna33@gmail.com' },
  ],
  meta: { created: '2019-09-18T18:15:26.5788954+00:00', resourceType: 'User' },
  name: { formatted: 'Daniel Mcgee', familyName: 'OMalley', givenName: 'Darl', honorificPrefix: null, honorificSuffix: null },
  phoneNumbers: [{ type: 'fax', primary: false, value: '312-320-0500' }],
  preferredLanguage: 'xh',
  roles: [],
  title: 'Site engineer',
  externalId: '22fbc523',
  schemas: [USER],
};
const omalleyDoc = {
  schemas: [USER],
  userName: 'OMalley',
  active: true,
  addresses: [omalleyAddresses[0], { formatted: '18522 Lisa Unions', type: 'other', primary: false }],
  displayName: 'Kimberly Baker',
  emails: omalley.emails,
  name: { formatted: 'Daniel Mcgee', familyName: 'OMalley', givenName: 'Darl' },
  phoneNumbers: omalley.phoneNumbers,
  preferredLanguage: 'xh',
  title: 'Site engineer',
  externalId: '22fbc523',
};

const cases: Case[] = [
  // Body shape and schemas
  { name: 'array body', body: [], expect: { error: 'invalid_syntax', detail: /JSON object/ } },
  { name: 'string body', body: 'userName', expect: { error: 'invalid_syntax' } },
  { name: 'null body', body: null, expect: { error: 'invalid_syntax' } },
  { name: 'schemas missing', body: { userName: 'a' }, expect: { error: 'invalid_syntax', detail: /core:2\.0:User/ } },
  { name: 'schemas not an array', body: { schemas: USER, userName: 'a' }, expect: { error: 'invalid_syntax' } },
  { name: 'schemas without the core URN', body: { schemas: [ENT], userName: 'a' }, expect: { error: 'invalid_syntax', detail: /must include 'urn:ietf:params:scim:schemas:core:2\.0:User'/ } },
  { name: 'group URN on /Users', body: { schemas: [GROUP], userName: 'a' }, expect: { error: 'invalid_syntax' } },
  { name: 'core URN case-insensitive', body: { schemas: [USER.toUpperCase()], userName: 'a' }, expect: { parsed: { doc: { schemas: [USER], userName: 'a' } } } },
  {
    name: 'Entra group: extra ADSCIM schema accepted and dropped, members: [] present',
    rt: groupResourceType,
    body: { schemas: [GROUP, AD_GROUP], displayName: 'Sales', externalId: 'obj-1', members: [] },
    expect: { parsed: { doc: { schemas: [GROUP], displayName: 'Sales', externalId: 'obj-1' }, members: [] } },
  },
  // Names
  {
    name: 'attribute names case-insensitive, canonical output',
    body: { schemas: [USER], USERNAME: 'a', Name: { GIVENNAME: 'Ann' }, Emails: [{ Value: 'a@x.com', Primary: true }] },
    expect: { parsed: { doc: { schemas: [USER], userName: 'a', name: { givenName: 'Ann' }, emails: [{ value: 'a@x.com', primary: true }] } } },
  },
  { name: 'unknown core attribute ignored', body: user({ adreses: [{ country: 'DE' }], nickname: 'A' }), expect: { parsed: { doc: doc({ nickName: 'A' }) } } },
  {
    name: 'readOnly attributes ignored: id, meta, groups, manager.displayName, $ref',
    body: user({ id: 'x', meta: { resourceType: 'User' }, groups: [{ value: 'g' }], [ENT]: { manager: { value: 'm', displayName: 'Boss', $ref: '../Users/m' } }, photos: [{ value: 'https://p', $ref: 'x' }] }),
    expect: { parsed: { doc: doc({ [ENT]: { manager: { value: 'm' } }, photos: [{ value: 'https://p' }] }, [USER, ENT]) } },
  },
  // Extensions
  {
    name: 'enterprise data under its URN key, mixed case (validator "Department", "Manager": {"Value"})',
    body: { ...user(), schemas: [ENT, USER], [ENT.toUpperCase()]: { Department: 'bob', Manager: { Value: 'SuzzyQ' } } },
    expect: { parsed: { doc: doc({ [ENT]: { department: 'bob', manager: { value: 'SuzzyQ' } } }, [USER, ENT]) } },
  },
  {
    name: 'URN-qualified top-level enterprise key',
    body: user({ [`${ENT}:department`]: 'Ops', [`${ENT}:employeeNumber`]: 7 }),
    expect: { parsed: { doc: doc({ [ENT]: { department: 'Ops', employeeNumber: '7' } }, [USER, ENT]) } },
  },
  { name: 'enterprise attribute with a bad type', body: user({ [ENT]: { department: ['a'] } }), expect: { error: 'invalid_value', detail: /enterprise:2\.0:User:department/ } },
  { name: 'enterprise URN value not an object', body: user({ [ENT]: 'Ops' }), expect: { error: 'invalid_value' } },
  { name: 'declared extension without data is not listed', body: { ...user(), schemas: [USER, ENT], [ENT]: {} }, expect: { parsed: { doc: doc() } } },
  {
    name: 'unknown extension under its URN key kept as sent',
    body: { ...user(), schemas: [USER, CUSTOM], [CUSTOM]: { costCode: 12, Nested: { a: [1] } } },
    expect: { parsed: { doc: doc({ [CUSTOM]: { costCode: 12, Nested: { a: [1] } } }, [USER, CUSTOM]) } },
  },
  {
    name: 'Entra custom attribute: qualified top-level key, URN not in schemas, folded under the URN',
    body: user({ [`${CUSTOM}:costCode`]: 'CC-1', [`${CUSTOM}:site`]: 'Berlin', [`${ENT}:department`]: 'Ops' }),
    expect: { parsed: { doc: doc({ [CUSTOM]: { costCode: 'CC-1', site: 'Berlin' }, [ENT]: { department: 'Ops' } }, [USER, ENT, CUSTOM]) } },
  },
  { name: 'unknown extension attribute null is dropped', body: user({ [`${CUSTOM}:costCode`]: null }), expect: { parsed: { doc: doc() } } },
  // Types
  { name: 'number coerced to string', body: user({ externalId: 42, title: 3.5 }), expect: { parsed: { doc: doc({ externalId: '42', title: '3.5' }) } } },
  { name: 'object for a string', body: user({ title: { a: 1 } }), expect: { error: 'invalid_value', detail: /'title'/ } },
  { name: 'array for a string', body: user({ displayName: ['a'] }), expect: { error: 'invalid_value', detail: /'displayName'/ } },
  { name: 'boolean for a string', body: user({ title: true }), expect: { error: 'invalid_value', detail: /'title'/ } },
  { name: 'object for a sub-attribute names the path', body: user({ name: { givenName: {} } }), expect: { error: 'invalid_value', detail: /'name\.givenName'/ } },
  { name: 'element sub-attribute names the index', body: user({ emails: [{ value: 'a' }, { value: [] }] }), expect: { error: 'invalid_value', detail: /emails\[1\]\.value/ } },
  { name: 'active "True" (validator emp1)', body: user({ active: 'True' }), expect: { parsed: { doc: doc({ active: true }) } } },
  { name: 'active "FALSE"', body: user({ active: 'FALSE' }), expect: { parsed: { doc: doc({ active: false }) } } },
  { name: 'active "yes"', body: user({ active: 'yes' }), expect: { error: 'invalid_value', detail: /'active'/ } },
  { name: 'active 1', body: user({ active: 1 }), expect: { error: 'invalid_value' } },
  { name: 'primary "True" in an element', body: user({ emails: [{ value: 'a', primary: 'True' }] }), expect: { parsed: { doc: doc({ emails: [{ value: 'a', primary: true }] }) } } },
  { name: 'complex must be an object', body: user({ name: 'Ann Lee' }), expect: { error: 'invalid_value', detail: /'name'/ } },
  { name: 'single object for a multi-valued attribute is wrapped', body: user({ emails: { value: 'a@x.com', type: 'work' } }), expect: { parsed: { doc: doc({ emails: [{ value: 'a@x.com', type: 'work' }] }) } } },
  { name: 'bare value in a multi-valued attribute', body: user({ emails: ['a@x.com'] }), expect: { parsed: { doc: doc({ emails: [{ value: 'a@x.com' }] }) } } },
  { name: 'two primary values', body: user({ emails: [{ value: 'a', primary: true }, { value: 'b', primary: 'true' }] }), expect: { error: 'invalid_value', detail: /emails.*primary/ } },
  { name: 'one primary true among false', body: user({ emails: [{ value: 'a', primary: true }, { value: 'b', primary: false }] }), expect: { parsed: { doc: doc({ emails: [{ value: 'a', primary: true }, { value: 'b', primary: false }] }) } } },
  // Null and empty
  { name: 'Entra "addresses": null', body: user({ addresses: null, title: null }), expect: { parsed: { doc: doc() } } },
  { name: 'null sub-attributes dropped', body: user({ name: { givenName: 'Ann', middleName: null } }), expect: { parsed: { doc: doc({ name: { givenName: 'Ann' } }) } } },
  { name: 'empty objects and arrays dropped', body: user({ name: {}, roles: [], emails: [{ value: null }], [ENT]: { manager: {} } }), expect: { parsed: { doc: doc() } } },
  { name: 'null elements dropped', body: user({ emails: [null, { value: 'a' }] }), expect: { parsed: { doc: doc({ emails: [{ value: 'a' }] }) } } },
  // Required
  { name: 'userName missing (validator "Put a user no username")', body: { schemas: [USER], userame: 'OMalley' }, expect: { error: 'invalid_value', detail: /'userName'/ } },
  { name: 'userName empty', body: user({ userName: '' }), expect: { error: 'invalid_value', detail: /'userName'/ } },
  { name: 'userName null', body: user({ userName: null }), expect: { error: 'invalid_value', detail: /'userName'/ } },
  { name: 'userName not a string', body: user({ userName: { a: 1 } }), expect: { error: 'invalid_value', detail: /'userName'/ } },
  { name: 'userName boolean', body: user({ userName: true }), expect: { error: 'invalid_value', detail: /'userName'/ } },
  { name: 'group displayName missing', rt: groupResourceType, body: { schemas: [GROUP], members: [] }, expect: { error: 'invalid_value', detail: /'displayName'/ } },
  { name: 'group displayName empty', rt: groupResourceType, body: { schemas: [GROUP], displayName: '' }, expect: { error: 'invalid_value', detail: /'displayName'/ } },
  // Manager
  { name: 'manager as a bare id', body: user({ [ENT]: { manager: 'm-1' } }), expect: { parsed: { doc: doc({ [ENT]: { manager: { value: 'm-1' } } }, [USER, ENT]) } } },
  { name: 'manager as { value }', body: user({ [ENT]: { manager: { value: 'm-1' } } }), expect: { parsed: { doc: doc({ [ENT]: { manager: { value: 'm-1' } } }, [USER, ENT]) } } },
  { name: 'manager as Entra one-element array', body: user({ [ENT]: { manager: [{ $ref: null, value: 'm-1' }] } }), expect: { parsed: { doc: doc({ [ENT]: { manager: { value: 'm-1' } } }, [USER, ENT]) } } },
  { name: 'manager "" removes it', body: user({ [ENT]: { manager: '', department: 'Ops' } }), expect: { parsed: { doc: doc({ [ENT]: { department: 'Ops' } }, [USER, ENT]) } } },
  { name: 'manager null removes it', body: user({ [ENT]: { manager: null } }), expect: { parsed: { doc: doc() } } },
  { name: 'manager { value: "" } removes it', body: user({ [ENT]: { manager: { value: '' } } }), expect: { parsed: { doc: doc() } } },
  { name: 'manager two-element array', body: user({ [ENT]: { manager: [{ value: 'a' }, { value: 'b' }] } }), expect: { error: 'invalid_value', detail: /manager/ } },
  // Password, members, roles
  { name: 'password kept apart (Okta placeholder)', body: user({ password: 'tmp-Pa55', externalId: '00u1', groups: [] }), expect: { parsed: { doc: doc({ externalId: '00u1' }), password: 'tmp-Pa55' } } },
  { name: 'password null', body: user({ password: null }), expect: { parsed: { doc: doc() } } },
  { name: 'password object', body: user({ password: {} }), expect: { error: 'invalid_value', detail: /'password'/ } },
  {
    name: 'group members: type defaults to User, display kept, displayName read as display',
    rt: groupResourceType,
    body: { schemas: [GROUP], displayName: 'G', members: [{ value: 'u1', display: 'VP' }, { value: 'g2', type: 'group' }, { value: 'u3', displayName: 'new User' }] },
    expect: { parsed: { doc: { schemas: [GROUP], displayName: 'G' }, members: [{ value: 'u1', type: 'User', display: 'VP' }, { value: 'g2', type: 'Group' }, { value: 'u3', type: 'User', display: 'new User' }] } },
  },
  { name: 'group members absent (validator "group put")', rt: groupResourceType, body: { schemas: [GROUP], id: 'g', displayName: 'Tiffany Ortiz' }, expect: { parsed: { doc: { schemas: [GROUP], displayName: 'Tiffany Ortiz' } } } },
  { name: 'group member without value', rt: groupResourceType, body: { schemas: [GROUP], displayName: 'G', members: [{ display: 'x' }] }, expect: { error: 'invalid_value', detail: /members\[0\]\.value/ } },
  { name: 'group member with a bad type', rt: groupResourceType, body: { schemas: [GROUP], displayName: 'G', members: [{ value: 'u', type: 'Robot' }] }, expect: { error: 'invalid_value', detail: /members\[0\]\.type/ } },
  {
    name: 'Entra roles with JSON-string values stay strings',
    body: user({ roles: [{ value: '{"id":"r1","value":"25","displayName":"Admin"}', primary: 'False' }] }),
    expect: { parsed: { doc: doc({ roles: [{ value: '{"id":"r1","value":"25","displayName":"Admin"}', primary: false }] }) } },
  },
  // Microsoft validator bodies
  { name: 'validator: Post user "OMalley" (nulls, meta, roles: [])', body: omalley, expect: { parsed: { doc: omalleyDoc } } },
  {
    name: 'validator: Put a user misspelled attribute (adreses ignored, id ignored)',
    body: { ...omalley, id: 'u-1', addresses: undefined, adreses: omalleyAddresses, active: false },
    expect: { parsed: { doc: { ...omalleyDoc, addresses: undefined, active: false } } },
  },
  {
    name: 'validator: Post emp1 with "True" and two work emails',
    body: { ...omalley, userName: 'emp1', active: 'True', emails: [{ type: 'work', primary: true, value: 'a@g.com' }, { type: 'work', primary: false, value: 'a@e.com' }] },
    expect: { parsed: { doc: { ...omalleyDoc, userName: 'emp1', emails: [{ type: 'work', primary: true, value: 'a@g.com' }, { type: 'work', primary: false, value: 'a@e.com' }] } } },
  },
  {
    name: 'validator: Post EnterpriseUser ("Primary", enterprise first in schemas)',
    body: { userName: 'UserName222', active: true, schemas: [ENT, USER], emails: [{ Primary: true, type: 'work', value: 't@b.com' }], [ENT]: { Department: 'bob', Manager: { Value: 'SuzzyQ' } } },
    expect: { parsed: { doc: { schemas: [USER, ENT], userName: 'UserName222', active: true, emails: [{ primary: true, type: 'work', value: 't@b.com' }], [ENT]: { department: 'bob', manager: { value: 'SuzzyQ' } } } } },
  },
];

describe('parseResource', () => {
  it.each(cases)('$name', ({ rt = userResourceType, body, expect: want }) => {
    for (const mode of ['create', 'replace'] as const) {
      const r = parseResource(rt, body, mode);
      if ('error' in want) {
        expect(r.ok, JSON.stringify(r)).toBe(false);
        if (r.ok) return;
        expect(r.error.code).toBe(want.error);
        if (want.detail) expect(r.error.detail).toMatch(want.detail);
      } else {
        expect(r.ok ? undefined : r.error.detail).toBeUndefined();
        if (!r.ok) return;
        const clean = JSON.parse(JSON.stringify(want.parsed)) as ParsedResource;
        expect(r.value).toEqual(clean);
        expect(r.value.doc.schemas).toEqual(clean.doc.schemas);
      }
    }
  });

  it('keeps the password out of the document', () => {
    const r = parseResource(userResourceType, user({ password: 'secret' }), 'create');
    expect(r.ok && JSON.stringify(r.value.doc)).not.toContain('secret');
  });
});
