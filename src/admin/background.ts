import type { Logger } from '../log.js';

/**
 * Work that outlives the request that started it (a sync answered 202). A failure there has no
 * caller left to answer, so it is logged and swallowed: it must never become an unhandled
 * rejection that takes the process down. Shutdown, and a CLI about to close its store, wait for
 * `idle()` so a run is not cut off half-way by its own process.
 */
export interface Background {
  track(what: Record<string, unknown>, work: Promise<unknown>): void;
  /** Resolves once everything tracked so far (and anything tracked meanwhile) has ended. */
  idle(): Promise<void>;
}

export function createBackground(log?: Logger): Background {
  const running = new Set<Promise<void>>();
  return {
    track(what, work) {
      const settled: Promise<void> = work
        .then(
          () => undefined,
          (error: unknown) => {
            log?.error({ ...what, err: error instanceof Error ? error.message : String(error) }, 'background work failed');
          },
        )
        .finally(() => running.delete(settled));
      running.add(settled);
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
