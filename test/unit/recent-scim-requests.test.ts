import { describe, expect, it } from 'vitest';
import { createRecentScimRequests } from '../../src/audit/recent-scim-requests.js';

const at = Date.UTC(2026, 11, 7, 4, 0, 0);
const entry = (path: string, offsetMs = 0) => ({ method: 'GET', path, status: 200, at: at + offsetMs, tokenId: 'tok' });
const paths = (list: { path: string }[]) => list.map((e) => e.path);

describe('recent SCIM requests (the console live list)', () => {
  it('lists newest first, with the time written out as ISO', () => {
    const recent = createRecentScimRequests();
    recent.record('t1', entry('/scim/v2/Users/a'));
    recent.record('t1', entry('/scim/v2/Users/b', 1500));
    expect(recent.list('t1')).toEqual([
      { method: 'GET', path: '/scim/v2/Users/b', status: 200, at: '2026-12-07T04:00:01.500Z', tokenId: 'tok' },
      { method: 'GET', path: '/scim/v2/Users/a', status: 200, at: '2026-12-07T04:00:00.000Z', tokenId: 'tok' },
    ]);
  });

  it.each([
    ['fewer than the bound', 3, ['/2', '/1', '/0']],
    ['exactly the bound', 4, ['/3', '/2', '/1', '/0']],
    ['past the bound: the oldest go', 7, ['/6', '/5', '/4', '/3']],
  ])('keeps at most the bound per tenant: %s', (_label, count, expected) => {
    const recent = createRecentScimRequests(4);
    for (let i = 0; i < count; i++) recent.record('t1', entry(`/${i}`));
    expect(paths(recent.list('t1'))).toEqual(expected);
  });

  it('keeps each tenant to its own list', () => {
    const recent = createRecentScimRequests();
    recent.record('t1', entry('/one'));
    recent.record('t2', entry('/two'));
    expect(paths(recent.list('t1'))).toEqual(['/one']);
    expect(paths(recent.list('t2'))).toEqual(['/two']);
    expect(recent.list('t3')).toEqual([]);
  });

  it.each([
    // t1 heard from again after t2 (its requests in a row move it once): t2 is the least recent.
    ['the tenant heard from least recently', ['t1', 't2', 't1', 't1', 't3'], { t1: 3, t2: 0, t3: 1 }],
    ['the oldest when none was heard from again', ['t1', 't2', 't3'], { t1: 0, t2: 1, t3: 1 }],
    ['nobody while the bound holds', ['t1', 't2', 't2', 't1'], { t1: 2, t2: 2 }],
  ])('makes room for a new tenant past the bound by dropping %s', (_label, order, expected) => {
    const recent = createRecentScimRequests(50, 2);
    order.forEach((tenant, i) => recent.record(tenant, entry(`/${i}`)));
    for (const [tenant, count] of Object.entries(expected)) expect(recent.list(tenant)).toHaveLength(count);
  });

  it('hands out copies: changing a listed entry changes nothing kept', () => {
    const recent = createRecentScimRequests();
    recent.record('t1', entry('/kept'));
    recent.list('t1')[0]!.path = '/changed';
    expect(paths(recent.list('t1'))).toEqual(['/kept']);
  });
});
