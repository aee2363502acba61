/**
 * Coalesces reads that arrive in the same turn of the event loop. Under load, many SCIM requests are
 * parsed in one poll phase and each reaches its query within microtasks; without this, every one of
 * them is its own round trip (a socket write and read on each side, a statement in PostgreSQL). With
 * it, the reads of one group (same tenant, same shape) go out as one statement in the check phase
 * right after, and each caller gets its own entry back: a value, or an error of its own.
 *
 * Nothing waits on a timer: a lone request is sent one `setImmediate` later than it would have been.
 */
export interface ReadBatcher {
  /**
   * Queues `item` in the batch named `group`; `run` (the first caller's, so callers of one group must
   * pass equivalent ones) reads the whole batch and returns one entry per item, in order.
   */
  load<I, R>(group: string, item: I, run: (items: I[]) => Promise<(R | Error)[]>): Promise<R>;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Batch {
  items: unknown[];
  waiters: Waiter[];
  run: (items: unknown[]) => Promise<unknown[]>;
}

/** `maxBatch` bounds one statement's size; a full batch goes out at once. */
export function createReadBatcher(maxBatch = 100): ReadBatcher {
  let pending = new Map<string, Batch>();
  let scheduled = false;

  const send = (batch: Batch) => {
    let running: Promise<unknown[]>;
    try {
      running = batch.run(batch.items);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (results) => {
        batch.waiters.forEach((waiter, i) => {
          const result = results[i];
          if (result instanceof Error) waiter.reject(result);
          else waiter.resolve(result);
        });
      },
      (error: unknown) => {
        for (const waiter of batch.waiters) waiter.reject(error);
      },
    );
  };

  const flush = () => {
    scheduled = false;
    const batches = pending;
    pending = new Map();
    for (const batch of batches.values()) send(batch);
  };

  return {
    load<I, R>(group: string, item: I, run: (items: I[]) => Promise<(R | Error)[]>) {
      return new Promise<R>((resolve, reject) => {
        let batch = pending.get(group);
        if (!batch) {
          batch = { items: [], waiters: [], run: run as (items: unknown[]) => Promise<unknown[]> };
          pending.set(group, batch);
        }
        batch.items.push(item);
        batch.waiters.push({ resolve: resolve as (value: unknown) => void, reject });
        if (batch.items.length >= maxBatch) {
          pending.delete(group);
          send(batch);
        } else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
