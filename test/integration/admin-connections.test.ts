import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, fakeNow, fastBambooHr } from '../support/sync-fixture.js';

/**
 * HR connections through the admin API, over HTTP, against the fake BambooHR: connect, configure,
 * preview, sync now (waiting, and 202 then polling), the history, candidates → invited → active,
 * the safety stop's approve and reject, and both disconnect modes; who may do what; the audit log.
 */
let h: Harness;
let fake: FakeBambooHr;
/** A second HR account, for the other tenant. */
let globexFake: FakeBambooHr;
let admin: string;
let auditor: string;
let globexAdmin: string;

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: scenarioCompany(), keys: { [defaultKey]: {}, 'read-nothing': { access: 'none' } } });
  globexFake = await startFakeBambooHr({ company: scenarioCompany({ domain: 'globex' }) });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake), batchSize: 5 } });
  admin = await bearerFor({ role: 'admin', tenant: 'acme' }, 'alice');
  auditor = await bearerFor({ role: 'auditor', tenant: 'acme' }, 'ada');
  globexAdmin = await bearerFor({ role: 'admin', tenant: 'globex' }, 'gus');
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
  await globexFake?.close();
});

const acme = '/admin/v1/tenants/acme';
const globex = '/admin/v1/tenants/globex';
const as = (bearer: string) => ({
  get: (path: string) => h.http.get(path).set('authorization', bearer),
  post: (path: string, body?: object) => h.http.post(path).set('authorization', bearer).send(body ?? {}),
  patch: (path: string, body: object) => h.http.patch(path).set('authorization', bearer).send(body),
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const finished = (path: string) =>
  until(`${path} to finish`, async () => {
    const res = await as(admin).get(path);
    return res.body.state === 'running' ? undefined : res.body;
  });

const state: { connectionId: string; previewId: string; appliedId: string; candidate: string; heldId: string; userIds: string[] } = {
  connectionId: '',
  previewId: '',
  appliedId: '',
  candidate: '',
  heldId: '',
  userIds: [],
};

describe('an HR connection through the admin API', () => {
  it('refuses credentials the HR system refuses with 400 naming why, and stores nothing', async () => {
    const wrongKey = await as(admin).post(`${acme}/connections`, bambooConnectionBody(fake, { credentials: { companyDomain: 'acme', apiKey: 'wrong-key' } }));
    expect(wrongKey.status).toBe(400);
    expect(wrongKey.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrongKey.body).toMatchObject({ status: 400, code: 'invalid_value', reason: 'invalid_credentials', detail: expect.stringContaining('rejected the API key') });

    const noAccess = await as(admin).post(`${acme}/connections`, bambooConnectionBody(fake, { credentials: { companyDomain: 'acme', apiKey: 'read-nothing' } }));
    expect(noAccess.status).toBe(400);
    expect(noAccess.body).toMatchObject({ reason: 'missing_permission', detail: expect.stringContaining('may not read employee data') });

    const shapeless = await as(admin).post(`${acme}/connections`, bambooConnectionBody(fake, { credentials: { companyDomain: 'acme' } }));
    expect(shapeless.status).toBe(400);
    expect(shapeless.body.detail).toMatch(/apiKey/);
    const unknownProvider = await as(admin).post(`${acme}/connections`, { provider: 'sage-hr', credentials: {} });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body.detail).toMatch(/^body\.provider/);

    expect((await as(admin).get(`${acme}/connections`)).body).toEqual([]);
  });

  it('connects (201, awaiting configuration, no credentials in the answer), lists and shows it', async () => {
    const res = await as(admin).post(`${acme}/connections`, bambooConnectionBody(fake, { scheduleMinutes: 60 }));
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ provider: 'bamboohr', status: 'awaiting_configuration', onboarding: 'review', scheduleMinutes: 60, safetyThresholdPercent: 20 });
    expect(res.text).not.toContain(defaultKey);
    expect(res.body).not.toHaveProperty('credentials');
    state.connectionId = res.body.id;

    const listed = await as(auditor).get(`${acme}/connections`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((c: { id: string }) => c.id)).toEqual([state.connectionId]);
    const shown = await as(auditor).get(`${acme}/connections/${state.connectionId}`);
    expect(shown.body).toEqual(res.body);
    expect((await as(admin).get(`${acme}/connections/0190a000-0000-7000-8000-000000000000`)).status).toBe(404);
    expect((await as(admin).get(`${acme}/connections/not-a-uuid`)).status).toBe(404);
  });

  it('configures settings and new credentials (checked first)', async () => {
    const path = `${acme}/connections/${state.connectionId}`;
    const bad = await as(admin).patch(path, { scope: [{ field: 'shoeSize', op: 'in', values: ['42'] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/scope\.0\.field/);
    const badSettings = await as(admin).patch(path, { settings: { apiVersion: 'v2' } });
    expect(badSettings.status).toBe(400);
    expect(badSettings.body.detail).toMatch(/bamboohr settings: settings: Unrecognized key/);
    const refused = await as(admin).patch(path, { credentials: { companyDomain: 'acme', apiKey: 'wrong-key' } });
    expect(refused.status).toBe(400);
    expect(refused.body.reason).toBe('invalid_credentials');

    const res = await as(admin).patch(path, { scheduleMinutes: 180, safetyThresholdPercent: 30, credentials: { companyDomain: 'acme', apiKey: defaultKey } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ scheduleMinutes: 180, safetyThresholdPercent: 30, status: 'awaiting_configuration' });
    const back = await as(admin).patch(path, { safetyThresholdPercent: 20 });
    expect(back.body.safetyThresholdPercent).toBe(20);
  });

  it('previews: the run with counts and operations, and no user written', async () => {
    const res = await as(admin).post(`${acme}/connections/${state.connectionId}/preview`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ mode: 'preview', trigger: 'manual', state: 'succeeded', counts: { create: 12, archive: 0 } });
    expect(res.body.operations).toHaveLength(12);
    expect(res.body.operations[0]).toMatchObject({ kind: 'create', remoteId: expect.any(String), reason: expect.any(String) });
    expect(res.body.conflicts.length).toBeGreaterThan(0);
    state.previewId = res.body.id;
    expect((await as(admin).get(`${acme}/users`)).body.total).toBe(0);
    expect((await as(admin).get(`${acme}/connections/${state.connectionId}`)).body.status).toBe('awaiting_configuration');
  });

  it('syncs now and waits: 200 with the finished run; the connection is connected', async () => {
    const res = await as(admin).post(`${acme}/connections/${state.connectionId}/sync?wait=true`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ mode: 'apply', state: 'succeeded', counts: { create: 12, applied: 12, failed: 0 } });
    expect(res.body).not.toHaveProperty('operations');
    state.appliedId = res.body.id;
    expect((await as(admin).get(`${acme}/users`)).body.total).toBe(12);
    expect((await as(admin).get(`${acme}/connections/${state.connectionId}`)).body).toMatchObject({ status: 'connected', statusReason: null });
  });

  it('syncs now in the background: 202 with the running run, 409 for a second one meanwhile, then polled to the end', async () => {
    fake.company.hire({ firstName: 'Nina', lastName: 'New', workEmail: 'nina.new@acme.test', supervisorEId: '9' });
    fake.latencyMs = 400;
    try {
      const res = await as(admin).post(`${acme}/connections/${state.connectionId}/sync`);
      expect(res.status, res.text).toBe(202);
      expect(res.body).toMatchObject({ mode: 'apply', state: 'running', finished: null });
      const again = await as(admin).post(`${acme}/connections/${state.connectionId}/sync`);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'conflict', detail: expect.stringContaining('already running') });
      expect((await as(admin).post(`${acme}/connections/${state.connectionId}/preview`)).status).toBe(409);
      const done = await finished(`${acme}/runs/${res.body.id}`);
      expect(done).toMatchObject({ state: 'succeeded', counts: { create: 1, unchanged: 12, applied: 1 } });
    } finally {
      fake.latencyMs = 0;
    }
  });

  it('lists the history newest first, in pages; a run shows its operations on request', async () => {
    const all = await as(auditor).get(`${acme}/connections/${state.connectionId}/runs`);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(3);
    expect(all.body.items.map((r: { mode: string }) => r.mode)).toEqual(['apply', 'apply', 'preview']);
    expect(all.body.nextBefore).toBeUndefined();
    const first = await as(auditor).get(`${acme}/connections/${state.connectionId}/runs?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await as(auditor).get(`${acme}/connections/${state.connectionId}/runs?limit=2&before=${first.body.nextBefore}`);
    expect(second.body.items.map((r: { id: string }) => r.id)).toEqual([state.previewId]);

    const plain = await as(auditor).get(`${acme}/runs/${state.appliedId}`);
    expect(plain.body).not.toHaveProperty('operations');
    const detailed = await as(auditor).get(`${acme}/runs/${state.appliedId}?operations=true`);
    expect(detailed.body.operations).toHaveLength(12);
    expect((await as(auditor).get(`${acme}/runs/0190a000-0000-7000-8000-000000000000`)).status).toBe(404);
  });

  it('lists candidates, invites one and records the acceptance', async () => {
    const listed = await as(auditor).get(`${acme}/connections/${state.connectionId}/candidates`);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(13);
    expect(listed.body[0]).toMatchObject({ lifecycle: 'candidate', management: 'managed', connectionId: state.connectionId });
    const filtered = await as(auditor).get(`${acme}/candidates?connection=${state.connectionId}`);
    expect(filtered.body).toEqual(listed.body);
    expect((await as(auditor).get(`${acme}/candidates`)).body).toEqual(listed.body);
    state.candidate = listed.body[0].id;

    expect((await as(admin).post(`${acme}/users/${state.candidate}/accept`)).status).toBe(409);
    const invited = await as(admin).post(`${acme}/users/${state.candidate}/invite`);
    expect(invited.status, invited.text).toBe(200);
    expect(invited.body).toMatchObject({ id: state.candidate, lifecycle: 'invited' });
    const twice = await as(admin).post(`${acme}/users/${state.candidate}/invite`);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/invited, not candidate/);
    const accepted = await as(admin).post(`${acme}/users/${state.candidate}/accept`);
    expect(accepted.body).toMatchObject({ lifecycle: 'active' });
    expect((await as(auditor).get(`${acme}/candidates`)).body).toHaveLength(12);
  });

  it('a background run the HR system refuses fails on its own; new credentials bring the connection back', async () => {
    fake.keys.delete(defaultKey);
    try {
      const res = await as(admin).post(`${acme}/connections/${state.connectionId}/sync`);
      expect(res.status).toBe(202);
      const done = await finished(`${acme}/runs/${res.body.id}`);
      expect(done).toMatchObject({ state: 'failed', error: expect.stringContaining('401') });
      expect((await as(admin).get(`${acme}/connections/${state.connectionId}`)).body).toMatchObject({ status: 'error', statusReason: 'invalid_credentials', nextRunAt: null });
    } finally {
      fake.keys.set(defaultKey, {});
    }
    const fixed = await as(admin).patch(`${acme}/connections/${state.connectionId}`, { credentials: { companyDomain: 'acme', apiKey: defaultKey } });
    expect(fixed.body).toMatchObject({ status: 'connected', statusReason: null, consecutiveFailures: 0 });
  });

  it('holds a run when the HR system answers no one, until an admin rejects or approves it', async () => {
    const people = fake.company.list().map((p) => p.id);
    for (const id of people) fake.company.remove(id);
    const held = await as(admin).post(`${acme}/connections/${state.connectionId}/sync?wait=true`);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ state: 'held', held: { reason: expect.stringContaining('returned no employees') } });
    expect((await as(admin).get(`${acme}/connections/${state.connectionId}`)).body).toMatchObject({ status: 'error', statusReason: 'needs_approval' });
    expect((await as(auditor).post(`${acme}/runs/${held.body.id}/reject`)).status).toBe(403);

    const rejected = await as(admin).post(`${acme}/runs/${held.body.id}/reject`);
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ id: held.body.id, state: 'rejected', decidedBy: 'admin:alice' });
    expect((await as(admin).get(`${acme}/connections/${state.connectionId}`)).body.status).toBe('connected');
    expect((await as(admin).post(`${acme}/runs/${held.body.id}/approve`)).status).toBe(409);

    const again = await as(admin).post(`${acme}/connections/${state.connectionId}/sync?wait=true`);
    expect(again.body.state).toBe('held');
    state.heldId = again.body.id;
    const approved = await as(admin).post(`${acme}/runs/${state.heldId}/approve`);
    expect(approved.status, approved.text).toBe(202);
    expect(approved.body).toMatchObject({ trigger: 'approval', mode: 'apply' });
    const done = await finished(`${acme}/runs/${approved.body.id}`);
    expect(done.state).toBe('succeeded');
    expect(done.counts.archive).toBeGreaterThan(5);
    expect((await as(admin).get(`${acme}/runs/${state.heldId}`)).body).toMatchObject({ state: 'approved', decidedBy: 'admin:alice' });
    expect((await as(admin).post(`${acme}/runs/${state.heldId}/approve?wait=true`)).status).toBe(409);
  });

  it('keeps every user when disconnected in keep mode; the connection then refuses to sync', async () => {
    const before = (await as(admin).get(`${acme}/users?count=100`)).body;
    const res = await as(admin).post(`${acme}/connections/${state.connectionId}/disconnect`, { mode: 'keep' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ mode: 'keep', kept: before.total, removed: 0, connection: { id: state.connectionId, status: 'disconnected' } });
    const after = (await as(admin).get(`${acme}/users?count=100`)).body;
    expect(after.total).toBe(before.total);
    expect(after.items.every((u: { management: string }) => u.management === 'manual')).toBe(true);
    state.userIds = after.items.map((u: { id: string }) => u.id);
    expect((await as(admin).post(`${acme}/connections/${state.connectionId}/sync`)).status).toBe(409);
    expect((await as(admin).post(`${acme}/connections/${state.connectionId}/disconnect`, {})).status).toBe(409);
    expect((await as(admin).patch(`${acme}/connections/${state.connectionId}`, { onboarding: 'auto' })).status).toBe(409);
  });

  it('removes candidates and pending invitations in clean mode; accepted users stay', async () => {
    h.connections.connectors = fastBambooHr(globexFake);
    try {
      const created = await as(globexAdmin).post(`${globex}/connections`, bambooConnectionBody(globexFake, { disconnectMode: 'clean' }));
      expect(created.status, created.text).toBe(201);
      const id = created.body.id;
      expect((await as(globexAdmin).post(`${globex}/connections/${id}/sync?wait=true`)).body.counts.create).toBe(12);
      const [first, second] = (await as(globexAdmin).get(`${globex}/connections/${id}/candidates`)).body as { id: string }[];
      await as(globexAdmin).post(`${globex}/users/${first!.id}/invite`).expect(200);
      await as(globexAdmin).post(`${globex}/users/${first!.id}/accept`).expect(200);
      await as(globexAdmin).post(`${globex}/users/${second!.id}/invite`).expect(200);

      const res = await as(globexAdmin).post(`${globex}/connections/${id}/disconnect`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ mode: 'clean', kept: 1, removed: 11, connection: { status: 'disconnected' } });
      const left = (await as(globexAdmin).get(`${globex}/users`)).body;
      expect(left.items.map((u: { id: string }) => u.id)).toEqual([first!.id]);
      expect(left.items[0]).toMatchObject({ lifecycle: 'active', management: 'manual' });
    } finally {
      h.connections.connectors = fastBambooHr(fake);
    }
  });
});

describe('who may act on connections', () => {
  it('auditors read, but cannot connect, configure, preview, sync, decide, invite or disconnect', async () => {
    const c = `${acme}/connections`;
    const writes = [
      as(auditor).post(c, bambooConnectionBody(fake)),
      as(auditor).patch(`${c}/${state.connectionId}`, { onboarding: 'auto' }),
      as(auditor).post(`${c}/${state.connectionId}/preview`),
      as(auditor).post(`${c}/${state.connectionId}/sync`),
      as(auditor).post(`${c}/${state.connectionId}/disconnect`),
      as(auditor).post(`${acme}/runs/${state.heldId}/approve`),
      as(auditor).post(`${acme}/users/${state.userIds[0]}/invite`),
      as(auditor).post(`${acme}/users/${state.userIds[0]}/accept`),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status, res.text).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden' });
    }
  });

  it("another tenant's admin gets 403 on this tenant's paths and 404 for its ids on their own", async () => {
    expect((await as(globexAdmin).get(`${acme}/connections`)).status).toBe(403);
    expect((await as(globexAdmin).get(`${acme}/connections/${state.connectionId}`)).status).toBe(403);
    const probes = [
      as(globexAdmin).get(`${globex}/connections/${state.connectionId}`),
      as(globexAdmin).patch(`${globex}/connections/${state.connectionId}`, { onboarding: 'auto' }),
      as(globexAdmin).get(`${globex}/connections/${state.connectionId}/runs`),
      as(globexAdmin).get(`${globex}/connections/${state.connectionId}/candidates`),
      as(globexAdmin).get(`${globex}/candidates?connection=${state.connectionId}`),
      as(globexAdmin).post(`${globex}/connections/${state.connectionId}/preview`),
      as(globexAdmin).post(`${globex}/connections/${state.connectionId}/sync`),
      as(globexAdmin).post(`${globex}/connections/${state.connectionId}/disconnect`),
      as(globexAdmin).get(`${globex}/runs/${state.appliedId}`),
      as(globexAdmin).post(`${globex}/runs/${state.heldId}/approve`),
      as(globexAdmin).post(`${globex}/runs/${state.heldId}/reject`),
      as(globexAdmin).post(`${globex}/users/${state.userIds[0]}/invite`),
      as(globexAdmin).post(`${globex}/users/${state.userIds[0]}/accept`),
    ];
    for (const [i, res] of (await Promise.all(probes)).entries()) {
      expect(res.status, `probe ${i}: ${res.text}`).toBe(404);
      expect(res.text).not.toContain('acme');
    }
  });
});

describe('the audit log of connection work', () => {
  it('records every action with its target, and never the API key', async () => {
    const found = await rows<{ action: string; target: string; actor: string; detail: Record<string, unknown> }>(
      h.db.db,
      sql`select a.action, a.target, a.actor, a.detail from audit_log a join tenants t on t.id = a.tenant_id where t.slug = 'acme' order by a.id`,
    );
    expect(found.map((r) => r.action)).toEqual([
      'connection.create',
      'connection.configure',
      'connection.configure',
      'connection.preview',
      'connection.sync',
      'connection.sync',
      'user.invite',
      'user.accept',
      'connection.sync',
      'connection.configure',
      'connection.sync',
      'run.reject',
      'connection.sync',
      'run.approve',
      'connection.disconnect',
    ]);
    expect(found.every((r) => r.actor === 'admin:alice')).toBe(true);
    expect(found[0]).toMatchObject({ target: state.connectionId, detail: { provider: 'bamboohr', scheduleMinutes: 60 } });
    expect(found[1]!.detail).toMatchObject({ changed: ['credentials', 'safetyThresholdPercent', 'scheduleMinutes'], credentials: 'replaced' });
    expect(found.find((r) => r.action === 'run.approve')).toMatchObject({ target: state.heldId, detail: { runId: expect.any(String) } });
    expect(found.find((r) => r.action === 'connection.disconnect')!.detail).toMatchObject({ mode: 'keep', removed: 0 });
    const everything = JSON.stringify(await rows(h.db.db, sql`select * from audit_log`));
    expect(everything).not.toContain(defaultKey);
    expect(everything).not.toContain('wrong-key');
  });
});
