import type { Executor } from '../../src/db/client.js';

/**
 * Counts the statements a piece of work sends to the database, whichever driver sits underneath:
 * postgres.js reports every query it sends (BEGIN and COMMIT included) to its `debug` hook; the
 * embedded PGlite is wrapped, a transaction counting as its BEGIN and COMMIT, so both stores give
 * the same figure for the same work. What a run costs the database is what these tests pin down.
 */
export interface StatementCounter {
  /** Statements sent since the counter was made or last reset, and their text. */
  count(): number;
  texts(): string[];
  reset(): void;
  stop(): void;
}

interface PostgresJsLike {
  options: { debug?: unknown };
}
interface PgliteLike {
  query(...args: unknown[]): Promise<unknown>;
  exec(...args: unknown[]): Promise<unknown>;
  transaction(fn: (tx: PgliteLike) => Promise<unknown>): Promise<unknown>;
}

export function countStatements(db: Executor): StatementCounter {
  let seen: string[] = [];
  const record = (text: string) => seen.push(text.replace(/\s+/g, ' ').trim());
  const client = (db as unknown as { $client: unknown }).$client;
  let stop: () => void;
  if (client && typeof (client as PostgresJsLike).options === 'object' && 'unsafe' in (client as object)) {
    const options = (client as PostgresJsLike).options;
    const before = options.debug;
    options.debug = (_connection: number, text: string) => record(text);
    stop = () => {
      options.debug = before;
    };
  } else {
    const pglite = client as PgliteLike;
    const { query, exec, transaction } = pglite;
    const wrap = (target: PgliteLike): PgliteLike => {
      const q = target.query.bind(target);
      const e = target.exec.bind(target);
      target.query = (...args: unknown[]) => (record(String(args[0])), q(...args));
      target.exec = (...args: unknown[]) => (record(String(args[0])), e(...args));
      return target;
    };
    wrap(pglite);
    pglite.transaction = (fn) =>
      transaction.call(pglite, async (tx) => {
        record('begin');
        const result = await fn(wrap(tx));
        record('commit');
        return result;
      });
    stop = () => Object.assign(pglite, { query, exec, transaction });
  }
  return {
    count: () => seen.length,
    texts: () => [...seen],
    reset: () => {
      seen = [];
    },
    stop,
  };
}
