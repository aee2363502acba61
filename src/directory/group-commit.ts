/**
 * Group commit: writes of one tenant that arrive while its previous batch is in the database wait
 * for it and then go together, as one statement and one commit. Each write keeps its own outcome:
 * `run` answers each item with its result or its error. With nothing in flight a write goes at
 * once, alone, so a quiet tenant waits for nobody; under load, PostgreSQL's cost per commit and
 * the server's per statement are shared by the batch.
 */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** A write's own outcome, for `run` to answer with. */
export async function settle<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error };
  }
}

export interface GroupCommit<I, O> {
  submit(key: string, item: I): Promise<O>;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/** Items per statement: a bound on its parameter size and on how long the last of a batch waits. */
export const GROUP_COMMIT_MAX = 64;

export function createGroupCommit<I, O>(run: (key: string, items: I[]) => Promise<Outcome<O>[]>, max = GROUP_COMMIT_MAX): GroupCommit<I, O> {
  /** Per key: the writes waiting for the batch in flight; a key is present while one is. */
  const queues = new Map<string, Waiting<I, O>[]>();

  async function drain(key: string, batch: Waiting<I, O>[]): Promise<void> {
    for (;;) {
      let outcomes: Outcome<O>[];
      try {
        outcomes = await run(
          key,
          batch.map((w) => w.item),
        );
      } catch (error) {
        outcomes = batch.map(() => ({ ok: false, error }));
      }
      batch.forEach((w, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) w.resolve(outcome.value);
        else w.reject(outcome.error);
      });
      const waiting = queues.get(key)!;
      if (waiting.length === 0) {
        queues.delete(key);
        return;
      }
      batch = waiting.splice(0, max);
    }
  }

  return {
    submit(key, item) {
      return new Promise<O>((resolve, reject) => {
        const waiting = queues.get(key);
        if (waiting) {
          waiting.push({ item, resolve, reject });
          return;
        }
        queues.set(key, []);
        void drain(key, [{ item, resolve, reject }]);
      });
    },
  };
}
