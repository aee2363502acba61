import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../src/events/webhooks/signature.js';
import { adminPost } from './admin.js';
import { createClient } from './client.js';
import type { BenchConfig, StoreKind } from './config.js';
import { startBenchServer } from './server.js';
import { percentile, runPool } from './stats.js';
import { userBody } from './users.js';

export interface WebhooksOutcome {
  changes: number;
  /** Events delivered per second, from the first change written to the last delivery received. */
  eventsPerSec: number;
  /** Change written (the event's occurredAt) to delivery received, in ms. */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** How fast the changes themselves were written (POST /Users at the set concurrency). */
  writesPerSec: number;
  wallMs: number;
  /** A steady trickle below the delivery rate afterwards: `steadyRate` changes/s for `steadyChanges`. */
  steadyChanges: number;
  steadyRate: number;
  steadyLagP50Ms: number;
  steadyLagP99Ms: number;
  duplicates: number;
  badSignatures: number;
  server: Record<string, string>;
}

const STEADY_RATE = 100;
const STEADY_SECONDS = 20;

/**
 * `changes` users created over SCIM while one webhook endpoint on a loopback receiver gets every
 * `user.created`: throughput end to end (first write to last delivery) and the lag of each event
 * from its commit to its arrival. Every signature is checked, as a receiver would.
 */
export async function benchWebhooks(config: BenchConfig, store: StoreKind, log: (line: string) => void): Promise<WebhooksOutcome> {
  const changes = config.webhookChanges;
  const steadyChanges = STEADY_RATE * STEADY_SECONDS;
  const arrivals = new Map<string, number>();
  let lags: number[] = [];
  let expected = changes;
  let duplicates = 0;
  let badSignatures = 0;
  let secret = '';
  let lastArrival = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((ok) => (done = ok));
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['rollcall-delivery-id']);
      if (!verifySignature(secret, req.headers['rollcall-signature'] as string, req.headers['rollcall-timestamp'] as string, body)) badSignatures++;
      if (arrivals.has(id)) duplicates++;
      else {
        arrivals.set(id, now);
        lags.push(now - new Date((JSON.parse(body) as { occurredAt: string }).occurredAt).getTime());
        lastArrival = now;
        if (arrivals.size >= expected) done();
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  const server = await startBenchServer(store, config, undefined, {});
  const client = createClient(server.scimUrl, server.token, config.concurrency);
  try {
    ({ secret } = await adminPost<{ secret: string }>(server, '/tenants/default/webhooks', { url, events: ['user.created'] }, 'creating the webhook'));

    log(`  writing ${changes} users at concurrency ${config.concurrency} while the dispatcher delivers`);
    const started = Date.now();
    const writes = await runPool(changes, config.concurrency, async (i) => {
      await client.json('POST', '/Users', userBody(900_000 + i), 201);
    });
    const deadline = setTimeout(() => done(), 600_000);
    await all;
    clearTimeout(deadline);
    if (arrivals.size < changes) throw new Error(`only ${arrivals.size} of ${changes} events arrived within 10 minutes`);
    const wallMs = lastArrival - started;
    const sorted = Float64Array.from(lags).sort();

    // Then a steady trickle below the delivery rate: the lag a quiet day sees (poll interval bound).
    log(`  then ${steadyChanges} users at a steady ${STEADY_RATE}/s`);
    lags = [];
    expected = changes + steadyChanges;
    const steadyDone = new Promise<void>((ok) => (done = ok));
    const paceStart = Date.now();
    await runPool(steadyChanges, config.concurrency, async (i) => {
      const wait = paceStart + (i * 1000) / STEADY_RATE - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await client.json('POST', '/Users', userBody(950_000 + i), 201);
    });
    const steadyDeadline = setTimeout(() => done(), 120_000);
    await steadyDone;
    clearTimeout(steadyDeadline);
    const steady = Float64Array.from(lags).sort();
    return {
      steadyChanges,
      steadyRate: STEADY_RATE,
      steadyLagP50Ms: Math.round(percentile(steady, 50)),
      steadyLagP99Ms: Math.round(percentile(steady, 99)),
      changes,
      eventsPerSec: Math.round((changes / wallMs) * 1000),
      lagP50Ms: Math.round(percentile(sorted, 50)),
      lagP99Ms: Math.round(percentile(sorted, 99)),
      lagMaxMs: Math.round(sorted.at(-1) ?? 0),
      writesPerSec: writes.opsPerSec,
      wallMs,
      duplicates,
      badSignatures,
      server: server.settings,
    };
  } finally {
    client.close();
    await server.stop();
    receiver.closeAllConnections();
    await new Promise<void>((ok) => receiver.close(() => ok()));
  }
}
