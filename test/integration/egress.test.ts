import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAdminVerifier } from '../../src/auth/admin-jwt.js';
import { createEgress, isEgressRefusal, type Egress } from '../../src/egress/index.js';
import { UNREACHABLE } from '../../src/events/webhooks/post.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startFakeDns, type FakeDns } from '../support/fake-dns.js';
import { startHarness, TEST_SECRET_KEY, type Harness } from '../support/harness.js';
import { createSigningKey, signWith, startJwksServer } from '../support/jwks-server.js';

/**
 * The egress policy against every spelling of an inside address (the README's SSRF table is this
 * list). A target listens on 127.0.0.1 and counts what reaches it: a refused request must not
 * reach it, and refused non-loopback addresses are never connected to (the check comes first).
 * Names resolve through a DNS server on loopback, so `*.nip.io` and rebinding names are real DNS.
 */
let dns: FakeDns;
let strict: Egress;
let target: { server: Server; port: number; hits: string[] };
let h: Harness;
let admin = '';

async function listen(): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(req.url === '/redirect' ? 302 : 200, { location: String(req.headers['x-redirect-to'] ?? '/') }).end('{"keys":[]}');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

beforeEach(() => {
  target.hits.length = 0;
});

beforeAll(async () => {
  dns = await startFakeDns();
  dns.set('127.0.0.1.nip.io', ['127.0.0.1']);
  dns.set('7f000001.nip.io', ['127.0.0.1']);
  dns.set('metadata.google.internal', ['169.254.169.254']);
  dns.set('hooks.corp.test', ['127.0.0.1']);
  dns.set('inside.attacker.test', ['10.0.0.7', 'fd00::7']);
  dns.set('ipv6-loopback.attacker.test', ['::1']);
  dns.set('mapped.attacker.test', ['::ffff:127.0.0.1']);
  // One public address and one inside: the connection could fall back to either, so both are refused.
  dns.set('mixed.attacker.test', ['93.184.216.34', '127.0.0.1']);
  strict = createEgress({ resolve: dns.resolve });
  target = await listen();
  h = await startHarness({ egress: strict });
  admin = await bearerFor({ role: 'admin', tenant: 'acme' });
});
afterAll(async () => {
  await h.close();
  target.server.close();
  await dns.close();
});

const literals = () => {
  const p = target.port;
  return [
    `http://127.0.0.1:${p}/hook`,
    `http://127.0.0.2:${p}/hook`,
    `http://2130706433:${p}/hook`,
    `http://0x7f000001:${p}/hook`,
    `http://0x7f.0.0.1:${p}/hook`,
    `http://0177.0.0.1:${p}/hook`,
    `http://127.1:${p}/hook`,
    `http://[::1]:${p}/hook`,
    `http://[::ffff:127.0.0.1]:${p}/hook`,
    `http://[::ffff:7f00:1]:${p}/hook`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${p}/hook`,
    `http://[::127.0.0.1]:${p}/hook`,
    `http://0.0.0.0:${p}/hook`,
    'http://[::]/hook',
    'http://10.0.0.1/hook',
    'http://172.16.0.1/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://100.64.0.1/hook',
    'http://[fe80::1]/hook',
    'http://[fd12:3456::1]/hook',
    'http://224.0.0.1/hook',
    'http://[ff02::1]/hook',
    'http://255.255.255.255/hook',
    'http://240.0.0.1/hook',
    'http://192.0.2.1/hook',
    'http://198.18.0.1/hook',
    'http://[64:ff9b::7f00:1]/hook',
    'http://[2002:7f00:1::]/hook',
  ];
};
const names = () => {
  const p = target.port;
  return [
    `http://localhost:${p}/hook`,
    `http://127.0.0.1.nip.io:${p}/hook`,
    `http://7f000001.nip.io:${p}/hook`,
    `http://metadata.google.internal/computeMetadata/v1/`,
    `http://inside.attacker.test:${p}/hook`,
    `http://ipv6-loopback.attacker.test:${p}/hook`,
    `http://mapped.attacker.test:${p}/hook`,
    `http://mixed.attacker.test:${p}/hook`,
  ];
};

