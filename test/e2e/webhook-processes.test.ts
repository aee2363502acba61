import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signAdminToken } from '../../src/auth/admin-jwt.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/client.js';
import { createUsers } from '../../src/directory/users/create-users.js';
import { uuidv7 } from '../../src/db/ids.js';
import { readFeed } from '../../src/events/feed.js';
import { createEndpoint } from '../../src/events/webhooks/endpoints.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/database.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startReceiver, until, type Receiver, type Script } from '../support/webhook-receiver.js';

/**
 * Real server processes delivering webhooks from one PostgreSQL: a process killed in the middle of
 * a delivery loses nothing (the next one resends it under the same id), and two processes polling
 * the same endpoints never send a delivery twice. (The embedded store admits one process.)
 */
const secretHex = randomBytes(32).toString('hex');
const key = Buffer.from(secretHex, 'hex');
let database: TestDatabase;
const servers: ServerProcess[] = [];
const receivers: Receiver[] = [];

const WEBHOOK_ENV = {
  SYNC_POLL_SECONDS: '0',
  WEBHOOK_POLL_SECONDS: '0.05',
  WEBHOOK_LEASE_SECONDS: '2',
  WEBHOOK_TIMEOUT_SECONDS: '1',
  WEBHOOK_RETRY_BASE_SECONDS: '0.05',
  WEBHOOK_RETRY_MAX_SECONDS: '0.2',
};

async function startReplica(): Promise<ServerProcess> {
  const server = await startServerProcess({ expectToken: false, env: { DATABASE_URL: database.url!, ROLLCALL_SECRET_KEY: secretHex, ...WEBHOOK_ENV } });
  servers.push(server);
  return server;
}

/** `count` users created as an HR sync creates them: one statement, one user.created each. */
async function hires(tenantId: string, tag: string, count: number) {
  const ctx = { db: database.db, tenantId, source: { kind: 'system' as const, id: 'test' } };
  await createUsers(ctx, Array.from({ length: count }, (_, i) => ({ id: uuidv7(), doc: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `${tag}-${i}@x.test` } })));
}

async function hook(tenantId: string, script: Script) {
  const receiver = await startReceiver(script);
  receivers.push(receiver);
  const { endpoint, secret } = await createEndpoint(database.db, key, tenantId, { url: receiver.url });
  receiver.useSecret(secret);
  return { receiver, endpoint };
}

const feedOf = async (tenantId: string, after: { xid: string; seq: number }) => (await readFeed(database.db, tenantId, { after, limit: 1000 })).items;

describe.skipIf(!testDatabaseUrl)('webhooks across server processes on one PostgreSQL', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop().catch(() => {});
    for (const r of receivers) await r.close();
    await database?.drop();
  });

  it('a process killed mid-delivery loses nothing: the next one resends that delivery under the same id', async () => {
    const tenantId = (await createTenant(database.db, 'crash')).id;
    let inFlight: () => void = () => {};
    const caught = new Promise<void>((ok) => (inFlight = ok));
    // The sixth request is left unanswered, and the process sending it is killed meanwhile.
    const { receiver, endpoint } = await hook(tenantId, (n) => {
      if (n !== 5) return 200;
      inFlight();
      return 'hang';
    });
    await hires(tenantId, 'before', 20);
    const doomed = await startReplica();
    await caught;
    await doomed.kill();
    const beforeKill = receiver.received.map((r) => r.deliveryId);
    const stuck = beforeKill[5]!;
    await hires(tenantId, 'while-down', 10);

    await startReplica();
    const feed = await feedOf(tenantId, { xid: endpoint.cursorXid, seq: Number(endpoint.cursorSeq) });
    expect(feed).toHaveLength(30);
    await until('every event accepted', () => receiver.accepted().length >= feed.length || undefined, 60_000);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would have arrived by now

    // A receiver keeping the first of each delivery id sees every event once, in feed order.
    const accepted = receiver.accepted().map((r) => r.deliveryId);
    expect([...new Set(accepted)]).toEqual(feed.map((e) => `${endpoint.id}:${e.id}`));
    expect(receiver.received.filter((r) => r.deliveryId === stuck).map((r) => r.answered)).toEqual([null, 200]);
    // Sent twice: only what the killed process had sent and not yet recorded, under the same ids.
    const repeated = accepted.filter((id, i) => accepted.indexOf(id) !== i);
    for (const id of repeated) expect(beforeKill).toContain(id);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    for (const server of servers.splice(0)) await server.stop();
  });

  it('two processes share the endpoints and never send the same delivery twice', async () => {
    const tenantId = (await createTenant(database.db, 'pair')).id;
    // Three endpoints, so both processes have work at once and claim against each other.
    const ok: Script = () => 200;
    const hooks = [await hook(tenantId, ok), await hook(tenantId, ok), await hook(tenantId, ok)];
    await Promise.all([startReplica(), startReplica()]);
    for (let round = 0; round < 4; round++) await hires(tenantId, `pair-${round}`, 15);
    // The feed shows an event once no older transaction is still open; the two replicas' own
    // claims may be, for a moment, so the read waits for the 60 writes to become visible.
    const after = { xid: hooks[0]!.endpoint.cursorXid, seq: Number(hooks[0]!.endpoint.cursorSeq) };
    const feed = await until('the 60 hires in the feed', async () => {
      const items = await feedOf(tenantId, after);
      return items.length >= 60 ? items : undefined;
    });
    expect(feed).toHaveLength(60);
    for (const { receiver } of hooks) await until('every event at every endpoint', () => receiver.received.length >= feed.length || undefined, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const { receiver, endpoint } of hooks) {
      expect(receiver.received.map((r) => r.deliveryId)).toEqual(feed.map((e) => `${endpoint.id}:${e.id}`));
      expect(receiver.received.every((r) => r.signatureValid && r.answered === 200)).toBe(true);
    }
    const attempts = await query<{ attempts: number; n: string | number }>(database.db, 'select attempts, count(*) as n from webhook_deliveries where tenant_id = $1 group by attempts', [tenantId]);
    expect(attempts.map((a) => [a.attempts, Number(a.n)])).toEqual([[1, 180]]);
    for (const server of servers.splice(0)) await server.stop();
  });
});

