/**
 * What the primary and its HTTP workers say to each other over the cluster's IPC channel. Every
 * message is typed `rollcall:…` so it cannot be mistaken for prom-client's own aggregation traffic.
 */
export type WorkerMessage =
  /** The worker listens (after start-up, migrations and any first token). */
  | { type: 'rollcall:listening'; port: number; store: string }
  /** A /metrics request reached this worker: the primary answers with every worker's metrics together. */
  | { type: 'rollcall:scrape'; id: number }
  /** Webhook work was queued here, and deliveries run in the first worker. */
  | { type: 'rollcall:wake-dispatcher' };

export type PrimaryMessage =
  | { type: 'rollcall:scraped'; id: number; contentType: string; body: string }
  | { type: 'rollcall:scrape-failed'; id: number; message: string }
  | { type: 'rollcall:wake-dispatcher' };

export const WORKER_INDEX_VARIABLE = 'ROLLCALL_HTTP_WORKER';

export function isMessage<T extends { type: string }>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && (value as { type: string }).type.startsWith('rollcall:');
}
