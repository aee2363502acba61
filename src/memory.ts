import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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
 * or more); otherwise V8's own heuristics decide.
 *
 * The flag is read at each full collection, when V8 sets where the next one happens. Turned on
 * mid-process, it would wait for a collection at the limit set without it: up to four times the
 * heap that survived the last one, which after a run of 50,000 people is far above the 300 MB the
 * limit is for (a HiBob run then peaked at 595 MB; it peaks at 385 MB with the collection below).
 * So turning the limit on collects once, there and then; it happens when a large run starts while
 * no other is in progress, and a run that size takes seconds.
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

/**
 * `apply` sets V8's flag: a percent, or 0 for V8's own growing factor. `collect` runs a full
 * collection, called each time the limit comes into force.
 */
export function createHeapGrowth(apply: (percent: number) => void, limitFromMb = LIMIT_FROM_MB, collect: () => void = () => {}): HeapGrowth {
  let percent = 0;
  let held = 0;
  let applied = 0;
  const update = () => {
    const wanted = percent > 0 && held >= limitFromMb ? percent : 0;
    if (wanted === applied) return;
    const comingIntoForce = applied === 0;
    apply((applied = wanted));
    if (comingIntoForce) collect();
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

let exposedGc: (() => void) | undefined;
/**
 * A full collection without starting Node with --expose-gc: the flag, set now, gives contexts
 * created from then on a `gc` function, and one such context is made once for it.
 */
function fullCollection(): void {
  if (!exposedGc) {
    setFlagsFromString('--expose-gc');
    exposedGc = runInNewContext('gc') as () => void;
  }
  exposedGc();
}

/** The process's one heap: configured at start from HEAP_GROWTH_PERCENT, held by every sync run. */
export const heapGrowth = createHeapGrowth((percent) => setFlagsFromString(`--heap-growing-percent=${percent}`), LIMIT_FROM_MB, fullCollection);

export function limitHeapGrowth(percent: number): void {
  heapGrowth.configure(percent);
}
