import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePeople } from '../fakes/bamboohr/generate.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';

const auth = `Basic ${Buffer.from(`${defaultKey}:x`).toString('base64')}`;
const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('generated companies', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(hash(generatePeople({ seed: 1, size: 500 }))).toBe(hash(generatePeople({ seed: 1, size: 500 })));
    expect(hash(generatePeople({ seed: 1, size: 500 }))).not.toBe(hash(generatePeople({ seed: 2, size: 500 })));
  });

  it('generates 50,000 people with unique ids and employee numbers and managers after reports', () => {
    const people = generatePeople({ seed: 50_000, size: 50_000 });
    expect(new Set(people.map((p) => p.id)).size).toBe(50_000);
    expect(new Set(people.map((p) => p.employeeNumber)).size).toBe(50_000);
    const position = new Map(people.map((p, i) => [p.id, i]));
    const late = people.filter((p) => p.supervisorEId && (position.get(p.supervisorEId) ?? -1) > position.get(p.id)!);
    expect(late.length).toBeGreaterThan(10_000);
    expect(people.some((p) => /[^\x00-\x7f]/.test(p.firstName + p.lastName))).toBe(true);
    expect(people.filter((p) => p.workEmail === '').length).toBeGreaterThan(50);
  });
});

describe('the fake BambooHR API', () => {
  let fake: FakeBambooHr;
  beforeAll(async () => {
    fake = await startFakeBambooHr({ company: scenarioCompany(), keys: { [defaultKey]: { hiddenFields: ['jobTitle'] } } });
  });
  afterAll(() => fake.close());

  const report = (headers: Record<string, string>, query = '?format=JSON&onlyCurrent=false', fields = ['id', 'jobTitle', 'nonsense', 'status']) =>
    fetch(`${fake.baseUrl('subdomain')}/v1/reports/custom${query}`, {
      method: 'POST',
      headers: { Authorization: auth, ...headers },
      body: JSON.stringify({ title: 't', fields }),
    });

  it.each([
    ['application/json; charset=utf-8', 400],
    ['text/plain', 400],
    ['application/json', 200],
  ])('answers a report posted as %s with %i', async (contentType, status) => {
    const res = await report({ 'Content-Type': contentType });
    expect(res.status).toBe(status);
    if (status === 400) expect(res.headers.get('x-bamboohr-error-message')).toMatch(/XML/);
  });

  it('silently leaves out unknown fields and fields the key may not see', async () => {
    const body = (await (await report({ 'Content-Type': 'application/json' })).json()) as { fields: Array<{ id: string }>; employees: object[] };
    expect(body.fields.map((f) => f.id)).toEqual(['id', 'status']);
    expect(Object.keys(body.employees[0]!)).toEqual(['id', 'status']);
  });

  it('leaves out leavers unless onlyCurrent=false', async () => {
    const all = (await (await report({ 'Content-Type': 'application/json' })).json()) as { employees: unknown[] };
    const current = (await (await report({ 'Content-Type': 'application/json' }, '?format=JSON')).json()) as { employees: unknown[] };
    expect(current.employees.length).toBe(all.employees.length - 1);
  });

  it('answers XML when JSON is not asked for, 401 without a key, 404 for another company', async () => {
    const meta = await fetch(`${fake.baseUrl('gateway')}/v1/meta/fields`, { headers: { Authorization: auth } });
    expect(meta.headers.get('content-type')).toBe('text/xml');
    const anonymous = await fetch(`${fake.baseUrl('gateway')}/v1/meta/fields`);
    expect([anonymous.status, anonymous.headers.get('x-bamboohr-error-message')]).toEqual([401, 'No API key provided']);
    const other = await fetch(`${fake.url}/api/gateway.php/globex/v1/meta/fields`, { headers: { Authorization: auth } });
    expect(other.status).toBe(404);
  });

  it('counts requests per endpoint and status', async () => {
    fake.resetCounts();
    await fetch(`${fake.baseUrl('gateway')}/v1/meta/fields`, { headers: { Authorization: auth, Accept: 'application/json' } });
    await fetch(`${fake.baseUrl('gateway')}/v1/employees/changed?since=nope`, { headers: { Authorization: auth, Accept: 'application/json' } });
    expect(fake.counts()).toEqual({ total: 2, byEndpoint: { meta: 1, changed: 1 }, byStatus: { 200: 1, 400: 1 } });
  });
});
