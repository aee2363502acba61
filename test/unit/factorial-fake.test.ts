import { afterEach, describe, expect, it } from 'vitest';
import { generateCompany } from '../fakes/factorial/generate.js';
import { createVirtualClock } from '../fakes/personio/clock.js';
import { defaultApiKey, defaultOAuthApp, startFakeFactorial, type FakeFactorial, type FakeFactorialOptions } from '../fakes/factorial/server.js';

/** The fake against the documentation, with plain HTTP: the connector is not involved. */
let fake: FakeFactorial | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = async (options: FakeFactorialOptions = {}) => (fake = await startFakeFactorial({ company: generateCompany({ seed: 2, size: 250 }), ...options }));
const get = async (f: FakeFactorial, path: string, headers: Record<string, string> = { 'x-api-key': defaultApiKey }) => {
  const res = await fetch(`${f.url}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as any) : undefined };
};
const employees = '/api/2026-07-01/resources/employees/employees';

describe('the Factorial fake', () => {
  it('pages by cursor: base64 end_cursor as after_id, has_next_page false on the last page, sorted by id', async () => {
    const f = await start();
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const { body } = await get(f, `${employees}?only_active=false&only_managers=false&limit=100${cursor ? `&after_id=${encodeURIComponent(cursor)}` : ''}`);
      ids.push(...body.data.map((e: { id: string }) => e.id));
      expect(body.meta).toMatchObject({ total: 250, limit: 100, has_previous_page: i > 0 });
      if (!body.meta.has_next_page) break;
      cursor = body.meta.end_cursor;
      expect(Buffer.from(cursor!, 'base64').toString()).toBe(ids.at(-1));
    }
    expect(ids).toEqual(f.company.list().map((p) => p.id));
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(ids);
  });

  it('caps limit at 100, pages by number, and refuses a cursor it did not issue', async () => {
    const f = await start();
    expect((await get(f, `${employees}?only_active=false&limit=500`)).body.data).toHaveLength(100);
    expect((await get(f, `${employees}?only_active=false&page=3`)).body).toMatchObject({ data: { length: 50 }, meta: { has_next_page: false } });
    expect((await get(f, `${employees}?only_active=false&after_id=not-a-cursor`)).status).toBe(400);
  });

  it('lists only active people unless only_active=false; refuses the list without the booleans when playing the strict OAS', async () => {
    const f = await start();
    const active = (await get(f, `${employees}?limit=100&page=1`)).body.meta.total;
    expect(active).toBeLessThan(250);
    await f.close();
    const strict = await start({ requireBooleans: true });
    expect((await get(strict, employees)).status).toBe(422);
  });

  it('writes integer ids before 2026-07-01 and strings from then on, every digit kept', async () => {
    const f = await start({ company: generateCompany({ seed: 2, size: 600, bigIds: true }) });
    const old = await get(f, '/api/2025-10-01/resources/employees/employees?only_active=false&page=6');
    expect(old.text).toMatch(/"id":9007199254741\d{3},/);
    const current = await get(f, `${employees}?only_active=false&page=6`);
    expect(current.body.data[0].id).toBe(f.company.list()[500]!.id);
    expect(BigInt(current.body.data[0].id)).toBeGreaterThan(2n ** 53n);
  });

  it('401 without a valid key; the key wins over a bearer token; 404 for an unknown version', async () => {
    const f = await start();
    expect((await get(f, employees, {})).status).toBe(401);
    expect((await get(f, employees, { 'x-api-key': 'nope' })).status).toBe(401);
    expect((await get(f, employees, { 'x-api-key': defaultApiKey, Authorization: 'Bearer nope' })).status).toBe(200);
    expect((await get(f, '/api/2023-01-01/resources/employees/employees')).status).toBe(404);
  });

  it('OAuth access tokens expire after expires_in; a hidden property is null', async () => {
    const clock = createVirtualClock();
    const f = await start({ now: clock.now });
    const form = new URLSearchParams({ client_id: defaultOAuthApp.clientId, client_secret: defaultOAuthApp.clientSecret, grant_type: 'refresh_token', refresh_token: f.oauth.refreshTokenFor('manager') });
    const token = (await (await fetch(`${f.url}/oauth/token`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).json()) as { access_token: string; expires_in: number };
    expect(token.expires_in).toBe(7200);
    const auth = { Authorization: `Bearer ${token.access_token}` };
    const { body } = await get(f, `${employees}?only_active=false`, auth);
    expect(body.data.every((e: Record<string, unknown>) => e.manager_id === null && e.bank_number === null)).toBe(true);
    clock.advance(7200_000);
    expect((await get(f, employees, auth)).status).toBe(401);
  });

  it('teams keep their terminated members', async () => {
    const f = await start();
    f.company.terminate(f.company.teams()[0]!.employeeIds[0]!, '2026-01-01');
    const { body } = await get(f, '/api/2026-07-01/resources/teams/teams');
    expect(body.data[0].employee_ids).toContain(f.company.teams()[0]!.employeeIds[0]);
  });

  it('throttles with a 429 once the window is full, with Retry-After when asked to', async () => {
    const f = await start({ limit: { limit: 2, retryAfter: true } });
    await get(f, employees);
    await get(f, employees);
    const res = await fetch(`${f.url}${employees}`, { headers: { 'x-api-key': defaultApiKey } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
