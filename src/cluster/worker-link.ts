import cluster from 'node:cluster';
import { isMessage, WORKER_INDEX_VARIABLE, type PrimaryMessage, type WorkerMessage } from './messages.js';

/** This process's place among the HTTP workers, or undefined when it serves alone. */
export interface WorkerLink {
  index: number;
  /** The first worker runs the background work (scheduled syncs, webhook deliveries, retention). */
  runsBackground: boolean;
  listening(port: number, store: string): void;
  /** Every worker's metrics, aggregated by the primary. */
  scrape(): Promise<{ contentType: string; body: string }>;
  /** Asks the first worker's dispatcher to look for deliveries now. */
  wakeDispatcher(): void;
  /** Called on the first worker when another one asks for a wake-up. */
  onWakeDispatcher(handler: () => void): void;
}

const SCRAPE_TIMEOUT_MS = 10_000;

export function workerLink(): WorkerLink | undefined {
  if (!cluster.isWorker || !process.send) return undefined;
  const index = Number(process.env[WORKER_INDEX_VARIABLE] ?? '0');
  const send = (message: WorkerMessage) => process.send!(message);
  const pending = new Map<number, { resolve: (r: { contentType: string; body: string }) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  let wakeHandler: (() => void) | undefined;
  process.on('message', (message: unknown) => {
    if (!isMessage<PrimaryMessage>(message)) return;
    if (message.type === 'rollcall:wake-dispatcher') {
      wakeHandler?.();
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.type === 'rollcall:scraped') waiter.resolve({ contentType: message.contentType, body: message.body });
    else waiter.reject(new Error(message.message));
  });
  return {
    index,
    runsBackground: index === 0,
    listening: (port, store) => send({ type: 'rollcall:listening', port, store }),
    scrape: () =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('the primary process did not answer the metrics request'));
        }, SCRAPE_TIMEOUT_MS);
        pending.set(id, { resolve, reject, timer });
        send({ type: 'rollcall:scrape', id });
      }),
    wakeDispatcher: () => send({ type: 'rollcall:wake-dispatcher' }),
    onWakeDispatcher: (handler) => {
      wakeHandler = handler;
    },
  };
}
