import { createAdaptorServer } from '@hono/node-server';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createRateLimiter, rateLimited } from '../../src/auth/rate-limit.js';
import { createScimToken, createTokenVerifier } from '../../src/auth/scim-tokens.js';
import { createLogger } from '../../src/log.js';
import { USER_SCHEMA } from '../support/admin-fixtures.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

const T0 = 1_700_000_000_000;

/** Takes until refused at one instant; returns how many were allowed and the wait the refusal named. */
function drain(limiter: ReturnType<typeof createRateLimiter>, key: string, at: number) {
  let allowed = 0;
  for (; allowed < 10_000; allowed++) {
    const wait = limiter.take(key, at);
    if (wait > 0) return { allowed, wait };
  }
  throw new Error('never refused');
}

describe('createRateLimiter', () => {
  it.each([
    [2, undefined, 4],
    [2, 2, 2],
    [1, 5, 5],
    [0.5, 1, 1],
    [100, 10, 10],
  ])('%d/s with burst %s allows %d at once', (perSecond, burst, expected) => {
    expect(drain(createRateLimiter(perSecond, burst), 'k', T0).allowed).toBe(expected);
  });

  it.each([
    [2, 2, 1],
    [1, 1, 1],
    [0.5, 1, 2],
    [0.25, 2, 4],
    [1000, 5, 1],
  ])('%d/s (burst %d): Retry-After is %d s, and waiting exactly that long is enough', (perSecond, burst, seconds) => {
    const limiter = createRateLimiter(perSecond, burst);
    expect(drain(limiter, 'k', T0).wait).toBe(seconds);
    expect(limiter.take('k', T0 + seconds * 1000)).toBe(0);
  });

  it('refills at the rate: half a token after half the interval is not enough, a whole one is', () => {
    const limiter = createRateLimiter(1, 1);
    drain(limiter, 'k', T0);
    expect(limiter.take('k', T0 + 500)).toBe(1);
    expect(limiter.take('k', T0 + 1000)).toBe(0);
    expect(limiter.take('k', T0 + 1000)).toBeGreaterThan(0);
  });

  it('refused requests cost nothing, and an idle bucket holds no more than the burst', () => {
    const limiter = createRateLimiter(2, 3);
    drain(limiter, 'k', T0);
    for (let i = 0; i < 100; i++) limiter.take('k', T0 + i);
    expect(limiter.take('k', T0 + 600)).toBe(0);
    expect(drain(limiter, 'k', T0 + 3_600_000).allowed).toBe(3);
  });

  it('keeps one bucket per key, and 0/s turns the limit off', () => {
    const limiter = createRateLimiter(1, 1);
    drain(limiter, 'a', T0);
    expect(limiter.take('b', T0)).toBe(0);
    const off = createRateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(off.take('k', T0)).toBe(0);
  });
});

describe('rate limiting over HTTP', () => {
  let h: Harness;
  let http: ReturnType<typeof supertest>;
  let close: () => void;

  beforeAll(async () => {
    h = await startHarness();
    const app = createApp({
      database: h.db,
      env: { BODY_LIMIT: 1024 * 1024, SCIM_MAX_RESULTS: 100 },
      log: createLogger('silent'),
      tokens: rateLimited(createTokenVerifier(h.db.db, { cacheMs: 0 }), createRateLimiter(2, 2)),
    });
    const server = createAdaptorServer({ fetch: app.fetch });
    http = supertest(server);
    close = () => server.close();
  });
  afterAll(async () => {
    close();
    await h.close();
  });

  const get = (secret: string) => http.get('/scim/v2/Users').set('authorization', `Bearer ${secret}`);

  it('answers 429 with Retry-After and a SCIM error after the burst, per token', async () => {
    const token = (await createScimToken(h.db.db, h.tenantId, { name: 'busy' })).secret;
    const sameTenant = (await createScimToken(h.db.db, h.tenantId, { name: 'calm' })).secret;
    expect((await get(token)).status).toBe(200);
    expect((await get(token)).status).toBe(200);
    const limited = await get(token);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(limited.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(limited.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: expect.any(String) });
    // Another token, of this tenant or another, has its own bucket.
    expect((await get(sameTenant)).status).toBe(200);
    expect((await get(h.other.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Number(limited.headers['retry-after']) * 1000 + 100));
    expect((await get(token)).status).toBe(200);
  });

  it('an invalid token is 401, never 429, however often it is tried', async () => {
    for (let i = 0; i < 5; i++) expect((await get('rc_scim_not-a-token')).status).toBe(401);
  });

  // A Bulk request is one request: its operations run as the caller already authenticated, so a
  // Bulk within maxOperations is never throttled op by op (each op answering 429 inside a 200).
  it('charges a Bulk request once, not once per operation', async () => {
    const token = (await createScimToken(h.db.db, h.tenantId, { name: 'bulk' })).secret;
    const Operations = [1, 2, 3].map((i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: { schemas: [USER_SCHEMA], userName: `bulk${i}@acme.test` } }));
    const res = await http
      .post('/scim/v2/Bulk')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', SCIM)
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations });
    expect(res.status).toBe(200);
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '201']);
  });
});
