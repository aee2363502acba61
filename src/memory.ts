import { setFlagsFromString } from 'node:v8';

/**
 * After each full collection V8 lets the heap grow to as much as four times what survived before
 * it collects again, when allocation is fast — and a sync allocates fast. A run over 50,000 people
 * keeps about 100 MB alive yet peaked above 500 MB RSS that way; growing by 10 % at a time keeps it
 * near 300 MB for some 10 % more time in the run.
 *
 * The same limit costs small work dearly: a fleet of 200-person runs, or SCIM traffic, keeps a few
 * tens of MB alive, and growing by 10 % of that means a full collection every few MB allocated (a
 * no-change run of 200 people spent 15–16 ms of CPU under the limit, 12 ms without it). So the
 * limit holds only while the runs in progress are expected to hold `LIMIT_FROM_MB` or more between
 * them (run-size.ts: any first run, whose size is not known yet, and any run of some 8,000 people
 * or more); otherwise V8's own heuristics decide. The flag is read at each collection, so changing
 * it between runs takes effect at the next one.
 */
export const LIMIT_FROM_MB = 32;

export interface HeapGrowth {
  /** The percent applied while the limit holds; 0 never limits. */
  configure(percent: number): void;
  /** Counts a run's expected megabytes until the returned function is called (once). */
  hold(megabytes: number): () => void;
  /** Whether the limit is in force now. */
  limited(): boolean;
}

/** `apply` sets V8's flag: a percent, or 0 for V8's own growing factor. */
export function createHeapGrowth(apply: (percent: number) => void, limitFromMb = LIMIT_FROM_MB): HeapGrowth {
  let percent = 0;
  let held = 0;
  let applied = 0;
  const update = () => {
    const wanted = percent > 0 && held >= limitFromMb ? percent : 0;
    if (wanted !== applied) apply((applied = wanted));
  };
  return {
    configure(value) {
      percent = value;
      update();
    },
    hold(megabytes) {
      held += megabytes;
      update();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held -= megabytes;
        update();
      };
    },
    limited: () => applied > 0,
  };
}

/** The process's one heap: configured at start from HEAP_GROWTH_PERCENT, held by every sync run. */
export const heapGrowth = createHeapGrowth((percent) => setFlagsFromString(`--heap-growing-percent=${percent}`));

export function limitHeapGrowth(percent: number): void {
  heapGrowth.configure(percent);
}
