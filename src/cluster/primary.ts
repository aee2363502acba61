import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Env } from '../env.js';
import { isMessage, WORKER_INDEX_VARIABLE, type PrimaryMessage, type WorkerMessage } from './messages.js';

/** A worker that dies after serving is started again after this, doubling up to the maximum. */
const RESTART_BASE_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A worker that ran this long before dying starts again at the base delay. */
const STABLE_MS = 60_000;
/** Each worker drains for up to 10 s (src/server.ts); the primary gives them a little longer. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * The primary of HTTP_WORKERS processes: it serves nothing itself. It starts the workers (which
 * share PORT through the cluster module), prints one listening line once all of them listen,
 * restarts one that dies, aggregates their metrics for /metrics, and stops them on SIGTERM.
 * A worker that exits before it ever listened is a start-up failure (bad database URL, port in
 * use): the primary then stops the others and exits 1, as a single process would.
 */
export function runPrimary(env: Env): void {
  const count = env.HTTP_WORKERS;
  const aggregator = new AggregatorRegistry();
  const workers = new Map<number, Worker>();
  const startedAt = new Map<number, number>();
  const restartDelay = new Map<number, number>();
  const listened = new Set<number>();
  let announced = false;
  let stopping = false;
  const err = (line: string) => process.stderr.write(`rollcall: ${line}\n`);

  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_VARIABLE]: String(index) });
    workers.set(index, worker);
    startedAt.set(index, Date.now());
    worker.on('message', (message: unknown) => onMessage(index, worker, message));
    worker.on('exit', (code, signal) => onExit(index, worker, code, signal));
  };

  const onMessage = (index: number, worker: Worker, message: unknown) => {
    if (!isMessage<WorkerMessage>(message)) return;
    const reply = (answer: PrimaryMessage) => {
      if (worker.isConnected()) worker.send(answer);
    };
    switch (message.type) {
      case 'rollcall:listening':
        listened.add(index);
        if (!announced && listened.size === count) {
          announced = true;
          process.stdout.write(`Rollcall listening on http://${env.HOST}:${message.port} (store: ${message.store}, ${count} HTTP workers)\n`);
        }
        return;
      case 'rollcall:scrape':
        aggregator.clusterMetrics().then(
          (body) => reply({ type: 'rollcall:scraped', id: message.id, contentType: aggregator.contentType, body }),
          (error: Error) => reply({ type: 'rollcall:scrape-failed', id: message.id, message: error.message }),
        );
        return;
      case 'rollcall:wake-dispatcher': {
        const first = workers.get(0);
        if (first?.isConnected()) first.send({ type: 'rollcall:wake-dispatcher' } satisfies PrimaryMessage);
        return;
      }
    }
  };

  const onExit = (index: number, worker: Worker, code: number | null, signal: string | null) => {
    if (workers.get(index) !== worker) return;
    workers.delete(index);
    if (stopping) {
      if (workers.size === 0) process.exit(exitCode);
      return;
    }
    if (!listened.has(index) && !announced) {
      // It said why on stderr (configuration, database, port); the others would only fail the same way.
      stopAll(1);
      return;
    }
    const ranMs = Date.now() - (startedAt.get(index) ?? 0);
    const delay = ranMs > STABLE_MS ? RESTART_BASE_MS : Math.min(RESTART_MAX_MS, restartDelay.get(index) ?? RESTART_BASE_MS);
    restartDelay.set(index, Math.min(RESTART_MAX_MS, delay * 2));
    err(`HTTP worker ${index + 1} of ${count} exited (${signal ?? `code ${code}`}); starting it again in ${Math.round(delay / 1000)} s`);
    setTimeout(() => {
      if (!stopping) fork(index);
    }, delay).unref();
  };

  let exitCode = 0;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    // One still starting has nothing to drain (and may not handle SIGTERM yet).
    for (const [index, worker] of workers) worker.process.kill(listened.has(index) ? 'SIGTERM' : 'SIGKILL');
    if (workers.size === 0) process.exit(exitCode);
    setTimeout(() => {
      for (const worker of workers.values()) worker.process.kill('SIGKILL');
      process.exit(exitCode || 1);
    }, STOP_TIMEOUT_MS).unref();
  };
  // The workers drain and exit 0 on SIGTERM; the primary exits once the last has gone.
  process.on('exit', () => {
    for (const worker of workers.values()) worker.process.kill('SIGKILL');
  });
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));

  for (let index = 0; index < count; index++) fork(index);
}
