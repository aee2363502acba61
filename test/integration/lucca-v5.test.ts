import { afterEach, describe, expect, it } from 'vitest';
import { createLucca } from '../../connectors/lucca/connector.js';
import { generateCompany, org } from '../fakes/lucca/generate.js';
import { collect, createVirtualClock, luccaFor, maxInWindow } from '../fakes/lucca/harness.js';
import { allScopes, defaultApp, startFakeLucca, type FakeLucca, type FakeLuccaOptions } from '../fakes/lucca/server.js';
import type { V5Variants } from '../fakes/lucca/v5.js';
import { faults } from '../fakes/shared/faults.js';

let fake: FakeLucca | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeLuccaOptions, 'now' | 'company'> & { size?: number } = {}) {
  const clock = createVirtualClock();
  const company = generateCompany({ seed: 11, size: options.size ?? 310, now: clock.now });
  fake = await startFakeLucca({ ...options, company, now: clock.now });
  return { clock, fake };
}

const app = (scopes: string[], extra: { establishments?: number[] } = {}) => ({ [defaultApp.id]: { secret: defaultApp.secret, scopes, ...extra } });

describe('Lucca API v5: reading everyone', () => {
  it('follows links.next until null, joins employments and job positions, and matches the fake person by person', async () => {
    const { clock, fake } = await setup();
    const run = await collect(luccaFor(fake, clock, 'v5').employees());
    const c = fake.company;
    const counts = fake.counts().byEndpoint;
    const employments = c.list().reduce((n, p) => n + p.employments.length, 0);
    const jobs = c.list().reduce((n, p) => n + p.jobPositions.length, 0);
    expect(counts).toMatchObject({ token: 1, employees: 4, employments: Math.ceil(employments / 100), 'job-positions': Math.ceil(jobs / 100) });
    expect(run.errors).toEqual([]);
    expect(run.byId.size).toBe(310);
    for (const p of c.list()) {
      const e = c.applicable(p);
      const job = c.job(p);
      const status = c.status(p);
      expect(run.byId.get(String(p.id)), `employee ${p.id}`).toMatchObject({
        rawStatus: status,
        status: status === 'upcoming' ? 'pending' : status === 'deactivated' ? 'inactive' : 'active',
        startDate: e.start,
        terminationDate: e.end,
        managerRemoteId: job.managerId === null ? null : String(job.managerId),
        jobTitle: job.jobTitle,
        department: job.department ? { remoteId: String(job.department.id), name: job.department.name } : null,
        workLocation: { remoteId: String(job.establishment.id), name: job.establishment.name },
        employeeNumber: p.employeeNumber,
      });
    }
    // Several contracts and several job positions: the applicable ones win.
    const rehired = c.list().find((p) => p.employments.length > 1)!;
    expect(run.byId.get(String(rehired.id))!.startDate).toBe(rehired.employments.at(-1)!.start);
    const promoted = c.list().find((p) => p.jobPositions.length > 1 && p.employments.length === 1)!;
    expect(run.byId.get(String(promoted.id))!.jobTitle).toBe(promoted.jobPositions.at(-1)!.jobTitle);
  });

  it.each(['iban', 'generic'] as const)('reads personal email and bank details from personal records (%s shape)', async (bankShape) => {
    const { clock, fake } = await setup({ v5: { bankShape } });
    const run = await collect(luccaFor(fake, clock, 'v5', { readPersonalRecords: true }).employees());
    const p = fake.company.list().find((x) => x.bank && x.personalEmail)!;
    expect(run.byId.get(String(p.id))).toMatchObject({ personalEmail: p.personalEmail, bankAccount: { iban: p.bank!.iban, bic: p.bank!.bic } });
    expect(fake.counts().byEndpoint['personal-records']).toBe(4);
  });

  it('people outside the granted business establishments are absent, not errors', async () => {
    const granted = [org.establishments[0]!.id, org.establishments[1]!.id];
    const { clock, fake } = await setup({ apps: app(allScopes, { establishments: granted }) });
    const run = await collect(luccaFor(fake, clock, 'v5').employees());
    const c = fake.company;
    const inside = c.list().filter((p) => granted.includes(c.job(p).establishment.id));
    expect(run.byId.size).toBe(inside.length);
    expect(run.errors).toEqual([]);
  });

  it('a page size over the limit is a clear 400 from the fake; the connector never asks for more than 100', async () => {
    const { clock, fake } = await setup();
    await collect(luccaFor(fake, clock, 'v5', { pageSize: 1000 }).employees());
    expect(fake.counts().byStatus['400']).toBeUndefined();
    const token = (await (await fetch(`${fake.url}/connect/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `grant_type=client_credentials&client_id=${defaultApp.id}&client_secret=${defaultApp.secret}` })).json()) as { access_token: string };
    const res = await fetch(`${fake.url}/lucca-api/employees?limit=101`, { headers: { Authorization: `Bearer ${token.access_token}`, 'Api-Version': '2024-11-01' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('Lucca API v5: tokens', () => {
  it('renews a 30-minute token before it expires during a long read, never sending a dead one', async () => {
    const { clock, fake } = await setup({ tokenTtlS: 60, limit: { perMinute: 50, retryAfter: true } });
    const run = await collect(luccaFor(fake, clock, 'v5', { pageSize: 10 }).employees());
    expect(run.byId.size).toBe(310);
    expect(fake.tokensIssued).toBeGreaterThan(1);
    expect(fake.counts().byStatus['401']).toBeUndefined();
  });

  it('a token revoked mid-run costs one 401 per request then in flight, and one renewal', async () => {
    const { clock, fake } = await setup();
    const lucca = luccaFor(fake, clock, 'v5');
    expect((await lucca.validate()).ok).toBe(true);
    fake.expireTokens();
    const run = await collect(lucca.employees());
    expect(run.byId.size).toBe(310);
    // Employments and job positions are read side by side: each request in flight meets the 401 once.
    expect(fake.counts().byStatus['401']).toBeGreaterThanOrEqual(1);
    expect(fake.counts().byStatus['401']).toBeLessThanOrEqual(2);
    expect(lucca.stats.tokensIssued).toBe(2);
  });
});

describe('Lucca API v5: validation', () => {
  it('a good client app is ok', async () => {
    const { clock, fake } = await setup();
    expect(await luccaFor(fake, clock, 'v5').validate()).toEqual({ ok: true, warnings: [] });
  });

  it.each([
    ['a wrong secret', {}, { clientSecret: 'not-the-secret-42' }, { kind: 'invalid_credentials' }],
    ['an app without employments.readonly', { apps: app(['employees.readonly']) }, {}, { kind: 'missing_permission', message: expect.stringContaining('employments.readonly') }],
    ['personal records asked for but not granted', { apps: app(['employees.readonly', 'employments.readonly']) }, {}, { kind: 'missing_permission' }],
  ] as Array<[string, Omit<FakeLuccaOptions, 'now' | 'company'>, Record<string, string>, Record<string, unknown>]>)('%s', async (name, options, credentials, result) => {
    const { clock, fake } = await setup(options);
    const lucca = createLucca({
      baseUrl: fake.url,
      credentials: { account: 'acme', clientId: defaultApp.id, clientSecret: defaultApp.secret, ...credentials },
      settings: { tokenUrl: `${fake.url}/connect/token`, readPersonalRecords: name.startsWith('personal') },
      http: { now: clock.now, sleep: clock.sleep },
    });
    const outcome = await lucca.validate();
    expect(outcome).toMatchObject({ ok: false, retryable: false, ...result });
    expect(JSON.stringify(outcome)).not.toContain('not-the-secret-42');
    expect(fake.counts().byEndpoint.employees ?? 0).toBe(0);
  });
});

describe('Lucca API v5: where the secret may go', () => {
  it('a token URL that is neither a Lucca identity host nor the account origin never receives the secret', async () => {
    const { clock, fake } = await setup();
    const foreign = await startFakeLucca({ now: clock.now });
    try {
      const lucca = createLucca({
        baseUrl: fake.url,
        credentials: { account: 'acme', clientId: defaultApp.id, clientSecret: defaultApp.secret },
        settings: { tokenUrl: `${foreign.url}/connect/token` },
        http: { now: clock.now, sleep: clock.sleep },
      });
      expect(await lucca.validate()).toMatchObject({ ok: false, kind: 'unreachable', retryable: false, message: expect.stringContaining('settings.tokenUrl') });
      await expect(collect(lucca.employees())).rejects.toMatchObject({ kind: 'bad_request' });
      expect(foreign.counts().total).toBe(0);
      expect(fake.counts().total).toBe(0);
    } finally {
      await foreign.close();
    }
  });
});

describe('Lucca API v5: the account-wide limit', () => {
  it('stays under 50 a minute across every collection, proven by the fake', async () => {
    const { clock, fake } = await setup({ limit: { perMinute: 50, retryAfter: false } });
    const run = await collect(luccaFor(fake, clock, 'v5', { pageSize: 10, readPersonalRecords: true }).employees());
    expect(run.byId.size).toBe(310);
    expect(fake.counts().byStatus['429']).toBeUndefined();
    expect(fake.arrivals.length).toBeGreaterThan(100);
    expect(maxInWindow(fake.arrivals, 60_000)).toBeLessThanOrEqual(50);
  });

  it.each<[string, Partial<V5Variants>]>([
    ['a 503 and a 429 with Retry-After', {}],
  ])('%s: retried, the read completes', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(1, faults.tooManyRequests(7), 'employees');
    fake.faults.at(2, faults.unavailable(), 'employees');
    const run = await collect(luccaFor(fake, clock, 'v5').employees());
    expect(run.byId.size).toBe(310);
    expect(clock.slept).toBeGreaterThanOrEqual(7_000);
    expect(fake.counts().byEndpoint.employees).toBe(6);
  });
});
