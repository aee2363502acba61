import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAdminToken } from '../../src/auth/admin-jwt.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { repoRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { bambooConnectionBody } from '../support/sync-fixture.js';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver.js';

/**
 * /metrics as Prometheus scrapes it from the real server process, after the three kinds of work
 * an operator watches: a SCIM burst, an HR sync and webhook deliveries.
 */
const secretHex = randomBytes(32).toString('hex');
let server: ServerProcess;
let fake: FakeBambooHr;
let receiver: Receiver;
let admin = '';

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: generateCompany({ seed: 5, size: 60 }) });
  receiver = await startReceiver();
  server = await startServerProcess({ env: { ROLLCALL_SECRET_KEY: secretHex, SYNC_POLL_SECONDS: '0', WEBHOOK_POLL_SECONDS: '0.05' } });
  admin = `Bearer ${await signAdminToken(Buffer.from(secretHex, 'hex'), { subject: 'ops', role: 'operator', ttlSeconds: 600 })}`;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await receiver?.close();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
/** The text exposition format, as far as these assertions need it. */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}
const sum = (samples: Sample[], name: string, where: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

const api = (method: 'get' | 'post', path: string, body?: unknown) =>
  fetch(`${server.baseUrl}/admin/v1${path}`, {
    method: method.toUpperCase(),
    headers: { authorization: admin, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('GET /metrics', () => {
  it('after a SCIM burst, a sync and webhook deliveries, every family is there with plausible values', { timeout: 120_000 }, async () => {
    const hook = await api('post', '/tenants/default/webhooks', { url: receiver.url });
    expect(hook.status).toBe(201);
    receiver.useSecret(((await hook.json()) as { secret: string }).secret);

    const scim = (path: string, init: RequestInit = {}) =>
      fetch(`${server.scimUrl}${path}`, { ...init, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/scim+json', ...init.headers } });
    for (let i = 0; i < 20; i++) {
      const res = await scim('/Users', { method: 'POST', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `m${i}@acme.test` }) });
      expect(res.status).toBe(201);
      const id = ((await res.json()) as { id: string }).id;
      expect((await scim(`/Users/${id}`)).status).toBe(200);
    }
    expect((await scim('/Users/no-such-id')).status).toBe(404);

    const created = await api('post', '/tenants/default/connections', { ...bambooConnectionBody(fake), onboarding: 'auto' });
    expect(created.status, await created.clone().text()).toBe(201);
    const connectionId = ((await created.json()) as { id: string }).id;
    const run = await api('post', `/tenants/default/connections/${connectionId}/sync?wait=true`);
    expect(run.status, await run.clone().text()).toBe(200);
    expect(((await run.json()) as { state: string }).state).toBe('succeeded');
    await until('deliveries', () => receiver.accepted().length >= 20 || undefined, 60_000);

    const res = await fetch(`${server.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const samples = parse(text);

    // HTTP: by route template, never by raw path (no user id may become a label).
    expect(sum(samples, 'rollcall_http_request_duration_seconds_count', { route: '/scim/v2/Users', method: 'POST', status: '201' })).toBe(20);
    expect(sum(samples, 'rollcall_http_request_duration_seconds_count', { route: '/scim/v2/Users/:id', method: 'GET', status: '200' })).toBe(20);
    expect(sum(samples, 'rollcall_http_request_duration_seconds_count', { route: '/scim/v2/Users/:id', method: 'GET', status: '404' })).toBe(1);
    expect(text).not.toMatch(/route="\/scim\/v2\/Users\/[0-9a-f-]{36}"/);
    expect(sum(samples, 'rollcall_http_request_duration_seconds_sum')).toBeGreaterThan(0);
    expect(sum(samples, 'rollcall_scim_rate_limited_total')).toBe(0);

    // Sync: one applied BambooHR run, its phases, what it read and did.
    expect(sum(samples, 'rollcall_sync_runs_total', { provider: 'bamboohr', mode: 'apply', outcome: 'succeeded' })).toBe(1);
    expect(sum(samples, 'rollcall_sync_phase_duration_seconds_count', { provider: 'bamboohr', phase: 'fetch' })).toBe(1);
    expect(sum(samples, 'rollcall_sync_records_fetched_total', { provider: 'bamboohr' })).toBe(60);
    expect(sum(samples, 'rollcall_sync_operations_applied_total', { provider: 'bamboohr', operation: 'create' })).toBeGreaterThan(10);
    expect(sum(samples, 'rollcall_connections', { provider: 'bamboohr', status: 'connected' })).toBe(1);

    // Webhooks: deliveries, their lag, the backlog.
    expect(sum(samples, 'rollcall_webhook_deliveries_total', { outcome: 'delivered' })).toBeGreaterThanOrEqual(20);
    expect(sum(samples, 'rollcall_webhook_delivery_lag_seconds_count')).toBeGreaterThanOrEqual(20);
    expect(samples.some((s) => s.name === 'rollcall_webhook_backlog_events' && s.labels.aggregate === 'max')).toBe(true);

    // The store and the process.
    expect(sum(samples, 'rollcall_db_pool_size')).toBeGreaterThanOrEqual(1);
    expect(sum(samples, 'process_resident_memory_bytes')).toBeGreaterThan(20 * 1024 * 1024);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
    // Tenant ids are never a label.
    expect(samples.every((s) => !('tenant' in s.labels) && !('tenant_id' in s.labels))).toBe(true);
  });

  it('needs no token, and reveals no tenant, user or secret', async () => {
    const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(text).not.toContain(server.token);
    expect(text).not.toContain('default');
    expect(text).not.toMatch(/@acme\.test/);
  });
});

describe('the Grafana dashboard', () => {
  it('is a Grafana dashboard whose every query names a metric the server exports', async () => {
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'src/metrics/grafana-dashboard.json'), 'utf8'));
    expect(dashboard).toMatchObject({ title: 'Rollcall', uid: 'rollcall', schemaVersion: expect.any(Number), panels: expect.any(Array) });
    // Every family the server declares (a gauge with no labelled value yet still has its TYPE line).
    const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const ids = new Set<number>();
    for (const panel of dashboard.panels) {
      expect(panel).toMatchObject({ id: expect.any(Number), type: expect.any(String), title: expect.any(String), gridPos: { x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) } });
      expect(ids.has(panel.id)).toBe(false);
      ids.add(panel.id);
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) {
        const names = [...String(target.expr).matchAll(/\b((?:rollcall|nodejs|process)_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ''));
        expect(names.length, target.expr).toBeGreaterThan(0);
        for (const name of names) expect(exported, `${panel.title}: ${name}`).toContain(name);
      }
    }
  });
});

describe('METRICS_PORT', () => {
  it('moves /metrics to its own port: the public port no longer serves it', { timeout: 120_000 }, async () => {
    const own = await startServerProcess({ env: { METRICS_PORT: '0', SYNC_POLL_SECONDS: '0', WEBHOOK_POLL_SECONDS: '0' } });
    try {
      const port = Number(/Rollcall metrics on http:\/\/[^\s:]+:(\d+)\/metrics/.exec(own.output())?.[1]);
      expect(port).toBeGreaterThan(0);
      expect((await fetch(`${own.baseUrl}/metrics`)).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('rollcall_http_request_duration_seconds');
    } finally {
      await own.stop();
    }
  });
});
