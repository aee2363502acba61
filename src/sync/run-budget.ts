/**
 * A weighted first-come-first-served budget: runs take a share (their expected memory) and give it
 * back when done. A run bigger than the whole budget takes all of it, so it runs alone instead of
 * never. Strictly in arrival order: once a big run waits, later small ones wait behind it, or a
 * stream of small runs could keep a big one waiting for ever.
 */
export interface RunBudget {
  /** Resolves with the function that gives the share back, once `weight` fits. */
  acquire(weight: number): Promise<() => void>;
  /** What is taken now and by how many runs; for metrics and tests. */
  usage(): { used: number; holders: number; waiting: number };
}

export function createRunBudget(capacity: number): RunBudget {
  let used = 0;
  let holders = 0;
  const queue: { weight: number; grant: () => void }[] = [];

  const take = (weight: number): (() => void) => {
    used += weight;
    holders++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      used -= weight;
      holders--;
      admit();
    };
  };
  // An empty budget admits anything, so a share larger than the capacity never deadlocks.
  const fits = (weight: number) => holders === 0 || used + weight <= capacity;
  const admit = () => {
    while (queue.length > 0 && fits(queue[0]!.weight)) queue.shift()!.grant();
  };

  return {
    acquire(weight) {
      const share = Math.min(Math.max(0, weight), capacity);
      if (queue.length === 0 && fits(share)) return Promise.resolve(take(share));
      return new Promise((resolve) => queue.push({ weight: share, grant: () => resolve(take(share)) }));
    },
    usage: () => ({ used, holders, waiting: queue.length }),
  };
}
