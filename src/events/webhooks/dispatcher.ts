import { startPollLoop, type PollLoop } from '../../background/poll-loop.js';
import type { Logger } from 'pino';
import { query, type Executor } from '../../db/client.js';
import { EVENT_COLUMNS, SETTLED, toFeedEvent, type FeedPosition, type RawEvent } from '../feed.js';
import { signingSecrets } from './endpoints.js';
import type { EgressPolicy } from '../../egress/index.js';
import { claimEndpoint, endpointConfig, releaseEndpoint, type ClaimedEndpoint, type EndpointConfig } from './lease.js';
import type { WebhookObserver } from '../../metrics/metrics.js';
import { postSigned } from './post.js';
import { recordDelivered, recordFailed, recordSkipped, type Delivered } from './record.js';

export interface RetryPolicy {
  /** First retry after this long; doubles per failed attempt of the same event, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** An endpoint failing for this long is disabled (3 days by default). */
  giveUpMs: number;
}

export interface DispatcherDeps {
  db: Executor;
  secretKey: Buffer;
  log?: Logger;
  /** This process, as named in leases. */
  owner: string;
  leaseSeconds: number;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Told of every delivery attempt, for metrics. */
  observe?: WebhookObserver;
  /** Which receivers may be connected to (EGRESS_ALLOWED): never inside addresses otherwise. */
  egress: EgressPolicy;
}

/** Events read per query; delivered one at a time, in order. */
const BATCH = 100;
/**
 * Deliveries are recorded (cursor moved, log rows written) in runs of up to this many, or this
 * often: one statement per delivery would cost more than the delivery. After a crash, the
 * deliveries made since the last record are sent again, under the same ids.
 */
const RECORD_EVERY = 50;
const RECORD_MS = 200;
/** Deliveries per claim before the endpoint is given back, so a busy endpoint cannot keep a worker from the others. */
const MAX_PER_CLAIM = 1000;

/** Delay before retry number `attempts` (1 = the first retry), with ±20 % jitter so endpoints failing together spread out. */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return base * (0.8 + 0.4 * random());
}

const NEXT = `select ${EVENT_COLUMNS} from change_events e
  where e.tenant_id = $1 and (e.xid, e.seq) > ($2::xid8, $3::bigint) and ${SETTLED}
  order by e.xid, e.seq limit $4`;

/**
 * Sends the claimed endpoint's next events in feed order, one at a time, until it runs out, fails
 * or loses its lease. A failure is recorded at once (after the deliveries before it), so the
 * failed event is the next one sent, after its backoff.
 */
