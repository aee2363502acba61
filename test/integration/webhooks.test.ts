import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, type Dispatcher, type RetryPolicy } from '../../src/events/webhooks/dispatcher.js';
import { query } from '../../src/db/client.js';
import { uuidv7 } from '../../src/db/ids.js';
import { createUsers } from '../../src/directory/users/create-users.js';
import { UNREACHABLE } from '../../src/events/webhooks/post.js';
import { verifySignature } from '../../src/events/webhooks/signature.js';
import { bearerFor, GROUP_SCHEMA, USER_SCHEMA } from '../support/admin-fixtures.js';
import { testEgress } from '../support/egress.js';
import { SCIM, startHarness, TEST_SECRET_KEY, type Harness } from '../support/harness.js';
import { startReceiver, until, type Receiver, type Script } from '../support/webhook-receiver.js';

/**
 * Webhooks end to end in one process: the admin API configures endpoints, SCIM writes make events,
 * the dispatcher delivers them to a real HTTP receiver on loopback that fails, hangs and recovers.
 * Backoffs and timeouts are milliseconds here; the waits below are lower bounds, never timings.
 */
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
// Long enough that a loaded machine (PGlite runs its queries on this event loop) answers in time.
const TIMEOUT_MS = 1_000;

let h: Harness;
let admin = '';
const receivers: Receiver[] = [];
let dispatcher: Dispatcher | undefined;

beforeAll(async () => {
  h = await startHarness();
  admin = await bearerFor({ role: 'admin', tenant: 'acme' });
});
afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
  for (const r of receivers.splice(0)) await r.close();
});
afterAll(() => h.close());

function dispatch(retry: Partial<RetryPolicy> = {}, timeoutMs = TIMEOUT_MS) {
  dispatcher = startDispatcher(
    { db: h.db.db, secretKey: TEST_SECRET_KEY, owner: 'test-dispatcher', leaseSeconds: Math.max(5, (2 * timeoutMs) / 1000), timeoutMs, retry: { baseMs: 10, maxMs: 40, giveUpMs: 60_000, ...retry }, egress: testEgress.policy },
    { pollMs: 20, concurrency: 2 },
  );
}

const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string) => h.http[method](`/admin/v1/tenants/acme${path}`).set('authorization', admin);

async function endpoint(script: Script, body: Record<string, unknown> = {}) {
  const receiver = await startReceiver(script);
  receivers.push(receiver);
  const res = await api('post', '/webhooks').send({ url: receiver.url, ...body });
  expect(res.status, res.text).toBe(201);
  receiver.useSecret(res.body.secret);
  return { receiver, id: res.body.id as string, secret: res.body.secret as string, cursor: res.body.cursor as string };
}

const scim = (method: 'post' | 'patch' | 'delete', path: string) => h.http[method](`/scim/v2${path}`).set('authorization', `Bearer ${h.token}`).set('content-type', SCIM);

