import { afterEach, describe, expect, it } from 'vitest';
import { collect, createVirtualClock, luccaFor, maxInWindow } from '../fakes/lucca/harness.js';
import { generateCompany } from '../fakes/lucca/generate.js';
import type { FakeApiKey, LegacyVariants } from '../fakes/lucca/legacy.js';
import { defaultApiKey, startFakeLucca, type FakeLucca, type FakeLuccaOptions } from '../fakes/lucca/server.js';
import { faults } from '../fakes/shared/faults.js';
import { createLucca } from '../../connectors/lucca/connector.js';

let fake: FakeLucca | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeLuccaOptions, 'now' | 'company'> & { size?: number } = {}) {
  const clock = createVirtualClock();
  const company = generateCompany({ seed: 7, size: options.size ?? 310, now: clock.now });
  fake = await startFakeLucca({ ...options, company, now: clock.now });
  return { clock, fake };
}

/** What the fake's own records say each person should look like. */
function expected(fake: FakeLucca) {
  const c = fake.company;
  return new Map(
    c.list().map((p) => {
      const e = c.applicable(p);
      const job = c.job(p);
      const status = e.end !== null && e.end < c.today ? 'inactive' : e.start > c.today ? 'pending' : 'active';
      return [String(p.id), { status, startDate: e.start, terminationDate: e.end, managerRemoteId: job.managerId === null ? null : String(job.managerId), jobTitle: job.jobTitle, workEmail: p.email || null }];
    }),
  );
}

describe('Lucca legacy API: reading everyone', () => {
  it('pages by offset until a short page, former and future employees included, each person as the fake has them', async () => {
    const { clock, fake } = await setup();
    const run = await collect(luccaFor(fake, clock, 'legacy', { pageSize: 100 }).employees());
    // 310 people in pages of 100: 100, 100, 100, 10 (short, so the last).
    expect(fake.counts().byEndpoint.users).toBe(4);
    expect(run.errors).toEqual([]);
    expect(run.pages.every((p) => p.complete)).toBe(true);
    const oracle = expected(fake);
    expect(run.byId.size).toBe(oracle.size);
    for (const [id, want] of oracle) expect(run.byId.get(id), `user ${id}`).toMatchObject(want);
    const statuses = new Set(run.employees.map((e) => e.status));
    expect(statuses).toEqual(new Set(['active', 'pending', 'inactive']));
    // A termination entered ahead keeps the person active until the date.
    expect(run.employees.some((e) => e.status === 'active' && e.terminationDate !== null && e.terminationDate > '2026-03-02')).toBe(true);
  });

  it('asks once more when the last page is exactly full (there is no total)', async () => {
    const { clock, fake } = await setup({ size: 300 });
    const run = await collect(luccaFor(fake, clock, 'legacy', { pageSize: 100 }).employees());
    expect(run.byId.size).toBe(300);
    expect(fake.counts().byEndpoint.users).toBe(4);
  });

  it('resolves managers listed after their reports, keeps names in every script and the current contract of re-hired people', async () => {
    const { clock, fake } = await setup();
    const run = await collect(luccaFor(fake, clock, 'legacy').employees());
    const order = fake.company.list().map((p) => String(p.id));
    const later = run.employees.filter((e) => e.managerRemoteId && order.indexOf(e.managerRemoteId) > order.indexOf(e.remoteId));
    expect(later.length).toBeGreaterThan(50);
    expect(run.employees.some((e) => /[^\u0000-\u024f]/.test(`${e.firstName}${e.lastName}`))).toBe(true);
    const rehired = fake.company.list().find((p) => p.employments.length > 1)!;
    expect(run.byId.get(String(rehired.id))).toMatchObject({ startDate: rehired.employments.at(-1)!.start, status: 'active' });
  });

  it('reads cost centres from the configured analytical axis', async () => {
    const { clock, fake } = await setup();
    const run = await collect(luccaFor(fake, clock, 'legacy', { costCenterAxisIds: [7] }).employees());
    const p = fake.company.list().find((x) => x.costCenters.length === 2)!;
    expect(run.byId.get(String(p.id))!.costCenters).toEqual(p.costCenters.map((c) => ({ remoteId: String(c.id), name: c.name, weight: 50 })));
  });
});

describe('Lucca legacy API: documented variants', () => {
  it.each([
    ['bare {items} envelope', { envelope: 'bare' }],
    ['modifiedOn instead of modifiedAt', { stamp: 'modifiedOn' }],
    ['every field by default', { defaultFields: 'all' }],
    ['an establishment on each user', { location: 'establishment' }],
    ['unknown fields refused with a 400 (no establishments)', { unknownFields: 'reject' }],
  ] as Array<[string, Partial<LegacyVariants>]>)('%s: the same people', async (_name, legacy) => {
    const { clock, fake } = await setup({ legacy });
    const run = await collect(luccaFor(fake, clock, 'legacy').employees());
    expect(run.byId.size).toBe(310);
    expect(run.errors).toEqual([]);
    // Refused once, then asked without the field for the rest of the run.
    expect(fake.counts().byStatus['400'] ?? 0).toBe(legacy.unknownFields === 'reject' ? 1 : 0);
    const p = fake.company.list()[0]!;
    const e = run.byId.get(String(p.id))!;
    expect(e.updatedAt).toBe(p.modifiedAt);
    expect(e.workLocation).toEqual(
      legacy.location === 'establishment'
        ? { remoteId: String(fake.company.job(p).establishment.id), name: fake.company.job(p).establishment.name }
        : { remoteId: String(fake.company.applicable(p).legalEntity.id), name: fake.company.applicable(p).legalEntity.name },
    );
  });

  it('reads only who changed since a time, from 14 hours earlier, as a partial run', async () => {
    const { clock, fake } = await setup();
    const c = fake.company;
    const [a, b] = c.list().slice(3, 5);
    clock.advance(86_400_000);
    c.changeEmail(a!.id, 'moved@acme.test');
    c.terminate(b!.id, '2026-03-20');
    const since = new Date(clock.now() - 3600_000).toISOString();
    const run = await collect(luccaFor(fake, clock, 'legacy').employees({ updatedSince: since }));
    expect([...run.byId.keys()].sort()).toEqual([String(a!.id), String(b!.id)].sort());
    expect(run.pages.every((p) => !p.complete)).toBe(true);
    expect(run.byId.get(String(b!.id))).toMatchObject({ status: 'active', terminationDate: '2026-03-20' });
  });

  it('a role that hides former employees: they are absent, and the run says why', async () => {
    const { clock, fake } = await setup({ keys: { [defaultApiKey]: { hidesFormer: true } } });
    const run = await collect(luccaFor(fake, clock, 'legacy').employees());
    expect(run.employees.some((e) => e.status === 'inactive')).toBe(false);
    expect(run.warnings.join(' ')).toMatch(/no former employees/);
  });
});

