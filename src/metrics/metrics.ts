import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Executor } from '../db/client.js';
import { query } from '../db/client.js';

/**
 * Prometheus metrics for one process. Labels are bounded sets (route templates, methods, status
 * codes, providers, outcomes, phases): tenant, user, connection and endpoint ids never become a
 * label, so a fleet of thousands of tenants is as cheap to scrape as one.
 */
export interface Metrics {
  readonly registry: Registry;
  /** One answered HTTP request; `route` is the matched template (`/scim/v2/Users/:id`), never the raw path. */
  httpRequest(route: string, method: string, status: number, seconds: number): void;
  readonly sync: SyncObserver;
  readonly webhooks: WebhookObserver;
  /** Prometheus text exposition, gauges read from the database first. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** What the sync engine reports as runs end. */
export interface SyncObserver {
  runFinished(provider: string, run: { mode: string; state: string; counts: Record<string, number>; progress: Record<string, number> } | undefined): void;
}

/** What the webhook dispatcher reports per delivery attempt. */
export interface WebhookObserver {
  delivery(ok: boolean, occurredAt: string | undefined): void;
}

const PHASES = [
  ['fetch', 'fetchMs'],
  ['plan', 'planMs'],
  ['apply', 'applyMs'],
  ['teams', 'teamsMs'],
] as const;
/** A backlog is counted up to this many events per endpoint, so a scrape stays cheap whatever the backlog. */
const BACKLOG_CAP = 100_000;
/** Plan counts that are operations on the directory (the rest, like `unchanged`, are not). */
const OPERATIONS = ['create', 'link', 'update', 'reactivate', 'archive', 'release'] as const;

export interface MetricsOptions {
  db: Executor;
  poolSize?: number;
  store: 'pglite' | 'postgres';
  /** One of several HTTP workers: a scrape answers for all of them, aggregated by the primary. */
  cluster?: { scrape(): Promise<{ contentType: string; body: string }> };
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'rollcall' });
  // Process memory, CPU, event-loop lag (nodejs_eventloop_lag_*), GC, handles.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const httpDuration = new Histogram({
    name: 'rollcall_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status, with their duration',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const scimThrottled = new Counter({ name: 'rollcall_scim_rate_limited_total', help: 'SCIM requests answered 429', registers: [registry] });

  const runs = new Counter({ name: 'rollcall_sync_runs_total', help: 'Sync runs finished, by provider, mode (apply, preview) and outcome (succeeded, failed, held, error)', labelNames: ['provider', 'mode', 'outcome'], registers: [registry] });
  const phase = new Histogram({
    name: 'rollcall_sync_phase_duration_seconds',
    help: 'Time a sync run spent per phase (fetch from the HR API, plan, apply, teams)',
    labelNames: ['provider', 'phase'],
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  const fetched = new Counter({ name: 'rollcall_sync_records_fetched_total', help: 'HR records read by sync runs', labelNames: ['provider'], registers: [registry] });
  const applied = new Counter({ name: 'rollcall_sync_operations_applied_total', help: 'Directory operations applied by sync runs', labelNames: ['provider', 'operation'], registers: [registry] });

  const deliveries = new Counter({ name: 'rollcall_webhook_deliveries_total', help: 'Webhook delivery attempts by outcome', labelNames: ['outcome'], registers: [registry] });
  const lag = new Histogram({
    name: 'rollcall_webhook_delivery_lag_seconds',
    help: 'From an event being written to its successful delivery',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers: [registry],
  });

  // Read at scrape time: they describe the shared store, so every replica (and every HTTP worker)
  // reports the same values, and workers' figures aggregate by taking one of them, not their sum.
  // Every store gauge waits for the same refresh, whichever of them is collected first.
  let refreshing: Promise<void> | undefined;
  const refreshStore = () =>
    (refreshing ??= readStoreGauges()
      // A store that cannot answer still leaves the process's own metrics worth reading.
      .catch(() => undefined)
      .finally(() => {
        refreshing = undefined;
      }));
  const storeGauge = { registers: [registry], aggregator: 'max' as const, collect: refreshStore };
  const connectionGauge = new Gauge({ name: 'rollcall_connections', help: 'HR connections by provider and status', labelNames: ['provider', 'status'], ...storeGauge });
  const backlogGauge = new Gauge({
    name: 'rollcall_webhook_backlog_events',
    help: 'Events enabled webhook endpoints still owe (each counted up to 100,000): the largest backlog of one endpoint, and the sum over all',
    labelNames: ['aggregate'],
    ...storeGauge,
  });
  const backloggedGauge = new Gauge({ name: 'rollcall_webhook_endpoints_backlogged', help: 'Enabled endpoints with at least one event to deliver', ...storeGauge });
  const disabledGauge = new Gauge({ name: 'rollcall_webhook_endpoints_disabled', help: 'Endpoints disabled after failing for the whole retry window', ...storeGauge });
  const poolGauge = new Gauge({ name: 'rollcall_db_pool_size', help: 'Database connections this process may open (1 for the embedded store)', registers: [registry] });
  const dbConnections = new Gauge({ name: 'rollcall_db_connections', help: 'Connections to the database by state (PostgreSQL, all clients of this database)', labelNames: ['state'], ...storeGauge });
  poolGauge.set(options.store === 'pglite' ? 1 : (options.poolSize ?? 10));
  if (options.cluster) {
    // prom-client's worker side of the aggregation: it answers the primary with this registry.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }

  async function readStoreGauges() {
    const byStatus = await query<{ provider: string; status: string; n: number | string }>(options.db, 'select provider, status, count(*) as n from connections group by provider, status', []);
    connectionGauge.reset();
    for (const r of byStatus) connectionGauge.set({ provider: r.provider, status: r.status }, Number(r.n));
    const [backlog] = await query<{ total: number | string | null; largest: number | string | null; endpoints: number | string; disabled: number | string }>(
      options.db,
      `select coalesce(sum(b.n), 0) as total, coalesce(max(b.n), 0) as largest, count(*) filter (where b.n > 0) as endpoints,
              (select count(*) from webhook_endpoints where not enabled and disabled_reason is not null) as disabled
         from (select (select count(*) from (select 1 from change_events e
                                 where e.tenant_id = w.tenant_id and (e.xid, e.seq) > (w.cursor_xid, w.cursor_seq) limit ${BACKLOG_CAP}) owed) as n
                 from webhook_endpoints w where w.enabled) b`,
      [],
    );
    backlogGauge.set({ aggregate: 'sum' }, Number(backlog?.total ?? 0));
    backlogGauge.set({ aggregate: 'max' }, Number(backlog?.largest ?? 0));
    backloggedGauge.set(Number(backlog?.endpoints ?? 0));
    disabledGauge.set(Number(backlog?.disabled ?? 0));
    if (options.store === 'postgres') {
      const states = await query<{ state: string | null; n: number | string }>(options.db, 'select state, count(*) as n from pg_stat_activity where datname = current_database() group by state', []);
      dbConnections.reset();
      for (const s of states) dbConnections.set({ state: s.state ?? 'unknown' }, Number(s.n));
    }
  }

  return {
    registry,
    httpRequest(route, method, status, seconds) {
      httpDuration.observe({ route, method, status: String(status) }, seconds);
      if (status === 429 && route.startsWith('/scim/')) scimThrottled.inc();
    },
    sync: {
      runFinished(provider, run) {
        if (!run) {
          runs.inc({ provider, mode: 'unknown', outcome: 'error' });
          return;
        }
        runs.inc({ provider, mode: run.mode, outcome: run.state });
        for (const [name, key] of PHASES) {
          const ms = run.progress[key];
          if (typeof ms === 'number') phase.observe({ provider, phase: name }, ms / 1000);
        }
        fetched.inc({ provider }, run.progress.fetched ?? 0);
        if (run.mode === 'apply' && run.state === 'succeeded') for (const op of OPERATIONS) if (run.counts[op]) applied.inc({ provider, operation: op }, run.counts[op]);
      },
    },
    webhooks: {
      delivery(ok, occurredAt) {
        deliveries.inc({ outcome: ok ? 'delivered' : 'failed' });
        const at = occurredAt ? Date.parse(occurredAt) : NaN;
        if (ok && Number.isFinite(at)) lag.observe(Math.max(0, (Date.now() - at) / 1000));
      },
    },
    async scrape() {
      if (options.cluster) return options.cluster.scrape();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
