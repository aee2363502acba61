import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { verifySignature } from '../../src/events/webhooks/signature.js';

/** One request as the receiver saw it, and what it answered. */
export interface Received {
  deliveryId: string;
  eventType: string;
  body: string;
  event: { id: string; type: string; cursor: string; [k: string]: unknown };
  signatureValid: boolean;
  /** Verified by the `standardwebhooks` library from the `webhook-*` headers, as an off-the-shelf receiver would. */
  standardValid: boolean;
  signature: string;
  timestamp: string;
  /** The status answered; null when the receiver never answered (a hang past the sender's timeout). */
  answered: number | null;
  at: number;
}

function verifiesAsStandard(secret: string, headers: IncomingMessage['headers'], body: string): boolean {
  try {
    new Webhook(secret).verify(body, {
      'webhook-id': String(headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(headers['webhook-signature'] ?? ''),
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * How to answer the n-th request (0-based): a status, or `hang` (never answer within the sender's
 * timeout), or a promise of a status (the sender waits for it: something can happen meanwhile).
 */
export type Script = (n: number, deliveryId: string) => number | 'hang' | Promise<number>;

/**
 * A webhook receiver on loopback: checks each signature with the endpoint's secret, as a real
 * receiver would, and answers as the script says. `accepted` are the deliveries it answered 2xx.
 */
export async function startReceiver(script: Script = () => 200) {
  let secret = '';
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const deliveryId = String(req.headers['rollcall-delivery-id'] ?? '');
      const scripted = script(received.length, deliveryId);
      const action = typeof scripted === 'object' ? null : scripted;
      const entry: Received = {
        deliveryId,
        eventType: String(req.headers['rollcall-event-type'] ?? ''),
        body,
        event: JSON.parse(body),
        signature: String(req.headers['rollcall-signature'] ?? ''),
        timestamp: String(req.headers['rollcall-timestamp'] ?? ''),
        signatureValid: verifySignature(secret, req.headers['rollcall-signature'] as string | undefined, req.headers['rollcall-timestamp'] as string | undefined, body),
        standardValid: verifiesAsStandard(secret, req.headers, body),
        answered: action === 'hang' ? null : action,
        at: Date.now(),
      };
      received.push(entry);
      if (action === null) {
        void (scripted as Promise<number>).then((status) => {
          entry.answered = status;
          res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
        });
        return;
      }
      if (action === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(action, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks?source=rollcall`,
    received,
    /** Deliveries answered 2xx, in arrival order. */
    accepted: () => received.filter((r) => r.answered !== null && r.answered >= 200 && r.answered < 300),
    useSecret(value: string) {
      secret = value;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