/**
 * The same crash on the embedded store, which one process at a time owns: the server is killed in
 * the middle of a delivery and started again on the same data directory.
 */
describe.skipIf(!!testDatabaseUrl)('webhooks across a crash of the embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-webhook-crash-'));
  const running: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of running) await server.stop().catch(() => {});
    for (const r of receivers) await r.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Two starts of the embedded store, each a few seconds on an idle machine: room for a loaded one.
  it('a server killed mid-delivery and started again on its data directory loses nothing', async () => {
    const env = { DATA_DIR: dataDir, ...WEBHOOK_ENV };
    const first = await startServerProcess({ env });
    running.push(first);
    const admin = await signAdminToken(Buffer.from(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim(), 'hex'), { subject: 'test', role: 'operator', ttlSeconds: 600 });
    let inFlight: () => void = () => {};
    const caught = new Promise<void>((ok) => (inFlight = ok));
    const receiver = await startReceiver((n) => {
      if (n !== 5) return 200;
      inFlight();
      return 'hang';
    });
    receivers.push(receiver);
    const created = await fetch(`${first.baseUrl}/admin/v1/tenants/default/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url }),
    }).then((r) => r.json() as Promise<{ id: string; secret: string }>);
    receiver.useSecret(created.secret);
    const scim = (userName: string) =>
      fetch(`${first.scimUrl}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName }),
      });
    for (let i = 0; i < 12; i++) expect((await scim(`crash-${i}@x.test`)).status).toBe(201);
    await caught;
    await first.kill();
    running.splice(0);
    const beforeKill = receiver.received.map((r) => r.deliveryId);
    // kill() returns when the tsx wrapper has exited; the server under it may take a moment longer
    // to be reaped, and until then its pid still holds the data directory's lock.
    const { pid } = JSON.parse(readFileSync(join(dataDir, 'rollcall.lock'), 'utf8')) as { pid: number };
    await until('the killed server to be gone', () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    });

    const second = await startServerProcess({ env, expectToken: false });
    running.push(second);
    const feed = (await fetch(`${second.baseUrl}/events?limit=1000`, { headers: { authorization: `Bearer ${first.token}` } }).then((r) => r.json())) as { items: { id: string }[] };
    expect(feed.items).toHaveLength(12);
    await until('every event accepted', () => new Set(receiver.accepted().map((r) => r.deliveryId)).size >= 12 || undefined, 60_000);
    const accepted = receiver.accepted().map((r) => r.deliveryId);
    expect([...new Set(accepted)]).toEqual(feed.items.map((e) => `${created.id}:${e.id}`));
    const repeated = accepted.filter((id, i) => accepted.indexOf(id) !== i);
    for (const id of repeated) expect(beforeKill).toContain(id);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
  }, 120_000);
});
