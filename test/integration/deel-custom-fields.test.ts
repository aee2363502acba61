import { afterEach, describe, expect, it } from 'vitest';
import { generateCompany } from '../fakes/deel/generate.js';
import { createDeel } from '../../connectors/deel/connector.js';
import { collect, createVirtualClock, deelFor, today } from '../fakes/deel/harness.js';
import { defaultToken, startFakeDeel, type FakeDeel } from '../fakes/deel/server.js';
import { customFieldsOf } from '../fakes/shared/custom-fields.js';

let fake: FakeDeel | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const SIZE = 25;
const forbidden = { type: 'status', status: 403, body: '{"errors":[{"message":"Forbidden"}]}' } as const;

async function setup() {
  const clock = createVirtualClock();
  fake = await startFakeDeel({ company: generateCompany({ seed: 11, size: SIZE }), now: clock.now });
  return { clock, fake };
}

describe('Deel: custom fields, one request per worker', () => {
  it('costs one definitions read and one read per person listed', async () => {
    const { clock, fake } = await setup();
    const { employees, warnings } = await collect(deelFor(fake, clock).employees({ rawFields: ['customFields.cost_code', 'customFields.Badge'] }));
    expect(warnings).toEqual([]);
    const counts = fake.counts();
    expect(counts.byEndpoint['custom_fields']).toBe(1);
    expect(counts.byEndpoint['person.custom_fields']).toBe(employees.length);
    // Keys are spelled as the mapping spelled them; an empty field is absent.
    for (const e of employees) {
      const { badge, costCode } = customFieldsOf(e.remoteId);
      expect(e.raw.customFields).toEqual({ cost_code: costCode, ...(badge ? { Badge: badge } : {}) });
    }
  });

  it('keeps the extra reads inside the organisation\'s 5 a second', async () => {
    // Real time: the virtual clock adds up concurrent sleeps one after another, which is not how
    // parallel requests wait. 10 people: a dozen requests, about three seconds.
    fake = await startFakeDeel({ company: generateCompany({ seed: 11, size: 10 }), perSecond: 5 });
    const { employees } = await collect(createDeel({ baseUrl: fake.url, credentials: { apiToken: defaultToken }, now: () => today }).employees({ rawFields: ['customFields.cost_code'] }));
    const counts = fake.counts();
    expect(counts.byStatus, JSON.stringify(counts)).toEqual({ '200': counts.total });
    expect(counts.byEndpoint['person.custom_fields']).toBe(employees.length);
  });

  it('costs nothing when no mapping names a custom field', async () => {
    const { clock, fake } = await setup();
    const { employees } = await collect(deelFor(fake, clock).employees({ rawFields: ['hiring_type'] }));
    expect(employees.length).toBeGreaterThan(0);
    expect(employees.every((e) => e.raw.customFields === undefined)).toBe(true);
    expect(fake.counts().byEndpoint['custom_fields']).toBeUndefined();
    expect(fake.counts().byEndpoint['person.custom_fields']).toBeUndefined();
  });

  it('reads no worker when no wanted field is defined', async () => {
    const { clock, fake } = await setup();
    const { employees } = await collect(deelFor(fake, clock).employees({ rawFields: ['customFields.shoe_size'] }));
    expect(employees.every((e) => JSON.stringify(e.raw.customFields) === '{}')).toBe(true);
    expect(fake.counts().byEndpoint['person.custom_fields']).toBeUndefined();
  });

  it.each([
    ['the definitions', 'custom_fields'],
    ['a worker\'s values', 'person.custom_fields'],
  ])('warns and leaves them empty when the token may not read %s', async (_label, endpoint) => {
    const { clock, fake } = await setup();
    fake.faults.next(1, forbidden, endpoint);
    const { employees, warnings } = await collect(deelFor(fake, clock).employees({ rawFields: ['customFields.cost_code'] }));
    expect(employees.length).toBeGreaterThan(SIZE / 2);
    expect(warnings.filter((w) => w.includes('custom fields'))).toHaveLength(1);
    expect(employees.every((e) => e.raw.customFields === undefined)).toBe(true);
  });

  it('leaves a worker gone since the list was read without values, and reads the rest', async () => {
    const { clock, fake } = await setup();
    fake.faults.at(3, { type: 'status', status: 404, body: '{"errors":[{"message":"Worker not found","path":"worker_id"}]}' }, 'person.custom_fields');
    const { employees, warnings } = await collect(deelFor(fake, clock).employees({ rawFields: ['customFields.cost_code'] }));
    expect(warnings).toEqual([]);
    const empty = employees.filter((e) => JSON.stringify(e.raw.customFields) === '{}');
    expect(empty).toHaveLength(1);
    for (const e of employees.filter((x) => !empty.includes(x))) expect(e.raw.customFields).toEqual({ cost_code: customFieldsOf(e.remoteId).costCode });
  });

  it('fails the run on a server error rather than syncing people without their values', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(10, { type: 'status', status: 500, body: 'oops' }, 'person.custom_fields');
    await expect(collect(deelFor(fake, clock).employees({ rawFields: ['customFields.cost_code'] }))).rejects.toThrow();
  });
});