export async function deliverClaimed(deps: DispatcherDeps, endpoint: ClaimedEndpoint): Promise<'drained' | 'failed' | 'lost'> {
  let config: EndpointConfig = endpoint;
  let wanted = endpoint.eventTypes.length > 0 ? new Set(endpoint.eventTypes) : undefined;
  const postOptions = {
    timeoutMs: deps.timeoutMs,
    egress: deps.egress,
    onUnreachable: (cause: string) => deps.log?.debug({ endpointId: endpoint.id, tenantId: endpoint.tenantId, cause }, 'webhook receiver unreachable'),
  };
  /** Where the recorded cursor is, and where it will be once the pending deliveries are recorded. */
  let recorded: FeedPosition = { xid: endpoint.cursorXid, seq: endpoint.cursorSeq };
  let position = recorded;
  let pending: Delivered[] = [];
  let lastRecord = performance.now();
  let sent = 0;
  /** Disabled, deleted or taken away under us: give back what is still ours, send nothing more. */
  const stopHere = async (): Promise<'lost'> => {
    await releaseEndpoint(deps.db, endpoint.id, deps.owner);
    return 'lost';
  };
  const record = async (): Promise<boolean> => {
    if (position.xid === recorded.xid && position.seq === recorded.seq) return true;
    const kept =
      pending.length > 0
        ? await recordDelivered(deps.db, endpoint.id, deps.owner, pending, position, deps.leaseSeconds)
        : await recordSkipped(deps.db, endpoint.id, deps.owner, position, deps.leaseSeconds);
    pending = [];
    recorded = position;
    lastRecord = performance.now();
    return kept;
  };
  for (;;) {
    const events = await query<RawEvent>(deps.db, NEXT, [endpoint.tenantId, position.xid, position.seq, BATCH]);
    for (const raw of events) {
      const event = toFeedEvent(raw);
      const at = { xid: raw.xid, seq: Number(raw.seq) };
      if (wanted && !wanted.has(event.type)) {
        position = at;
        continue;
      }
      // The endpoint as it is now: a change made during a backlog applies from this delivery on.
      const now = await endpointConfig(deps.db, endpoint.id, deps.owner);
      if (!now) return (await record()) ? stopHere() : 'lost';
      if (now.eventTypes.join() !== config.eventTypes.join()) {
        wanted = now.eventTypes.length > 0 ? new Set(now.eventTypes) : undefined;
        if (wanted && !wanted.has(event.type)) {
          config = now;
          position = at;
          continue;
        }
      }
      config = now;
      const secrets = signingSecrets(deps.secretKey, config);
      const body = JSON.stringify(event);
      const outcome = await postSigned({ url: config.url, body, deliveryId: `${endpoint.id}:${event.id}`, eventType: event.type, secrets }, postOptions);
      deps.observe?.delivery(outcome.ok, event.occurredAt);
      if (!outcome.ok) {
        if (!(await record())) return 'lost';
        const attempts = (recorded.xid === endpoint.cursorXid && recorded.seq === endpoint.cursorSeq ? endpoint.attempts : 0) + 1;
        const inSeconds = retryDelayMs(attempts, deps.retry) / 1000;
        const attempt = { endpointId: endpoint.id, owner: deps.owner, event: { seq: at.seq, type: event.type }, outcome };
        const state = await recordFailed(deps.db, attempt, position, { inSeconds, giveUpSeconds: deps.retry.giveUpMs / 1000 });
        if (state === 'failed') deps.log?.warn({ endpointId: endpoint.id, tenantId: endpoint.tenantId, err: outcome.error }, 'webhook endpoint disabled: failing for the whole retry window');
        return state === 'lost' ? 'lost' : 'failed';
      }
      pending.push({ seq: at.seq, type: event.type, outcome });
      position = at;
      sent++;
      if ((pending.length >= RECORD_EVERY || performance.now() - lastRecord >= RECORD_MS) && !(await record())) return 'lost';
    }
    if (events.length < BATCH || sent >= MAX_PER_CLAIM) break;
  }
  if (!(await record())) return 'lost';
  await releaseEndpoint(deps.db, endpoint.id, deps.owner);
  return 'drained';
}

/** `wake` looks for work now (a change was just written here); `stop` waits until the deliveries in flight are recorded. */
export type Dispatcher = PollLoop;

/**
 * The background loop of a server process: `concurrency` workers each claim an endpoint with
 * something to send, drain it, and claim the next; when none is left they sleep `pollMs`. Every
 * replica can run it: leases keep each endpoint to one worker at a time.
 */
export function startDispatcher(deps: DispatcherDeps, options: { pollMs: number; concurrency: number }): Dispatcher {
  const worker = async (isStopped: () => boolean) => {
    while (!isStopped()) {
      const endpoint = await claimEndpoint(deps.db, deps.owner, deps.leaseSeconds);
      if (!endpoint) return;
      try {
        await deliverClaimed(deps, endpoint);
      } catch (error) {
        // A database error mid-way: the lease runs out and the next claim resends from the cursor.
        deps.log?.error({ endpointId: endpoint.id, err: (error as Error).message }, 'webhook delivery failed unexpectedly');
        await releaseEndpoint(deps.db, endpoint.id, deps.owner).catch(() => {});
      }
    }
  };
  const drain = async (isStopped: () => boolean) => {
    await Promise.all(Array.from({ length: options.concurrency }, () => worker(isStopped)));
  };
  return startPollLoop(drain, options.pollMs, (error) => deps.log?.error({ err: error.message }, 'webhook dispatcher could not claim an endpoint'));
}