async function someChanges(tag: string) {
  const ids: string[] = [];
  for (const n of [1, 2, 3]) ids.push((await scim('post', '/Users').send({ schemas: [USER_SCHEMA], userName: `${tag}-${n}@acme.test` })).body.id);
  await scim('patch', `/Users/${ids[0]}`).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] });
  await scim('post', '/Groups').send({ schemas: [GROUP_SCHEMA], displayName: `${tag} team`, members: [{ value: ids[0] }, { value: ids[1] }] });
  await scim('patch', `/Users/${ids[1]}`).send({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
  await scim('delete', `/Users/${ids[2]}`);
}

/** The tenant's feed after `cursor`, as the admin API pages it. */
async function feedAfter(cursor: string) {
  const items: { id: string; type: string; cursor: string }[] = [];
  let after = cursor;
  for (;;) {
    const page = await api('get', '/events').query({ after, limit: 5 });
    expect(page.status, page.text).toBe(200);
    items.push(...page.body.items);
    if (page.body.items.length === 0) return items;
    after = page.body.next;
  }
}

describe('webhook delivery', () => {
  it('a receiver that fails twice, times out, then recovers gets every event once, in feed order, signed', async () => {
    const hook = await endpoint((n) => (n < 2 ? 500 : n === 2 ? 'hang' : 200));
    dispatch();
    await someChanges('order');
    const feed = await feedAfter(hook.cursor);
    expect(feed.map((e) => e.type)).toEqual([
      'user.created',
      'user.created',
      'user.created',
      'user.updated',
      'group.created',
      'group.member_added',
      'group.member_added',
      'user.archived',
      'user.deleted',
    ]);
    await until('every event accepted', () => hook.receiver.accepted().length >= feed.length || undefined);
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate to show up, were there one

    const accepted = hook.receiver.accepted();
    expect(accepted.map((r) => r.deliveryId)).toEqual(feed.map((e) => `${hook.id}:${e.id}`));
    expect(accepted.map((r) => r.event)).toEqual(feed);
    expect(accepted.map((r) => r.eventType)).toEqual(feed.map((e) => e.type));
    expect(hook.receiver.received.every((r) => r.signatureValid)).toBe(true);
    // The first event was tried four times: 500, 500, no answer in time, 200. Nothing overtook it.
    expect(hook.receiver.received.slice(0, 4).map((r) => [r.deliveryId, r.answered])).toEqual([
      [`${hook.id}:${feed[0]!.id}`, 500],
      [`${hook.id}:${feed[0]!.id}`, 500],
      [`${hook.id}:${feed[0]!.id}`, null],
      [`${hook.id}:${feed[0]!.id}`, 200],
    ]);
    expect(hook.receiver.received).toHaveLength(feed.length + 3);

    const log = await api('get', `/webhooks/${hook.id}/deliveries`).query({ limit: 100 });
    expect(log.status).toBe(200);
    expect(log.body.items).toHaveLength(feed.length);
    expect(log.body.items.every((d: { state: string }) => d.state === 'delivered')).toBe(true);
    const first = log.body.items.find((d: { eventId: string }) => d.eventId === feed[0]!.id);
    expect(first).toMatchObject({ attempts: 4, lastStatus: 200, lastError: null, eventType: 'user.created' });
    const shown = await api('get', `/webhooks/${hook.id}`);
    expect(shown.body).toMatchObject({ enabled: true, failingAttempts: 0, failingSince: null, cursor: feed.at(-1)!.cursor });
    expect(JSON.stringify(shown.body)).not.toContain(hook.secret);
  });

  it('replays from a cursor with the same delivery ids, and sends only the types asked for', async () => {
    const hook = await endpoint(() => 200, { events: ['user.archived', 'user.deleted'] });
    dispatch();
    await someChanges('replay');
    await until('both events', () => hook.receiver.accepted().length >= 2 || undefined);
    const firstPass = hook.receiver.accepted().map((r) => r.deliveryId);
    expect(hook.receiver.accepted().map((r) => r.eventType)).toEqual(['user.archived', 'user.deleted']);

    const replay = await api('post', `/webhooks/${hook.id}/replay`).send({ after: hook.cursor });
    expect(replay.status, replay.text).toBe(200);
    await until('the replay', () => hook.receiver.accepted().length >= 4 || undefined);
    expect(hook.receiver.accepted().map((r) => r.deliveryId)).toEqual([...firstPass, ...firstPass]);
    // The dispatcher records an attempt once the receiver's answer is in, a moment after the receiver saw it.
    const attempts = await until('the replayed attempts recorded', async () => {
      const log = await api('get', `/webhooks/${hook.id}/deliveries`);
      const counts = log.body.items.map((d: { attempts: number }) => d.attempts);
      return counts.length === 2 && counts.every((n: number) => n >= 2) ? counts : undefined;
    });
    expect(attempts).toEqual([2, 2]);
  });

  it('an endpoint failing for the whole retry window is disabled with the reason; re-enabled, it catches up', async () => {
    let healthy = false;
    const hook = await endpoint(() => (healthy ? 200 : 503));
    dispatch({ giveUpMs: 150 });
    await scim('post', '/Users').send({ schemas: [USER_SCHEMA], userName: 'doomed@acme.test' });
    const disabled = await until('the endpoint to be disabled', async () => {
      const res = await api('get', `/webhooks/${hook.id}`);
      return res.body.enabled ? undefined : res.body;
    });
    expect(disabled.disabledReason).toMatch(/^failing since .*attempts\); last: HTTP 503$/);
    const log = await api('get', `/webhooks/${hook.id}/deliveries`);
    expect(log.body.items).toEqual([expect.objectContaining({ state: 'failed', lastStatus: 503, lastError: 'HTTP 503', eventType: 'user.created' })]);
    const tries = hook.receiver.received.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(hook.receiver.received).toHaveLength(tries); // disabled: nothing more is sent

    healthy = true;
    const enabled = await api('patch', `/webhooks/${hook.id}`).send({ enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingAttempts: 0 });
    await until('the held event', () => hook.receiver.accepted().length >= 1 || undefined);
    expect(hook.receiver.accepted()[0]!.event.type).toBe('user.created');
  });

  it('rotation: the new secret is shown once; during the overlap both secrets sign', async () => {
    const hook = await endpoint(() => 200);
    const rotated = await api('post', `/webhooks/${hook.id}/rotate-secret`).send({ overlapSeconds: 3600 });
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    hook.receiver.useSecret(rotated.body.secret);
    const sent = await api('post', `/webhooks/${hook.id}/test`);
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, status: 200, error: null });
    const [got] = hook.receiver.received;
    expect(got!.signatureValid).toBe(true);
    expect(got!.eventType).toBe('webhook.test');
    // Two signatures during the overlap: receivers still on the old secret keep verifying.
    expect(got!.signature.split(',')).toHaveLength(2);
    const verifies = (secret: string) => verifySignature(secret, got!.signature, got!.timestamp, got!.body);
    expect([verifies(rotated.body.secret), verifies(hook.secret), verifies('whsec_someone-else')]).toEqual([true, true, false]);
    const audit = await api('get', '/audit').query({ limit: 50 });
    expect(audit.text).not.toContain(rotated.body.secret);
    expect(audit.text).not.toContain(hook.secret);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['webhook.create', 'webhook.rotate_secret', 'webhook.test']));
    const log = await api('get', `/webhooks/${hook.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ eventType: 'webhook.test', eventId: null, state: 'delivered' });
  });

  it('a test send to a receiver that is down answers why, and is logged', async () => {
    const hook = await endpoint(() => 200);
    await hook.receiver.close();
    receivers.splice(receivers.indexOf(hook.receiver), 1);
    const sent = await api('post', `/webhooks/${hook.id}/test`);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: false, status: null, error: UNREACHABLE });
  });

  it.each([
    ['ftp://127.0.0.1/hook', 'http or https'],
    ['http://user:secret@127.0.0.1/hook', 'credentials'],
    ['not a url', 'not a URL'],
    ['http://127.0.0.1/hook#frag', 'fragment'],
  ])('refuses the URL %s', async (url, why) => {
    const res = await api('post', '/webhooks').send({ url });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_value', detail: expect.stringContaining(why) });
  });

  it('refuses an unknown event type in a filter', async () => {
    const res = await api('post', '/webhooks').send({ url: 'http://127.0.0.1:9/x', events: ['user.exploded'] });
    expect(res.status).toBe(400);
  });
});

describe('changes to an endpoint apply to the very next delivery, in the middle of a backlog', { timeout: 90_000 }, () => {
  // Well within one claim (up to 1,000 deliveries) and one read of the feed (100 events).
  const BACKLOG = 40;
  /**
   * The change is made while the receiver holds its answer to the third delivery. The sender waits
   * for that answer (a long timeout here): had it timed out, its retry would start a new claim
   * that reads the endpoint afresh anyway, and prove nothing.
   */
  const dispatchPatiently = () => dispatch({}, 15_000);
  /** Many events at once, as a large sync or a bulk import makes them. */
  async function backlog(tag: string) {
    const ctx = { db: h.db.db, tenantId: h.tenantId, source: { kind: 'system' as const, id: 'test' } };
    await createUsers(ctx, Array.from({ length: BACKLOG }, (_, n) => ({ id: uuidv7(), doc: { schemas: [USER_SCHEMA], userName: `${tag}-${n}@acme.test` } })));
  }
  const leaseOwner = async (id: string) => (await query<{ lease_owner: string | null }>(h.db.db, 'select lease_owner from webhook_endpoints where id = $1', [id]))[0]!.lease_owner;
  const verifies = (secret: string, r: { signature: string; timestamp: string; body: string }) => verifySignature(secret, r.signature, r.timestamp, r.body);

  it('a rotated secret (no overlap) signs the next delivery; the old one signs nothing after it', async () => {
    let rotated = '';
    let hookId = '';
    const hook = await endpoint(async (n) => {
      if (n === 2) {
        const res = await api('post', `/webhooks/${hookId}/rotate-secret`).send({ overlapSeconds: 0 });
        rotated = res.body.secret;
      }
      return 200;
    });
    hookId = hook.id;
    await backlog('rotate');
    dispatchPatiently();
    await until('the whole backlog', () => hook.receiver.accepted().length >= BACKLOG || undefined, 80_000);
    const got = hook.receiver.received;
    expect(got.slice(0, 3).every((r) => verifies(hook.secret, r))).toBe(true);
    expect(got.slice(3).map((r) => [verifies(rotated, r), verifies(hook.secret, r)])).toEqual(got.slice(3).map(() => [true, false]));
  });

  it('a disabled endpoint gets nothing after the delivery in flight', async () => {
    let hookId = '';
    const hook = await endpoint(async (n) => {
      if (n === 2) expect((await api('patch', `/webhooks/${hookId}`).send({ enabled: false })).status).toBe(200);
      return 200;
    });
    hookId = hook.id;
    await backlog('disable');
    dispatchPatiently();
    await until('the third delivery', () => hook.receiver.received.length >= 3 || undefined);
    // The dispatcher gives the endpoint back once it stops: by then all it sent has arrived.
    await until('the dispatcher to let go', async () => ((await leaseOwner(hook.id)) === null ? true : undefined), 80_000);
    expect(hook.receiver.received).toHaveLength(3);
    const shown = await api('get', `/webhooks/${hook.id}`);
    expect(shown.body).toMatchObject({ enabled: false });
  });

  it('a new URL receives the next delivery; the old one nothing more', async () => {
    const next = await startReceiver(() => 200);
    receivers.push(next);
    let hookId = '';
    const hook = await endpoint(async (n) => {
      if (n === 2) expect((await api('patch', `/webhooks/${hookId}`).send({ url: next.url })).status).toBe(200);
      return 200;
    });
    hookId = hook.id;
    next.useSecret(hook.secret);
    await backlog('move');
    dispatchPatiently();
    await until('the rest of the backlog at the new URL', () => next.accepted().length >= BACKLOG - 3 || undefined, 80_000);
    expect(hook.receiver.received).toHaveLength(3);
    expect(next.received.every((r) => r.signatureValid)).toBe(true);
    expect([...hook.receiver.received, ...next.received].map((r) => r.event.resource && (r.event.resource as { userName: string }).userName)).toEqual(
      Array.from({ length: BACKLOG }, (_, n) => `move-${n}@acme.test`),
    );
  });

  it('rotation keeps the old secret signing for 24 hours unless told otherwise, as token rotation does', async () => {
    const hook = await endpoint(() => 200);
    const before = Date.now();
    const rotated = await api('post', `/webhooks/${hook.id}/rotate-secret`).send({});
    expect(rotated.status, rotated.text).toBe(201);
    const overlapHours = (Date.parse(rotated.body.previousSecretUntil) - before) / 3_600_000;
    expect(overlapHours).toBeGreaterThanOrEqual(24);
    expect(overlapHours).toBeLessThan(24.5);
  });
});
