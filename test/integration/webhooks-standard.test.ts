import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../src/events/webhooks/signature.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

/**
 * Deliveries are signed the Standard Webhooks way too, so a receiver verifies them with the
 * off-the-shelf `standardwebhooks` library and the secret exactly as Rollcall showed it.
 */
let h: Harness;
let admin = '';
const receivers: Receiver[] = [];
beforeAll(async () => {
  h = await startHarness();
  admin = await bearerFor({ role: 'admin', tenant: 'acme' });
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await h?.close();
});

const api = (method: 'get' | 'post', path: string) => h.http[method](`/admin/v1/tenants/acme${path}`).set('authorization', admin);

describe('Standard Webhooks signatures', () => {
  it('a test delivery verifies with the library, and a tampered body does not', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const created = await api('post', '/webhooks').send({ url: receiver.url });
    expect(created.status, created.text).toBe(201);
    receiver.useSecret(created.body.secret);
    const sent = await api('post', `/webhooks/${created.body.id}/test`);
    expect(sent.body).toMatchObject({ ok: true });
    const [got] = receiver.received;
    expect(got!.standardValid).toBe(true);
    expect(got!.signatureValid).toBe(true);
    const wh = new Webhook(created.body.secret);
    const headers = standardWebhookHeaders([created.body.secret], got!.deliveryId, Number(got!.timestamp), got!.body);
    expect(() => wh.verify(`${got!.body} `, headers)).toThrow();
  });

  it('during a rotation overlap both the old and the new secret verify', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const created = await api('post', '/webhooks').send({ url: receiver.url });
    const rotated = await api('post', `/webhooks/${created.body.id}/rotate-secret`).send({ overlapSeconds: 3600 });
    expect(rotated.status, rotated.text).toBe(201);
    for (const secret of [created.body.secret, rotated.body.secret]) {
      receiver.useSecret(secret);
      await api('post', `/webhooks/${created.body.id}/test`);
      expect(receiver.received.at(-1)!.standardValid).toBe(true);
    }
    receiver.useSecret('whsec_' + Buffer.alloc(32, 7).toString('base64'));
    await api('post', `/webhooks/${created.body.id}/test`);
    expect(receiver.received.at(-1)!.standardValid).toBe(false);
  });

  it.each([
    ['a current secret', 'whsec_' + Buffer.alloc(32, 1).toString('base64')],
    ['a secret made before, in base64url', 'whsec_' + Buffer.alloc(32, 0xfb).toString('base64url')],
  ])('signs exactly as the library does, with %s', (_what, secret) => {
    const headers = standardWebhookHeaders([secret], 'msg_1', 1_700_000_000, '{"a":1}');
    const key = 'whsec_' + Buffer.from(secret.slice(6), 'base64').toString('base64');
    expect(headers).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': new Webhook(key).sign('msg_1', new Date(1_700_000_000_000), '{"a":1}'),
    });
  });
});
