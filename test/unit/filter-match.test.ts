import { describe, expect, it } from 'vitest';
import { unwrap } from '../../scim/errors.js';
import { matchesElement, matchesResource } from '../../scim/filter/match.js';
import { parseFilter, parseValueFilter } from '../../scim/filter/parse.js';
import { resolvePath } from '../../scim/schemas/resolve.js';
import { userResourceType } from '../../scim/schemas/resource-types.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('matchesElement', () => {
  const emails = resolvePath(userResourceType, 'emails')!;
  const addresses = resolvePath(userResourceType, 'addresses')!;
  const work = { value: 'Ann@Example.com', type: 'work', primary: true };
  const home = { value: 'ann@home.org', type: 'Home' };
  const cases: [typeof emails, string, Record<string, unknown>, boolean][] = [
    [emails, 'type eq "work"', work, true],
    [emails, 'type eq "WORK"', work, true],
    [emails, 'type eq "work"', home, false],
    [emails, 'type eq "home"', home, true],
    [emails, 'value eq "ann@example.com"', work, true],
    [emails, 'value co "EXAMPLE"', work, true],
    [emails, 'value sw "ann@h"', home, true],
    [emails, 'value ew ".org"', work, false],
    [emails, 'value gt "ann@f"', home, true],
    [emails, 'value lt "ann@f"', home, false],
    [emails, 'primary eq true', work, true],
    [emails, 'primary eq true', home, false],
    [emails, 'primary eq false', home, false],
    [emails, 'primary ne true', home, true],
    [emails, 'primary eq "True"', { primary: 'True' }, true],
    [emails, 'primary eq false', { primary: 'FALSE' }, true],
    [emails, 'primary eq true', { primary: 'yes' }, false],
    [emails, 'display pr', work, false],
    [emails, 'display pr', { display: '' }, false],
    [emails, 'display pr', { display: 'Ann' }, true],
    [emails, 'type ne "work"', work, false],
    [emails, 'type ne "work"', {}, true],
    [emails, 'not (type eq "work")', {}, true],
    [emails, 'type eq "work" and value co "example"', work, true],
    [emails, 'type eq "work" and value co "home"', work, false],
    [emails, 'type eq "other" or primary eq true', work, true],
    [emails, 'not (type eq "work" or type eq "home")', home, false],
    [emails, 'TYPE eq "work"', { Type: 'work' }, true],
    [emails, 'type eq null', {}, true],
    [emails, 'type eq null', home, false],
    [addresses, 'primary EQ "True"', { type: 'work', primary: true }, true],
    [addresses, 'type eq "work" and locality eq "münchen"', { type: 'work', locality: 'MÜNCHEN' }, true],
  ];
  it.each(cases)('%# %s', (parent, text, element, expected) => {
    expect(matchesElement(unwrap(parseValueFilter(parent, text)), element)).toBe(expected);
  });
});

describe('matchesResource', () => {
  const doc = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
    id: '2819c223-7f76-453a-919d-413861904646',
    userName: 'BJensen@example.com',
    externalId: 'EXT-1',
    active: true,
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    roles: [],
    [ENT]: { employeeNumber: '701984', manager: { value: 'm-1' } },
    meta: { resourceType: 'User', created: '2011-08-01T18:29:49.793Z', lastModified: '2011-08-01T21:32:44.882Z' },
  };
  const cases: [string, boolean][] = [
    ['userName eq "bjensen@EXAMPLE.com"', true],
    ['externalId eq "ext-1"', false],
    ['externalId eq "EXT-1"', true],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['name.familyName co "ens"', true],
    ['name.middleName pr', false],
    ['name.middleName ne "x"', true],
    ['emails co "jensen.org"', true],
    ['emails.value ne "babs@jensen.org"', false],
    ['emails.type eq "home" and emails.primary eq true', true],
    ['emails[type eq "home" and primary eq true]', false],
    ['emails[type eq "work" and primary eq true]', true],
    ['roles pr', false],
    ['phoneNumbers pr', false],
    ['not (phoneNumbers.value eq "1")', true],
    ['active eq false', false],
    ['not (active eq false)', true],
    [`${ENT}:employeeNumber eq "701984"`, true],
    ['manager.value eq "M-1"', true],
    [`${ENT}:manager pr`, true],
    ['meta.created eq "2011-08-01T18:29:49.793Z"', true],
    ['meta.created gt "2011-08-01T18:29:49.793Z"', false],
    ['meta.lastModified gt 2011-08-01T14:00:00-07:00', true],
    ['meta.lastModified le "2011-08-01"', false],
    ['userName sw B and (emails.value ew .org or title pr)', true],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(matchesResource(unwrap(parseFilter(userResourceType, text)), doc)).toBe(expected);
  });
});
