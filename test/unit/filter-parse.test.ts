import { describe, expect, it } from 'vitest';
import type { FilterNode } from '../../scim/filter/ast.js';
import { parseFilter, parseValueFilter } from '../../scim/filter/parse.js';
import { pathToString, resolvePath } from '../../scim/schemas/resolve.js';
import { groupResourceType, userResourceType } from '../../scim/schemas/resource-types.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A canonical rendering: resolved names, typed values (strings quoted, booleans and dates normalised). */
function show(n: FilterNode): string {
  switch (n.kind) {
    case 'compare':
      return `${pathToString(n.path)} ${n.op} ${JSON.stringify(n.value)}`;
    case 'present':
      return `${pathToString(n.path)} pr`;
    case 'and':
    case 'or':
      return `(${n.children.map(show).join(` ${n.kind} `)})`;
    case 'not':
      return `not ${show(n.child)}`;
    case 'valuePath':
      return `${pathToString(n.path)}[${show(n.filter)}]`;
  }
}

const valid: [string, string][] = [
  ['userName eq "bjensen"', 'userName eq "bjensen"'],
  ['DisplayName EQ "x"', 'displayName eq "x"'],
  ['name.FamilyName co "O\'Malley"', 'name.familyName co "O\'Malley"'],
  ['emails.Value sw "J"', 'emails.value sw "J"'],
  ['emails co "@example.com"', 'emails.value co "@example.com"'],
  ['title pr', 'title pr'],
  ['name pr', 'name pr'],
  ['emails pr', 'emails pr'],
  ['userName ne "a" ', 'userName ne "a"'],
  ['title gt "a" and title ge "b" and title lt "c" and title le "d"', '(title gt "a" and title ge "b" and title lt "c" and title le "d")'],
  ['userName ew "@x.org" or userName eq "z"', '(userName ew "@x.org" or userName eq "z")'],
  ['NICKNAME eq "x"', 'nickName eq "x"'],
  ['userName eq "a" or userName eq "b" and active eq true', '(userName eq "a" or (userName eq "b" and active eq true))'],
  ['(userName eq "a" or userName eq "b") and active eq true', '((userName eq "a" or userName eq "b") and active eq true)'],
  ['not (userName eq "a") and title pr', '(not userName eq "a" and title pr)'],
  ['not (userName eq "a" or title pr)', 'not (userName eq "a" or title pr)'],
  ['emails[type eq "work" and value co "@x"]', 'emails[(emails.type eq "work" and emails.value co "@x")]'],
  ['emails[type eq "work"] or emails[primary eq true]', '(emails[emails.type eq "work"] or emails[emails.primary eq true])'],
  ['addresses[primary EQ "True"]', 'addresses[addresses.primary eq true]'],
  ['addresses[Primary eq "FALSE"]', 'addresses[addresses.primary eq false]'],
  ['active eq True', 'active eq true'],
  ['active ne "false"', 'active ne false'],
  [`${ENT}:employeeNumber eq "7"`, `${ENT}:employeeNumber eq "7"`],
  [`${ENT}:employeeNumber eq 7`, `${ENT}:employeeNumber eq "7"`],
  [`${ENT}:manager.value eq "id"`, `${ENT}:manager.value eq "id"`],
  [`${ENT.toUpperCase()}:Department eq "x"`, `${ENT}:department eq "x"`],
  ['Manager.Value eq "m"', `${ENT}:manager.value eq "m"`],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', 'meta.lastModified gt "2011-05-13T04:42:34.000Z"'],
  ['meta.Created gt 2015-10-10T14:38:21.8617979-07:00', 'meta.created gt "2015-10-10T21:38:21.861Z"'],
  ['meta.created ge "2020-02-29"', 'meta.created ge "2020-02-29T00:00:00.000Z"'],
  ['meta.created lt "2020-01-01T10:00:00+0130"', 'meta.created lt "2020-01-01T08:30:00.000Z"'],
  ['userName sw O', 'userName sw "O"'],
  ['name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)',
    '(name.familyName eq "Employee" and (emails.value co "example.com" or emails.value co "example.org"))'],
  ['userName eq "caf\\u00e9"', 'userName eq "café"'],
  ['userName eq "a \\"quoted\\" b"', 'userName eq "a \\"quoted\\" b"'],
  ['userName eq "DOMAIN\\user"', 'userName eq "DOMAIN\\\\user"'],
  // An escaped backslash at the end of the value: the escape is read pair by pair, never doubled.
  ['userName eq "DOMAIN\\\\"', 'userName eq "DOMAIN\\\\"'],
  ['userName eq "a\\\\\\"b"', 'userName eq "a\\\\\\"b"'],
  ['userName eq "and or not ) ( ]"', 'userName eq "and or not ) ( ]"'],
  ['displayName eq null', 'not displayName pr'],
  ['displayName ne null', 'displayName pr'],
  ['id eq "2819c223-7f76-453a-919d-413861904646"', 'id eq "2819c223-7f76-453a-919d-413861904646"'],
  ['externalId eq "x"', 'externalId eq "x"'],
  ['groups.value eq "g"', 'groups.value eq "g"'],
  ['x509Certificates.value eq "YWJj"', 'x509Certificates.value eq "YWJj"'],
];

