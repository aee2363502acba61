import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How a delivery is signed, so any receiver can check it came from this installation unchanged:
 * `Rollcall-Signature: v1=<hex HMAC-SHA256 of "${Rollcall-Timestamp}.${raw body}">`, keyed with
 * the endpoint's secret as UTF-8 text. During a rotation's overlap the header carries one `v1=`
 * per valid secret, comma-separated; a receiver accepts the delivery if any of them matches.
 */
export const HEADERS = {
  signature: 'rollcall-signature',
  timestamp: 'rollcall-timestamp',
  /** Stable per endpoint and event: a retry or a replay sends the same id. */
  deliveryId: 'rollcall-delivery-id',
  eventType: 'rollcall-event-type',
  idempotencyKey: 'idempotency-key',
} as const;

const SECRET_PREFIX = 'whsec_';

/**
 * `whsec_` + standard base64 of 32 random bytes: the form the Standard Webhooks libraries take
 * as it is. (Secrets made before were base64url; both decode to their bytes, see `standardKey`.)
 */
export const newWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** The Standard Webhooks key: the bytes the secret's base64 part encodes (Node reads either alphabet). */
const standardKey = (secret: string): Buffer => Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

/**
 * The same delivery signed the Standard Webhooks way (standardwebhooks.com), so receivers can
 * verify it with an off-the-shelf library: `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "${webhook-id}.${webhook-timestamp}.${body}">`, one per valid secret, space-separated.
 */
export function standardWebhookHeaders(secrets: string[], id: string, timestamp: number, body: string): Record<string, string> {
  const signatures = secrets.map((s) => `v1,${createHmac('sha256', standardKey(s)).update(`${id}.${timestamp}.${body}`).digest('base64')}`);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}

export const sign = (secret: string, timestamp: number, body: string): string => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureHeader = (secrets: string[], timestamp: number, body: string): string => secrets.map((s) => `v1=${sign(s, timestamp, body)}`).join(',');

/** The receiver's side, as the README shows it (also used by the tests and the bench). */
export function verifySignature(secret: string, header: string | undefined, timestamp: string | undefined, body: string): boolean {
  if (!header || !timestamp || !/^\d+$/.test(timestamp)) return false;
  const expected = Buffer.from(sign(secret, Number(timestamp), body), 'hex');
  return header.split(',').some((part) => {
    const [scheme, hex] = part.trim().split('=');
    if (scheme !== 'v1' || !hex || !/^[0-9a-f]{64}$/.test(hex)) return false;
    return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  });
}
