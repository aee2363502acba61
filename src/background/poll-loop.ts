/** A background loop a server process runs: drain the work there is, sleep, look again. */
export interface PollLoop {
  /** Look for work now instead of at the next tick. */
  wake(): void;
  /** Stops looking; resolves when the round in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `drain` now and again `intervalMs` after each round ends (never two rounds at once).
 * `drain` should return when there is nothing left to do, or when `isStopped()` says so; an error
 * it throws is reported and the loop goes on at the next tick.
 */
export function startPollLoop(drain: (isStopped: () => boolean) => Promise<void>, intervalMs: number, onError: (error: Error) => void): PollLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const isStopped = () => stopped;

  const tick = () => {
    timer = undefined;
    current = drain(isStopped)
      .catch((error: unknown) => onError(error as Error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    wake() {
      if (timer && !stopped) {
        clearTimeout(timer);
        timer = setTimeout(tick, 0);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
