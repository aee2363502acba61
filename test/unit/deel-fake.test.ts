import { afterEach, describe, expect, it } from 'vitest';
import { generatePeople } from '../fakes/deel/generate.js';
import { defaultToken, startFakeDeel, type FakeDeel } from '../fakes/deel/server.js';

describe('the generated Deel company', () => {
  const people = generatePeople({ seed: 5, size: 3_000 });
  const position = new Map(people.map((p, i) => [p.id, i]));

  it('is deterministic per seed', () => {
    expect(generatePeople({ seed: 5, size: 50 })).toEqual(generatePeople({ seed: 5, size: 50 }));
    expect(generatePeople({ seed: 6, size: 50 })).not.toEqual(generatePeople({ seed: 5, size: 50 }));
  });

  it('has every case the connector must meet', () => {
    const managed = people.filter((p) => p.managerId && position.has(p.managerId));
    expect(managed.filter((p) => position.get(p.managerId!)! > position.get(p.id)!).length).toBeGreaterThan(managed.length / 3);
    expect(people.filter((p) => p.hiringStatus === 'inactive').length).toBeGreaterThan(50);
    expect(people.filter((p) => p.hiringStatus === 'offboarding').length).toBeGreaterThan(3);
    expect(people.filter((p) => p.hiringStatus === 'onboarding' && p.startDate > '2026-03-02').length).toBeGreaterThan(3);
    expect(people.filter((p) => p.newHiringStatus === 'onboarding_overdue').length).toBeGreaterThan(0);
    expect(people.filter((p) => p.employments.length > 1).length).toBeGreaterThan(30);
    expect(people.filter((p) => p.workEmailOnEmployment).length).toBeGreaterThan(100);
    expect(people.some((p) => p.managerId && !position.has(p.managerId))).toBe(true);
    expect(people.some((p) => /[^\u0000-\u024f]/.test(p.firstName + p.lastName))).toBe(true);
    expect(people.some((p) => /[À-ž]/.test(p.firstName + p.lastName))).toBe(true);
    expect(new Set(people.map((p) => p.id)).size).toBe(people.length);
  });
});

describe('the fake Deel API, as documented', () => {
  let fake: FakeDeel | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const get = async (query: string, token = defaultToken) => {
    const res = await fetch(`${fake!.url}/people${query}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
  };

  it('pages by offset and reports the page', async () => {
    fake = await startFakeDeel();
    const { status, body } = await get('?offset=5&limit=5');
    expect(status).toBe(200);
    expect(body.data).toHaveLength(5);
    expect(body.page).toEqual({ offset: 5, total_rows: 18, items_per_page: 5 });
    expect((await get('?offset=18&limit=5')).body.data).toEqual([]);
  });

  it.each([
    ['limit above 200', '?limit=201'],
    ['limit 0', '?limit=0'],
    ['a negative offset', '?offset=-1'],
    ['an unknown sort', '?sort_by=salary'],
    ['an unknown status filter', '?hiring_statuses[]=retired'],
  ])('refuses %s with the error container', async (_name, query) => {
    fake = await startFakeDeel();
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body).toMatchObject({ request: { status: 400, code: 'BAD_REQUEST', api_req_id: expect.any(String) }, errors: [{ message: expect.any(String) }] });
  });

  it('plays the rate limit as documented: a 429 without headers after 5 in a second', async () => {
    let t = 0;
    fake = await startFakeDeel({ perSecond: 5, now: () => t });
    for (let i = 0; i < 5; i++) expect((await get('?limit=1')).status).toBe(200);
    const refused = await get('?limit=1');
    expect(refused).toMatchObject({ status: 429, body: { error: 'Rate limit exceeded', status: 429 } });
    expect([...refused.headers.keys()].filter((h) => /retry|ratelimit/i.test(h))).toEqual([]);
    t += 1_000;
    expect((await get('?limit=1')).status).toBe(200);
  });

  it('counts the limit per organisation, or per token in the older reading', async () => {
    const t = 0;
    const tokens = { [defaultToken]: { scopes: ['people:read'] }, second: { scopes: ['people:read'] } };
    for (const [rateLimitScope, secondTokenStatus] of [['organisation', 429], ['token', 200]] as const) {
      fake = await startFakeDeel({ perSecond: 5, now: () => t, tokens, variants: { rateLimitScope } });
      for (let i = 0; i < 5; i++) expect((await get('?limit=1')).status).toBe(200);
      expect((await get('?limit=1', 'second')).status).toBe(secondTokenStatus);
      await fake.close();
    }
    fake = undefined;
  });

  it('grants /people to people:read, and to Users:read when that variant is on', async () => {
    const tokens = { [defaultToken]: { scopes: ['people:read'] }, users: { scopes: ['Users:read'] } };
    fake = await startFakeDeel({ tokens });
    expect((await get('?limit=1', 'users')).status).toBe(403);
    await fake.close();
    fake = await startFakeDeel({ tokens, variants: { peopleScopes: ['people:read', 'Users:read'] } });
    expect((await get('?limit=1', 'users')).status).toBe(200);
  });

  it('hides leavers without a filter in that variant, and lists them when asked', async () => {
    fake = await startFakeDeel({ variants: { leaversListed: false } });
    const all = (await get('?limit=200')).body.data as Array<{ hiring_status: string }>;
    expect(all.some((p) => p.hiring_status === 'inactive')).toBe(false);
    const leavers = (await get('?limit=200&hiring_statuses[]=inactive')).body.data as Array<{ hiring_status: string }>;
    expect(leavers.map((p) => p.hiring_status)).toEqual(['inactive']);
  });

  it('answers an unknown path in the older bare shape when asked to', async () => {
    fake = await startFakeDeel({ variants: { errorShape: 'legacy' } });
    const res = await fetch(`${fake.url}/peoples`, { headers: { Authorization: `Bearer ${defaultToken}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: [{ message: 'path not found' }] });
  });
});
