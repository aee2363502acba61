import http from 'node:http';
import https from 'node:https';
import type { EgressPolicy } from '../../egress/index.js';
import { HEADERS, signatureHeader, standardWebhookHeaders } from './signature.js';

export interface PostOutcome {
  ok: boolean;
  status: number | null;
  /**
   * Why it failed: the HTTP status, or UNREACHABLE for anything short of an answer. One reason for
   * a refused address, a closed port, a DNS failure and a timeout alike: what a tenant admin sees
   * must not turn the test button into a scanner of the network Rollcall runs in.
   */
  error: string | null;
  durationMs: number;
}

/** The one reason given for a delivery that got no HTTP answer. */
export const UNREACHABLE = 'the receiver could not be reached (refused address, no connection or no answer in time)';

export interface PostOptions {
  timeoutMs: number;
  egress: EgressPolicy;
  /** Told the real cause of a failure without an answer (for the operator's log, never the tenant's). */
  onUnreachable?: (cause: string) => void;
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
const newAgents = () => ({ 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) });
/** Per policy: a socket opened under one allow-list is never reused under another. */
const agentsByPolicy = new WeakMap<EgressPolicy, ReturnType<typeof newAgents>>();
const agentsFor = (egress: EgressPolicy) => {
  let agents = agentsByPolicy.get(egress);
  if (!agents) agentsByPolicy.set(egress, (agents = newAgents()));
  return agents;
};

/**
 * One POST. Only a 2xx counts as delivered; redirects are not followed (a moved endpoint is for its
 * admin to update, and following one would send signed events somewhere nobody configured). The
 * timeout bounds the whole exchange, connecting included.
 */
export function postSigned(delivery: Signed, options: PostOptions): Promise<PostOutcome> {
  const { timeoutMs, egress } = options;
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(delivery.url);
  const transport = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(delivery.body, 'utf8');
  const unreachable = (cause: string) => {
    options.onUnreachable?.(cause);
    return { ok: false, status: null, error: UNREACHABLE };
  };
  // An IP literal never reaches the lookup below: it is judged here.
  const refused = egress.refusalOfHost(url.hostname);
  if (refused) return Promise.resolve({ ...unreachable(`${url.hostname} is a ${refused}`), durationMs: elapsed() });
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
        // Resolved and checked in the socket's own lookup: the address checked is the one connected to.
        lookup: egress.lookup,
        agent: agentsFor(egress)[url.protocol as 'http:' | 'https:'],
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
        res.on('error', () => finish({ ok: false, status, error: `HTTP ${status}, then the response broke off` }));
      },
    );
    const timer = setTimeout(() => {
      finish(unreachable(`timed out after ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(unreachable(error.code ? `${error.code}: ${error.message}` : error.message)));
    req.end(body);
  });
}
