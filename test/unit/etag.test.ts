import { describe, expect, it } from 'vitest';
import { DomainError } from '../../scim/errors.js';
import { checkIfMatch, versionsAccepted } from '../../scim/http/etag.js';

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