const invalid: [string, RegExp][] = [
  ['nosuch eq "x"', /Unknown attribute "nosuch"/],
  ['name.nosuch eq "x"', /Unknown attribute "name.nosuch"/],
  ['urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:costCode eq "x"', /Unknown attribute/],
  ['emails[nosuch eq "x"]', /Unknown attribute "nosuch" in emails/],
  ['password eq "secret"', /password cannot be used/],
  ['name eq "x"', /name is complex/],
  [`${ENT}:manager eq "x"`, /manager is complex/],
  ['active gt true', /Operator "gt" cannot be used with active/],
  ['active co "t"', /Operator "co"/],
  ['active eq "yes"', /not true or false/],
  ['meta.created co "2020"', /Operator "co"/],
  ['meta.created gt "yesterday"', /not a valid date/],
  ['meta.created gt "2020-13-45T00:00:00Z"', /not a valid date/],
  ['meta.created gt 7', /not a valid date/],
  ['userName gt null', /cannot compare userName with null/],
  ['(userName eq "a"', /Unbalanced "\("/],
  ['userName eq "a")', /Unbalanced "\)"/],
  ['emails[type eq "work"', /Unbalanced "\["/],
  ['emails[type eq "work")', /Unbalanced/],
  ['emails[type eq "work"].value eq "x"', /only valid in PATCH paths/],
  ['emails[type eq "work" and display[value eq "x"]]', /cannot be nested/],
  ['name[givenName eq "x"]', /multi-valued complex/],
  ['userName eq', /Missing comparison value/],
  ['userName', /Missing operator/],
  ['userName xx "a"', /Unknown operator "xx"/],
  ['userName eq "a" userName eq "b"', /Expected "and", "or"/],
  ['userName eq "a" and', /Filter ends after "and"/],
  ['', /Empty filter/],
  ['   ', /Empty filter/],
  ['userName eq "unterminated', /Unterminated string/],
  ['( eq "x"', /Expected an attribute name/],
  [`userName eq "${'x'.repeat(4100)}"`, /longer than 4096/],
  [`${'('.repeat(33)}userName eq "a"${')'.repeat(33)}`, /deeper than 32/],
  [`${'not ('.repeat(40)}userName eq "a"${')'.repeat(40)}`, /deeper than 32/],
  ['💥 "\u0000', /invalid_filter|Unterminated|Unknown|U\+0000/],
  ['userName eq "a\\u0000"', /U\+0000/],
  ['userName eq "a\\ud800"', /lone surrogate/],
  ['meta.lastModified gt "0000-01-01T00:00:00Z"', /not a valid date/],
];

describe('parseFilter', () => {
  it.each(valid)('%s', (text, expected) => {
    const r = parseFilter(userResourceType, text);
    if (!r.ok) throw r.error;
    expect(show(r.value)).toBe(expected);
  });

  it.each(invalid)('rejects %s', (text, detail) => {
    const r = parseFilter(userResourceType, text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_filter');
    expect(r.error.detail).toMatch(detail);
  });

  it('resolves against the resource type it is given', () => {
    const r = parseFilter(groupResourceType, 'members[value eq "u1"] and DisplayName eq "Eng"');
    expect(r.ok && show(r.value)).toBe('(members[members.value eq "u1"] and displayName eq "Eng")');
    expect(parseFilter(groupResourceType, 'userName eq "x"').ok).toBe(false);
  });

  it('never throws on hostile input', () => {
    for (const text of ['[', ']', '((((', '"', '\\', 'eq eq eq', 'not', 'not not', 'a[b[c]]', 'x eq "a" or ', '\u0000', 'pr pr pr']) {
      const r = parseFilter(userResourceType, text);
      expect(r.ok, text).toBe(false);
    }
  });
});

describe('parseValueFilter', () => {
  const emails = resolvePath(userResourceType, 'emails')!;
  const cases: [string, string][] = [
    ['type eq "work"', 'emails.type eq "work"'],
    ['value eq "abc" or primary eq true', '(emails.value eq "abc" or emails.primary eq true)'],
    ['Type EQ work', 'emails.type eq "work"'],
    ['emails.type eq "work"', 'emails.type eq "work"'],
    ['primary eq "True" and not (display pr)', '(emails.primary eq true and not emails.display pr)'],
  ];
  it.each(cases)('%s', (text, expected) => {
    const r = parseValueFilter(emails, text);
    if (!r.ok) throw r.error;
    expect(show(r.value)).toBe(expected);
  });

  it.each([
    ['givenName eq "x"', /Unknown attribute "givenName" in emails/],
    ['type[value eq "x"]', /cannot be nested/],
    ['primary gt true', /Operator "gt"/],
    ['type eq', /Missing comparison value/],
  ])('rejects %s', (text, detail) => {
    const r = parseValueFilter(emails, text);
    expect(!r.ok && r.error.code).toBe('invalid_filter');
    expect(!r.ok && r.error.detail).toMatch(detail);
  });
});
