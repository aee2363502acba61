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

export const newWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

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
