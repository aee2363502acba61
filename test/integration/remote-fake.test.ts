import { afterEach, describe, expect, it } from 'vitest';
import { pendingStatuses } from '../fakes/remote/company.js';
import { generateCompany } from '../fakes/remote/generate.js';
import { createVirtualClock } from '../fakes/remote/harness.js';
import { defaultApiToken, defaultPartner, startFakeRemote, type FakeRemote } from '../fakes/remote/server.js';

/** The fake itself, held to the vendor's documentation: what the connector's tests lean on. */
let fake: FakeRemote | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const get = async (path: string, token = defaultApiToken) => {
  const res = await fetch(`${fake!.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
};
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const token = async (form: Record<string, string>, auth = basic(defaultPartner.id, defaultPartner.secret)) => {
  const res = await fetch(`${fake!.url}/auth/oauth2/token`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as any };
};

describe('fake Remote gateway', () => {
  it('pages of 20 by default, the last page says current_page == total_pages, the incomplete filter', async () => {
    fake = await startFakeRemote({ company: generateCompany({ seed: 3, size: 500 }) });
    const first = await get('/v1/employments');
    expect(first.body.data).toMatchObject({ current_page: 1, total_pages: Math.ceil(fake.company.size() / 20), total_count: fake.company.size() });
    expect(first.body.data.employments).toHaveLength(20);
    const last = await get(`/v1/employments?page=${first.body.data.total_pages}&page_size=20`);
    expect(last.body.data.current_page).toBe(last.body.data.total_pages);
    fake.company.hire({ firstName: 'Zoë', lastName: 'Ólafsdóttir', startDate: '2026-05-01' });
    const incomplete = await get('/v1/employments?status=incomplete&page_size=100');
    expect(incomplete.body.data.employments.length).toBeGreaterThan(0);
    expect(incomplete.body.data.employments.every((e: { status: string }) => pendingStatuses.includes(e.status))).toBe(true);
    expect((await get('/v1/employments?page_size=0')).body).toEqual({ errors: { page_size: ['must be greater than or equal to 1'] } });
  });

  it('rate headers on every answer, 429 with the ms reset once 20 are spent in the minute', async () => {
    const clock = createVirtualClock();
    fake = await startFakeRemote({ company: generateCompany({ seed: 3, size: 5 }), now: clock.now });
    for (let i = 0; i < 20; i++) expect((await get('/v1/employments')).status).toBe(200);
    clock.advance(15_000);
    const over = await get('/v1/employments');
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ message: 'Too many requests' });
    expect(Object.fromEntries(['x-ratelimit-count', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map((h) => [h, over.headers.get(h)]))).toEqual({
      'x-ratelimit-count': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '45000',
    });
    clock.advance(45_000);
    expect((await get('/v1/employments')).status).toBe(200);
  });

  it('company tokens from the refresh grant, partner-only tokens from client credentials, expiry after an hour', async () => {
    const clock = createVirtualClock();
    fake = await startFakeRemote({ company: generateCompany({ seed: 3, size: 5 }), now: clock.now });
    expect((await token({ grant_type: 'client_credentials' }, basic(defaultPartner.id, 'wrong'))).body).toMatchObject({ error: 'invalid_client' });
    const partner = await token({ grant_type: 'client_credentials' });
    expect(partner.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect((await get('/v1/employments', partner.body.access_token)).status).toBe(403);
    expect((await token({ grant_type: 'refresh_token', refresh_token: 'nope' })).status).toBe(400);
    const company = await token({ grant_type: 'refresh_token', refresh_token: fake.authorize() });
    expect((await get('/v1/employments', company.body.access_token)).status).toBe(200);
    clock.advance(3600_000);
    expect(await get('/v1/employments', company.body.access_token)).toMatchObject({ status: 401, body: { message: 'The access token expired' } });
  });
});
