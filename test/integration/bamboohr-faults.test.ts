import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../connectors/http/errors.js';
import { connectTo, readAll } from '../fakes/bamboohr/connect.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { faults, type Fault } from '../fakes/shared/faults.js';

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(err)}`);
  return err;
}

describe('BambooHR connector under faults', () => {
  let fake: FakeBambooHr;
  beforeAll(async () => {
    fake = await startFakeBambooHr({ company: generateCompany({ seed: 5, size: 300 }) });
  });
  afterEach(() => {
    fake.faults.clear();
    fake.setRateLimit(undefined);
    fake.resetCounts();
  });
  afterAll(() => fake.close());

  it.each<[string, Fault[], number]>([
    ['429 without Retry-After', [faults.tooManyRequests()], 2],
    ['429 with Retry-After: 0', [faults.tooManyRequests(0)], 2],
    ['503 twice (older BambooHR throttling)', [faults.unavailable(), faults.unavailable()], 3],
    ['a dropped connection', [{ type: 'reset' }], 2],
    ['502 then 504', [faults.serverError(502), faults.serverError(504)], 3],
    ['a hung request, cut by the timeout', [{ type: 'hang' }], 2],
    ['a body that stalls halfway', [{ type: 'stall_body' }], 2],
    ['a slow but in-time answer', [{ type: 'delay', ms: 100 }], 1],
  ])('recovers from %s', async (_name, plan, reportRequests) => {
    for (const f of plan) fake.faults.next(1, f, 'report');
    const connector = connectTo(fake, { http: { timeoutMs: 300 } });
    const run = await readAll(connector);
    expect(run.byId.size).toBe(300);
    expect(fake.counts().byEndpoint.report).toBe(reportRequests);
    expect(connector.stats.requests).toBe(reportRequests);
  });

  it('honours Retry-After in seconds before retrying', async () => {
    fake.faults.next(1, faults.tooManyRequests(1), 'report');
    const started = Date.now();
    await readAll(connectTo(fake));
    const [first, second] = fake.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it.each<[string, Fault, string, boolean, number]>([
    ['500 is not retried and fails the run as retryable', faults.serverError(500), 'server', true, 1],
    ['invalid JSON is final', { type: 'invalid_json' }, 'invalid_response', false, 1],
    ['throttling that never ends gives up after the retries', faults.unavailable(), 'rate_limited', true, 4],
    ['a request that always hangs times out', { type: 'hang' }, 'timeout', true, 4],
  ])('%s', async (_name, fault, kind, retryable, reportRequests) => {
    fake.faults.next(10, fault, 'report');
    const pages: unknown[] = [];
    const err = await failure((async () => {
      for await (const page of connectTo(fake, { http: { timeoutMs: 100 } }).employees()) pages.push(page);
    })());
    expect(err).toMatchObject({ kind, retryable });
    // Nothing was yielded: a failed run can never be mistaken for a (smaller) snapshot.
    expect(pages).toEqual([]);
    expect(fake.counts().byEndpoint.report).toBe(reportRequests);
  });

  it('fails a run that breaks after a successful validation with a 500 on request 2', async () => {
    fake.faults.at(2, faults.serverError(500));
    const connector = connectTo(fake);
    expect(await connector.validate()).toEqual({ ok: true, warnings: [] });
    expect((await failure(readAll(connector))).status).toBe(500);
    expect(fake.counts().byStatus).toEqual({ 200: 1, 500: 1 });
  });

  it('stops a hung run at once when the caller aborts', async () => {
    fake.faults.next(1, { type: 'hang' }, 'report');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('sync cancelled')), 50);
    await expect(readAll(connectTo(fake, { http: { timeoutMs: 5000 } }), controller.signal)).rejects.toThrow('sync cancelled');
    expect(fake.counts().byEndpoint.report).toBe(1);
  });
});

describe('rate limits against the fake', () => {
  // 3 requests per second, sliding: stands in for a per-minute limit without waiting minutes.
  // A fresh fake per test, so no test waits for another's window to empty.
  let fake: FakeBambooHr;
  beforeEach(async () => {
    fake = await startFakeBambooHr({ rateLimit: { limit: 3, windowMs: 1000, retryAfter: true } });
  });
  afterEach(() => fake.close());

  it('a client without a budget runs into 429s', async () => {
    const connector = connectTo(fake, { http: { maxRetries: 0 } });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await connector.validate());
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.kind)).toEqual(['rate_limited', 'rate_limited']);
    expect(fake.counts().byStatus).toEqual({ 200: 3, 429: 2 });
  });

  it('a budget of 150/min (2.5/s) is spaced so the fake never throttles', async () => {
    // A little under the server's 3/s: requests arrive with network jitter the client cannot see.
    const connector = connectTo(fake, { http: { requestsPerMinute: 150, maxRetries: 0 } });
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect((await connector.validate()).ok).toBe(true);
    expect(fake.counts().byStatus).toEqual({ 200: 5 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 400 - 20);
  });

  it('with retries, a throttled client waits for Retry-After and gets through', async () => {
    const connector = connectTo(fake);
    for (let i = 0; i < 4; i++) expect((await connector.validate()).ok).toBe(true);
    expect(fake.counts().byStatus).toEqual({ 200: 4, 429: 1 });
    expect(connector.stats.throttled).toBe(1);
  });

  it('503-style throttling without Retry-After is retried with backoff', async () => {
    fake.setRateLimit({ limit: 2, windowMs: 200, status: 503 });
    const connector = connectTo(fake, { http: { backoffBaseMs: 100, backoffCapMs: 400, maxRetries: 6 } });
    for (let i = 0; i < 4; i++) expect((await connector.validate()).ok).toBe(true);
    expect(fake.counts().byStatus['200']).toBe(4);
    expect(connector.stats.throttled).toBe(fake.counts().byStatus['503'] ?? 0);
  });
});
