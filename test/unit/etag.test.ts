import { describe, expect, it } from 'vitest';
import { DomainError } from '../../scim/errors.js';
import { checkIfMatch, etagOf, versionsAccepted } from '../../scim/http/etag.js';

describe('If-Match as the versions a write statement accepts', () => {
  it.each<[string | undefined, number[] | undefined]>([
    [undefined, undefined],
    ['*', undefined],
    [' * ', undefined],
    ['W/"3"', [3]],
    ['"3"', [3]],
    ['W/"3.AbCdEf123456"', [3]],
    ['W/"3", W/"5"', [3, 5]],
    ['W/"abc"', []],
    ['W/""', []],
    ['W/"99999999999"', []],
  ])('%s → %j', (header, expected) => {
    expect(versionsAccepted(header)).toEqual(expected);
  });

  // The statement's verdict must be checkIfMatch's: a version it accepts passes, any other is refused.
  it.each(['W/"3"', 'W/"3", W/"5"', 'W/"abc"', 'W/"4.digest"'])('agrees with checkIfMatch for %s', (header) => {
    for (const version of [3, 4, 5]) {
      const accepted = versionsAccepted(header)!.includes(version);
      const check = () => checkIfMatch(header, version);
      if (accepted) expect(check).not.toThrow();
      else expect(check).toThrow(DomainError);
    }
  });
});

describe('the groups digest in a user tag', () => {
  const a = { value: 'g1', display: 'Finance' };
  const b = { value: 'g2', display: 'Sales' };
  it.each<[string, { value: string; display?: string }[], { value: string; display?: string }[], boolean]>([
    ['the same groups in another order', [a, b], [b, a], true],
    ['a renamed group', [a, b], [a, { ...b, display: 'Sales EMEA' }], false],
    ['one group fewer', [a, b], [a], false],
    ['no display against an empty one', [{ value: 'g1' }], [{ value: 'g1', display: '' }], true],
  ])('%s', (_, left, right, same) => {
    expect(etagOf(7, left) === etagOf(7, right)).toBe(same);
  });

  it('is the version alone without groups', () => {
    expect(etagOf(7)).toBe('W/"7"');
    expect(etagOf(7, [])).toBe('W/"7"');
  });

  // The digest is kept per list the store read: asking again for the same list gives the same tag,
  // and a new list read after a change gives the new tag, not the kept one.
  it('follows a new list, not the kept digest', () => {
    const before = [a, b];
    const first = etagOf(3, before);
    expect(etagOf(3, before)).toBe(first);
    expect(etagOf(4, before)).toBe(first.replace('W/"3.', 'W/"4.'));
    expect(etagOf(3, [a])).not.toBe(first);
  });
});