describe('Lucca legacy API: validation', () => {
  it('one cheap call: a good key is ok without warnings', async () => {
    const { clock, fake } = await setup();
    expect(await luccaFor(fake, clock, 'legacy').validate()).toEqual({ ok: true, warnings: [] });
    expect(fake.counts().byEndpoint.users).toBe(1);
  });

  it.each(['json', 'empty', 'html'] as const)('a wrong key is invalid_credentials whatever the 401 body (%s), and the key is never echoed', async (unauthorizedBody) => {
    const { clock, fake } = await setup({ legacy: { unauthorizedBody } });
    const result = await createLucca({ baseUrl: fake.url, credentials: { account: 'acme', apiKey: 'wrong-key-123' }, http: { now: clock.now, sleep: clock.sleep } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'invalid_credentials', retryable: false });
    expect(JSON.stringify(result)).not.toContain('wrong-key-123');
    expect(fake.counts().byEndpoint.users).toBe(1);
  });

  it.each([
    ['a key that may not consult users', { access: 'none' }, { ok: false, kind: 'missing_permission' }],
    ['a role that hides contract end dates', { hidden: ['dtContractEnd'] }, { ok: false, kind: 'missing_permission', message: expect.stringContaining('dtContractEnd') }],
    ['a role that hides managers', { hidden: ['managerId'] }, { ok: true, warnings: [expect.stringContaining('managerId')] }],
  ] as Array<[string, FakeApiKey, Record<string, unknown>]>)('%s', async (_name, key, result) => {
    const { clock, fake } = await setup({ keys: { [defaultApiKey]: key } });
    expect(await luccaFor(fake, clock, 'legacy').validate()).toMatchObject(result);
  });

  it('an account that does not answer is unreachable; a long 429 is rate_limited', async () => {
    const { clock, fake } = await setup();
    const url = fake.url;
    fake.faults.next(10, faults.tooManyRequests(600), 'users');
    expect(await luccaFor(fake, clock, 'legacy').validate()).toMatchObject({ ok: false, kind: 'rate_limited', retryable: true });
    await fake.close();
    const closed = createLucca({ baseUrl: url, credentials: { account: 'acme', apiKey: defaultApiKey }, http: { now: clock.now, sleep: clock.sleep, maxRetries: 1 } });
    expect(await closed.validate()).toMatchObject({ ok: false, kind: 'unreachable', retryable: true });
  });
});

describe('Lucca legacy API: the account-wide limit of 50 requests a minute', () => {
  it('is respected by construction: 32 pages, no 429, never more than 50 in any minute', async () => {
    const { clock, fake } = await setup({ limit: { perMinute: 50, retryAfter: true } });
    const run = await collect(luccaFor(fake, clock, 'legacy', { pageSize: 10 }).employees());
    expect(run.byId.size).toBe(310);
    expect(fake.counts()).toMatchObject({ total: 32, byStatus: { '200': 32 } });
    expect(maxInWindow(fake.arrivals, 60_000)).toBeLessThanOrEqual(50);
    expect(clock.now() - fake.arrivals[0]!).toBeGreaterThan(0);
  });

  it.each([true, false])('another integration spent the minute: the 429 is waited out (Retry-After sent: %s)', async (retryAfter) => {
    const { clock, fake } = await setup({ limit: { perMinute: 50, retryAfter } });
    // Someone else's 50 requests, just now.
    for (let i = 0; i < 50; i++) await fetch(`${fake.url}/api/v3/users?paging=0,1&fields=id`, { headers: { Authorization: `lucca application=${defaultApiKey}` } });
    const run = await collect(luccaFor(fake, clock, 'legacy', { pageSize: 100 }).employees());
    expect(run.byId.size).toBe(310);
    expect(fake.counts().byStatus['429']).toBeGreaterThanOrEqual(1);
    expect(clock.slept).toBeGreaterThanOrEqual(30_000);
  });

  it('fails the run on a 500 or a body that is not JSON, without a partial snapshot', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(2, faults.serverError(500), 'users');
    await expect(collect(luccaFor(fake, clock, 'legacy', { pageSize: 100 }).employees())).rejects.toMatchObject({ kind: 'server' });
    fake.faults.clear();
    fake.faults.next(10, { type: 'invalid_json' }, 'users');
    await expect(collect(luccaFor(fake, clock, 'legacy').employees())).rejects.toMatchObject({ kind: 'invalid_response', retryable: false });
  });
});
