/**
 * Runs `fn` over `items` with at most `limit` calls in flight, results in input order. The
 * first failure aborts the shared signal so the other workers stop instead of spending the
 * rate budget on a run that has already failed.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
  outer?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const stop = new AbortController();
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const i = next++;
      results[i] = await fn(items[i]!, signal);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } catch (err) {
    stop.abort(err);
    throw err;
  }
  return results;
}
