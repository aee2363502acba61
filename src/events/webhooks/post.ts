import http from 'node:http';
import https from 'node:https';
import { HEADERS, signatureHeader, standardWebhookHeaders } from './signature.js';

export interface PostOutcome {
  ok: boolean;
  status: number | null;
  /** Why it failed: the HTTP status, a timeout, a refused connection. */
  error: string | null;
  durationMs: number;
}

export interface Signed {
  url: string;
  body: string;
  deliveryId: string;
  eventType: string;
  secrets: string[];
}

/*
 * node:http rather than fetch: a dispatcher sends thousands of small POSTs back to back, and on a
 * small machine fetch spends about three times the CPU per request (see bench/client.ts). Kept-alive
 * sockets are reused between deliveries to the same receiver.
 */
const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };

/**
 * One POST. Only a 2xx counts as delivered; redirects are not followed (a moved endpoint is for its
 * admin to update, and following one would send signed events somewhere nobody configured). The
 * timeout bounds the whole exchange, connecting included.
 */
export function postSigned(delivery: Signed, timeoutMs: number): Promise<PostOutcome> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(delivery.url);
  const transport = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(delivery.body, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<PostOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const req = transport.request(
      url,
      {
        method: 'POST',
        agent: agents[url.protocol as 'http:' | 'https:'],
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'user-agent': 'Rollcall-Webhooks/1',
          [HEADERS.timestamp]: String(timestamp),
          [HEADERS.signature]: signatureHeader(delivery.secrets, timestamp, delivery.body),
          [HEADERS.deliveryId]: delivery.deliveryId,
          [HEADERS.idempotencyKey]: delivery.deliveryId,
          [HEADERS.eventType]: delivery.eventType,
          ...standardWebhookHeaders(delivery.secrets, delivery.deliveryId, timestamp, delivery.body),
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // The answer's body is not ours to keep; reading it to the end frees the socket for the next delivery.
        res.resume();
        res.on('end', () => {
          const ok = status >= 200 && status < 300;
          finish({ ok, status, error: ok ? null : `HTTP ${status}` });
        });
        res.on('error', (error) => finish({ ok: false, status, error: `response failed: ${error.message}` }));
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, status: null, error: `timed out after ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, status: null, error: error.code ? `connection failed (${error.code})` : `request failed: ${error.message}` }));
    req.end(body);
  });
}
