import { describe, expect, it } from 'vitest';
import { createTokenSource, withDefaultRetryAfter } from '../../connectors/personio/token.js';

/** A fetch that refuses every token in `refused` with a 401. */
function api(refused: Set<string>): typeof fetch {
  return async (_input, init) => {
    const token = new Headers(init?.headers).get('authorization')?.replace('Bearer ', '') ?? '';
    return new Response('{}', { status: refused.has(token) ? 401 : 200 });
  };
}

function source(now = () => 0) {
  let n = 0;
  const calls: number[] = [];
  const tokens = createTokenSource({
    now,
    fetchToken: async () => {
      calls.push(++n);
      await new Promise((r) => setTimeout(r, 5));
      return { token: `t${n}`, expiresInS: 3600 };
    },
  });
  return { tokens, calls };
}

describe('Personio token source', () => {
  it('fetches one token for many concurrent requests', async () => {
    const { tokens, calls } = source();
    const headers = await Promise.all(Array.from({ length: 10 }, () => tokens.authorize()));
    expect(new Set(headers.map((h) => h.Authorization))).toEqual(new Set(['Bearer t1']));
    expect(calls).toHaveLength(1);
  });

  it('renews once when several requests are refused at the same time', async () => {
    const { tokens, calls } = source();
    const fetchWith = tokens.observe(api(new Set(['t1'])));
    const headers = await tokens.authorize();
    await Promise.all(Array.from({ length: 5 }, () => fetchWith('http://x', { headers })));
    await Promise.all(Array.from({ length: 5 }, () => tokens.onUnauthorized()));
    expect(await tokens.authorize()).toEqual({ Authorization: 'Bearer t2' });
    expect(calls).toHaveLength(2);
  });

  it('does not renew for a 401 on a token that was already replaced', async () => {
    const { tokens, calls } = source();
    const refused = new Set(['t1']);
    const fetchWith = tokens.observe(api(refused));
    const old = await tokens.authorize();
    await fetchWith('http://x', { headers: old });
    await tokens.onUnauthorized(); // → t2
    await fetchWith('http://x', { headers: old }); // a late answer for t1
    await tokens.onUnauthorized();
    expect(calls).toHaveLength(2);
  });

  it('renews five minutes ahead of expiry', async () => {
    let t = 0;
    const { tokens, calls } = source(() => t);
    await tokens.authorize();
    t = 3_300_000 - 1;
    await tokens.authorize();
    expect(calls).toHaveLength(1);
    t = 3_300_000;
    expect(await tokens.authorize()).toEqual({ Authorization: 'Bearer t2' });
  });
});

describe('withDefaultRetryAfter', () => {
  const answer = (status: number, headers: Record<string, string> = {}) => withDefaultRetryAfter(async () => new Response('x', { status, headers }), 1);
  it.each([
    ['bare 429', answer(429), '1'],
    ['429 with its own Retry-After', answer(429, { 'Retry-After': '9' }), '9'],
    ['429 with X-RateLimit-Reset', answer(429, { 'X-RateLimit-Reset': '30' }), null],
    ['200', answer(200), null],
    ['503', answer(503), null],
  ])('%s', async (_name, fetchImpl, expected) => {
    expect((await fetchImpl('http://x')).headers.get('retry-after')).toBe(expected);
  });
});
