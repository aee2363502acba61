import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bambooHrBaseUrl, createBambooHr } from '../../connectors/bamboohr/connector.js';
import { createConnector } from '../../connectors/registry.js';
import { connectTo, readAll } from '../fakes/bamboohr/connect.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { faults } from '../fakes/shared/faults.js';

describe('BambooHR validate()', () => {
  let fake: FakeBambooHr;
  beforeAll(async () => {
    fake = await startFakeBambooHr({
      keys: {
        [defaultKey]: {},
        'no-access': { access: 'none' },
        'no-email': { hiddenFields: ['workEmail', 'terminationDate'] },
      },
    });
  });
  afterAll(() => fake.close());

  it.each(['subdomain', 'gateway'] as const)('accepts a good key with one cheap call (%s host)', async (style) => {
    fake.resetCounts();
    expect(await connectTo(fake, { style }).validate()).toEqual({ ok: true, warnings: [] });
    expect(fake.counts().byEndpoint).toEqual({ meta: 1 });
  });

  it.each([
    ['an unknown key', { apiKey: 'wrong' }, 'invalid_credentials', /rejected the API key \(BambooHR says: Invalid API key\)/, false],
    ['a key whose user may not read employees', { apiKey: 'no-access' }, 'missing_permission', /may not read employee data/, false],
  ] as const)('reports %s', async (_name, opts, kind, message, retryable) => {
    fake.resetCounts();
    const result = await connectTo(fake, opts).validate();
    expect(result).toMatchObject({ ok: false, kind, retryable });
    expect(!result.ok && result.message).toMatch(message);
    // A bad key is never retried: some systems lock out clients that keep failing.
    expect(fake.counts().total).toBe(1);
  });

  it('reports a company domain the server does not know as invalid credentials', async () => {
    const connector = createBambooHr({
      credentials: { companyDomain: 'globex', apiKey: defaultKey, hostStyle: 'gateway' },
      baseUrl: bambooHrBaseUrl({ companyDomain: 'globex', hostStyle: 'gateway' }, fake.url),
    });
    expect(await connector.validate()).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringMatching(/company domain/) });
  });

  it('reports throttling as rate_limited with the wait BambooHR asked for', async () => {
    fake.faults.next(1, faults.tooManyRequests(3600), 'meta');
    const result = await connectTo(fake, { http: { maxServerWaitMs: 1000 } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'rate_limited', retryable: true, message: expect.stringMatching(/in 3600 s/) });
  });

  it.each([
    ['a 500', faults.serverError(500)],
    ['invalid JSON', { type: 'invalid_json' } as const],
  ])('reports %s as unreachable', async (_name, fault) => {
    fake.faults.next(1, fault, 'meta');
    expect(await connectTo(fake).validate()).toMatchObject({ ok: false, kind: 'unreachable' });
  });

  it('reports a server that does not answer at all as unreachable, retryable', async () => {
    const gone = await startFakeBambooHr();
    await gone.close();
    const result = await connectTo(gone, { http: { maxRetries: 1 } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'unreachable', retryable: true });
  });

  it('warns when the key cannot see fields the sync needs, in validate() and in the run', async () => {
    const connector = connectTo(fake, { apiKey: 'no-email' });
    const validation = await connector.validate();
    expect(validation).toEqual({ ok: true, warnings: [expect.stringMatching(/workEmail, terminationDate/)] });
    const run = await readAll(connector);
    expect(run.pages[0]!.warnings).toEqual([expect.stringMatching(/did not return workEmail, terminationDate/)]);
    expect(run.employees.every((e) => e.workEmail === null && e.terminationDate === null)).toBe(true);
  });

  it('is reachable through the provider registry with stored credentials', async () => {
    const connector = createConnector('bamboohr', { companyDomain: 'https://acme.bamboohr.com', apiKey: defaultKey, hostStyle: 'gateway' }, { baseUrl: fake.baseUrl('gateway') });
    expect(connector.name).toBe('bamboohr');
    expect(await connector.validate()).toEqual({ ok: true, warnings: [] });
  });
});
