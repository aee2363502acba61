/** Latencies and throughput of one measured phase. */
export interface PhaseResult {
  ops: number;
  wallMs: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarise(latencies: Float64Array, wallMs: number): PhaseResult {
  const sorted = Float64Array.from(latencies).sort();
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    ops: sorted.length,
    wallMs: round(wallMs),
    opsPerSec: Math.round((sorted.length / wallMs) * 1000),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/**
 * Runs `n` operations with at most `concurrency` in flight, timing each. Bounded by `n`: each
 * worker takes the next index until none are left. The first failure stops the phase.
 */
export async function runPool(n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<PhaseResult> {
  const latencies = new Float64Array(n);
  let next = 0;
  let failed: unknown;
  const started = performance.now();
  const worker = async () => {
    while (next < n && failed === undefined) {
      const i = next++;
      const t = performance.now();
      try {
        await op(i);
      } catch (error) {
        failed ??= error;
        return;
      }
      latencies[i] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  if (failed !== undefined) throw failed;
  return summarise(latencies, performance.now() - started);
}

/** Runs up to `n` operations one after another (paging walks, membership batches); an op returning false ends the run. */
export async function runSequential(n: number, op: (i: number) => Promise<boolean | void>): Promise<PhaseResult> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const more = await op(i);
    latencies.push(performance.now() - t);
    if (more === false) break;
  }
  return summarise(Float64Array.from(latencies), performance.now() - started);
}
