import { describe, expect, it } from 'vitest';
import { parseFilter, parseFilterByGrammar } from '../../scim/filter/parse.js';
import { groupResourceType, userResourceType } from '../../scim/schemas/resource-types.js';

/*
 * `attr op "value"` is read without the grammar (scim/filter/parse.ts, simpleCompare). Whatever it
 * answers must be what the grammar answers, errors included: the grammar is the oracle.
 */
const FILTERS = [
  'userName eq "bjensen@example.com"',
  'USERNAME EQ "BJensen@Example.com"',
  '  userName   eq   "padded"  ',
  'externalId eq "00u-1"',
  'externalId eq ""',
  'userName eq "o\\"brien"',
  'userName eq "back\\\\slash"',
  'userName eq "DOMAIN\\user"',
  'userName eq "\\u00e9t\\u00e9"',
  'userName eq "\\u0000"',
  'userName eq "\\ud800"',
  'userName eq "tab\\there"',
  'userName eq "emoji \u{1F600}"',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "urn@x"',
  'name.familyName eq "Jensen"',
  'emails eq "a@b.c"',
  'emails.value co "@example.com"',
  'name eq "complex"',
  'displayName sw "Ba"',
  'active eq "true"',
  'active eq "maybe"',
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  'meta.lastModified gt "not a date"',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"',
  'password eq "secret"',
  'nosuch eq "x"',
  'userName xx "x"',
  'userName pr "x"',
  'not eq "x"',
  'and eq "x"',
  'eq eq "x"',
  'userName eq "unterminated',
  'userName eq bare',
  'userName eq "a" and active eq true',
  'members.value eq "2819c223-7f76-453a-919d-413861904646"',
  'members eq "2819c223-7f76-453a-919d-413861904646"',
  'id eq "2819c223-7f76-453a-919d-413861904646"',
  `userName eq "${'x'.repeat(4100)}"`,
];

describe('simple comparisons without the grammar', () => {
  for (const rt of [userResourceType, groupResourceType]) {
    it.each(FILTERS)(`${rt.name}: %s reads as the grammar reads it`, (filter) => {
      expect(parseFilter(rt, filter)).toEqual(parseFilterByGrammar(rt, filter));
    });
  }
});