describe('webhooks under the egress policy', () => {
  const api = (method: 'post' | 'patch', path: string) => h.http[method](`/admin/v1/tenants/acme${path}`).set('authorization', admin);

  it('refuses every spelling of an inside address as a webhook URL at once, with 400', async () => {
    for (const url of literals()) {
      const res = await api('post', '/webhooks').send({ url });
      expect(res.status, url).toBe(400);
      expect(res.body.detail, url).toMatch(/public addresses only .*EGRESS_ALLOWED/);
    }
    expect(target.hits).toEqual([]);
  });

  it('refuses names that resolve inside where the test send connects, with one generic reason, and nothing arrives', async () => {
    for (const url of names()) {
      const created = await api('post', '/webhooks').send({ url });
      expect(created.status, url).toBe(201);
      const sent = await api('post', `/webhooks/${created.body.id}/test`);
      expect(sent.status, url).toBe(200);
      expect(sent.body, url).toMatchObject({ ok: false, status: null, error: UNREACHABLE });
    }
    expect(target.hits).toEqual([]);
  });

  it('a closed port and a refused address answer the same reason: the test button is no port scanner', async () => {
    const closed = await listen();
    closed.server.close();
    dns.set('closed.allowed.test', ['127.0.0.1']);
    const local = await startHarness({ egress: createEgress({ allowed: ['closed.allowed.test'], resolve: dns.resolve }) });
    try {
      const token = await bearerFor({ role: 'admin', tenant: 'acme' });
      const created = await local.http.post('/admin/v1/tenants/acme/webhooks').set('authorization', token).send({ url: `http://closed.allowed.test:${closed.port}/hook` });
      const sent = await local.http.post(`/admin/v1/tenants/acme/webhooks/${created.body.id}/test`).set('authorization', token);
      expect(sent.body).toMatchObject({ ok: false, status: null, error: UNREACHABLE });
      const log = await local.http.get(`/admin/v1/tenants/acme/webhooks/${created.body.id}/deliveries`).set('authorization', token);
      expect(log.body.items[0]).toMatchObject({ state: 'failed', lastError: UNREACHABLE });
      expect(JSON.stringify(log.body)).not.toMatch(/ECONNREFUSED|EGRESS|127\.0\.0\.1/);
    } finally {
      await local.close();
    }
  });

  it('a self-hosted receiver is reached once the operator allows its host (or its range: see the fetch below)', async () => {
    const local = await startHarness({ egress: createEgress({ allowed: ['hooks.corp.test'], resolve: dns.resolve }) });
    try {
      const token = await bearerFor({ role: 'admin', tenant: 'acme' });
      const created = await local.http.post('/admin/v1/tenants/acme/webhooks').set('authorization', token).send({ url: `http://hooks.corp.test:${target.port}/self-hosted` });
      const sent = await local.http.post(`/admin/v1/tenants/acme/webhooks/${created.body.id}/test`).set('authorization', token);
      expect(sent.body).toMatchObject({ ok: true, status: 200 });
    } finally {
      await local.close();
    }
    expect(target.hits).toEqual(['POST /self-hosted']);
  });
});

describe('the egress fetch (HR APIs and the JWKS)', () => {
  it('reaches an inside host by an allowed range, and only that range', async () => {
    const policy = createEgress({ allowed: ['127.0.0.0/8'], resolve: dns.resolve });
    expect((await policy.fetch(`http://hooks.corp.test:${target.port}/by-range`)).status).toBe(200);
    expect(isEgressRefusal(await policy.fetch('http://10.0.0.1/').then(() => undefined, (e: unknown) => e))).toBe(true);
    expect(target.hits).toEqual(['GET /by-range']);
  });

  it('refuses every spelling and every inside name before sending anything', async () => {
    for (const url of [...literals(), ...names()]) {
      const error = await strict.fetch(url).then(() => undefined, (e: unknown) => e);
      expect(isEgressRefusal(error), url).toBe(true);
    }
    expect(target.hits).toEqual([]);
  });

  it('checks the address it connects to, once: a rebinding name cannot pass the check and connect elsewhere', async () => {
    // 127.0.0.2 stands in for a public address (allowed here); nothing listens there. A client that
    // checked one resolution and connected with another would reach the target on 127.0.0.1.
    const policy = createEgress({ allowed: ['127.0.0.2'], resolve: dns.resolve });
    dns.set('rebind.attacker.test', (n) => (n === 1 ? ['127.0.0.2'] : ['127.0.0.1']));
    const first = await policy.fetch(`http://rebind.attacker.test:${target.port}/rebind`).then(() => undefined, (e: unknown) => e);
    expect(isEgressRefusal(first)).toBe(false); // connected to the checked 127.0.0.2: refused by the OS, not by us
    expect(dns.queries('rebind.attacker.test')).toBe(1);
    const second = await policy.fetch(`http://rebind.attacker.test:${target.port}/rebind`).then(() => undefined, (e: unknown) => e);
    expect(isEgressRefusal(second)).toBe(true);
    expect(target.hits).toEqual([]);
  });

  it('never follows a redirect to a refused address, and by default follows none', async () => {
    dns.set('hr.allowed.test', ['127.0.0.1']);
    const policy = createEgress({ allowed: ['hr.allowed.test'], resolve: dns.resolve });
    const inside = `http://127.0.0.1:${target.port}/inside`;
    const manual = await policy.fetch(`http://hr.allowed.test:${target.port}/redirect`, { headers: { 'x-redirect-to': inside } });
    expect(manual.status).toBe(302);
    const followed = await policy.fetch(`http://hr.allowed.test:${target.port}/redirect`, { headers: { 'x-redirect-to': inside }, redirect: 'follow' }).then(() => undefined, (e: unknown) => e);
    expect(isEgressRefusal(followed)).toBe(true);
    expect(target.hits).toEqual(['GET /redirect', 'GET /redirect']);
  });

  it("an identity provider's key set on an inside address is not fetched unless allowed", async () => {
    const key = await createSigningKey('RS256', 'k1');
    const jwks = await startJwksServer([key]);
    try {
      const idp = { issuer: 'https://idp.test', audience: 'rollcall', jwksUrl: jwks.url, roleClaim: 'rollcall_role', tenantClaim: 'rollcall_tenant' };
      const token = await signWith(key, { rollcall_role: 'operator' }, { iss: idp.issuer, aud: idp.audience });
      const refused = createAdminVerifier(TEST_SECRET_KEY, { ...idp, fetch: strict.fetch });
      await expect(refused(`Bearer ${token}`)).rejects.toMatchObject({ code: 'unauthorized' });
      expect(jwks.fetches).toBe(0);
      const allowed = createAdminVerifier(TEST_SECRET_KEY, { ...idp, fetch: createEgress({ allowed: ['127.0.0.1'] }).fetch });
      await expect(allowed(`Bearer ${token}`)).resolves.toMatchObject({ role: 'operator' });
      expect(jwks.fetches).toBe(1);
    } finally {
      await jwks.close();
    }
  });
});
