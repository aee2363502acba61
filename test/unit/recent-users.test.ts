import { describe, expect, it } from 'vitest';
import { createRecentUsers } from '../../src/directory/users/recent-users.js';

const copy = (version: number) => ({ version, doc: `{"v":${version}}` });

describe('recent users', () => {
  it.each([
    { case: 'keeps what fits', limit: 3, writes: ['a', 'b', 'c'], kept: ['a', 'b', 'c'] },
    { case: 'drops the least recently written past the limit', limit: 2, writes: ['a', 'b', 'c'], kept: ['b', 'c'] },
    { case: 'a rewrite makes a user recent again', limit: 2, writes: ['a', 'b', 'a', 'c'], kept: ['a', 'c'] },
  ])('$case', ({ limit, writes, kept }) => {
    const recent = createRecentUsers(limit);
    writes.forEach((id, i) => recent.remember('t', id, copy(i + 1)));
    expect(['a', 'b', 'c'].filter((id) => recent.get('t', id))).toEqual(kept);
  });

  it('holds the last version written, per tenant, until forgotten', () => {
    const recent = createRecentUsers();
    recent.remember('t1', 'u', copy(1));
    recent.remember('t1', 'u', copy(2));
    recent.remember('t2', 'u', copy(7));
    expect(recent.get('t1', 'u')).toEqual(copy(2));
    expect(recent.get('t2', 'u')).toEqual(copy(7));
    recent.forget('t1', 'u');
    expect(recent.get('t1', 'u')).toBeUndefined();
    expect(recent.get('t2', 'u')).toEqual(copy(7));
  });
});
