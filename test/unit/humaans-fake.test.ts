import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompany } from '../fakes/humaans/generate.js';
import { defaultToken, publicOnlyToken, startFakeHumaans, type FakeHumaans } from '../fakes/humaans/server.js';

describe('the Humaans fake company', () => {
  const company = generateCompany({ seed: 11, size: 5000 });
  const people = company.list();
  const position = new Map(people.map((p, i) => [p.id, i]));
  const managerOf = (id: string) => company.currentRole(id)?.reportingTo ?? null;

  it('is the same for the same seed', () => {
    const again = generateCompany({ seed: 11, size: 5000 });
    expect(again.list()).toEqual(people);
    expect(again.roles()).toEqual(company.roles());
  });

  it('lists many managers after their reports, and one manager who does not exist', () => {
    const late = people.filter((p) => managerOf(p.id) && (position.get(managerOf(p.id)!) ?? -1) > position.get(p.id)!);
    expect(late.length).toBeGreaterThan(people.length / 4);
    expect(people.filter((p) => managerOf(p.id) && !position.has(managerOf(p.id)!))).toHaveLength(1);
  });

  it('has offboarded people, future leavers still active, new hires, several job roles, remote workers', () => {
    const today = company.today;
    expect(people.filter((p) => company.status(p) === 'offboarded').length).toBeGreaterThan(150);
    expect(people.filter((p) => company.status(p) === 'active' && p.employmentEndDate !== null && p.employmentEndDate > today).length).toBeGreaterThan(5);
    expect(people.filter((p) => company.status(p) === 'newHire').length).toBeGreaterThan(5);
    const rows = new Map<string, number>();
    for (const r of company.roles()) rows.set(r.personId, (rows.get(r.personId) ?? 0) + 1);
    expect([...rows.values()].filter((n) => n > 1).length).toBeGreaterThan(50);
    expect(people.filter((p) => p.locationId === null && p.remoteCity !== null).length).toBeGreaterThan(50);
  });

  it('has names with diacritics and in non-Latin scripts, people without a work email and shared ones', () => {
    expect(people.some((p) => /[À-ɏ]/.test(p.firstName + p.lastName))).toBe(true);
    expect(people.some((p) => /[\u0400-\u04ff\u3040-\u9fff]/.test(p.firstName + p.lastName))).toBe(true);
    expect(people.filter((p) => p.email === '').length).toBeGreaterThan(0);
    const emails = people.map((p) => p.email).filter(Boolean);
    expect(new Set(emails).size).toBeLessThan(emails.length);
  });
});

describe('the Humaans fake API', () => {
  let fake: FakeHumaans;
  beforeAll(async () => {
    fake = await startFakeHumaans({ company: generateCompany({ seed: 5, size: 300 }), perMinute: false });
  });
  afterAll(async () => {
    await fake.close();
  });
  const get = async (path: string, token: string | null = defaultToken) => {
    const res = await fetch(`${fake.url}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
  };

  it('pages with $limit/$skip in a Feathers envelope, 100 by default, at most 250', async () => {
    expect((await get('/api/people')).body).toMatchObject({ total: 300, limit: 100, skip: 0 });
    const big = await get('/api/people?$limit=1000&$skip=200');
    expect(big.body).toMatchObject({ total: 300, limit: 250, skip: 200 });
    expect(big.body.data).toHaveLength(100);
    expect((await get('/api/people?$limit=-1')).body).toMatchObject({ name: 'BadRequest', code: 400, className: 'bad-request', errors: { $limit: expect.any(String) } });
  });

  it('filters by field, $in, $gte and status', async () => {
    const [a, b] = fake.company.list();
    const byIn = await get(`/api/people?id[$in][]=${a!.id}&id[$in][]=${b!.id}`);
    expect(byIn.body.data.map((p: { id: string }) => p.id).sort()).toEqual([a!.id, b!.id].sort());
    const active = await get('/api/people?status=active&$limit=250');
    expect(active.body.data.every((p: { status: string }) => p.status === 'active')).toBe(true);
    expect(active.body.total).toBeLessThan(300);
    fake.company.update(a!.id, { preferredName: 'Changed' });
    const since = await get(`/api/people?updatedAt[$gte]=${encodeURIComponent(fake.company.get(a!.id)!.updatedAt)}`);
    expect(since.body.data.map((p: { id: string }) => p.id)).toEqual([a!.id]);
    expect((await get(`/api/job-roles?personId=${b!.id}`)).body.data.every((r: { personId: string }) => r.personId === b!.id)).toBe(true);
  });

  it('hides new hires, offboarded people and private fields from a public:read token, and bank accounts altogether', async () => {
    const pub = await get('/api/people?$limit=250', publicOnlyToken);
    expect(pub.body.total).toBe(fake.company.list().filter((p) => fake.company.status(p) === 'active').length);
    expect(pub.body.data.some((p: Record<string, unknown>) => 'personalEmail' in p || 'employmentEndDate' in p)).toBe(false);
    expect((await get('/api/bank-accounts', publicOnlyToken)).body).toMatchObject({ name: 'Forbidden', code: 403 });
    expect((await get('/api/token-info', publicOnlyToken)).body.scopes).toEqual(['public:read']);
  });

  it('answers 401 in Feathers form without a token or with a wrong one', async () => {
    expect(await get('/api/people', null)).toMatchObject({ status: 401, body: { name: 'NotAuthenticated', code: 401, className: 'not-authenticated' } });
    expect((await get('/api/people', 'nope')).status).toBe(401);
  });

  it('answers 429 with Retry-After seconds past its limit', async () => {
    const limited = await startFakeHumaans({ company: generateCompany({ seed: 5, size: 10 }), perMinute: 2, now: () => 0 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${limited.url}/api/people`, { headers: { Authorization: `Bearer ${defaultToken}` } });
        statuses.push(res.status);
        retryAfter ??= res.headers.get('retry-after');
        await res.text();
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(retryAfter).toBe('60');
    } finally {
      await limited.close();
    }
  });
});
