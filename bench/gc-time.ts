/**
 * Time a server spent in garbage collection, by kind, from its own `/metrics` (prom-client's
 * `nodejs_gc_duration_seconds`): read before and after a phase, the difference says how much of
 * the phase's CPU the collector took, which CPU time alone does not tell apart.
 */
export type GcSeconds = Record<string, number>;

/** The sum line of each kind, whatever other labels the server adds (its `service` label, say). */
const GC_SUM = /^nodejs_gc_duration_seconds_sum\{[^}]*\bkind="(\w+)"[^}]*\} ([\d.e+-]+)$/gm;

export function parseGcSeconds(exposition: string): GcSeconds {
  const out: GcSeconds = {};
  for (const [, kind, value] of exposition.matchAll(GC_SUM)) out[kind!] = (out[kind!] ?? 0) + Number(value);
  return out;
}

/** A server's GC seconds by kind now; empty when its metrics cannot be read. */
export async function gcSeconds(origin: string): Promise<GcSeconds> {
  const reply = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  return reply?.ok ? parseGcSeconds(await reply.text()) : {};
}

/** `after − before`, summed over servers, in ms: major (mark-compact) and the rest (scavenges and the incremental steps). */
export function gcSpentMs(before: GcSeconds[], after: GcSeconds[]): { majorMs: number; otherMs: number } {
  let majorMs = 0;
  let otherMs = 0;
  after.forEach((now, i) => {
    for (const [kind, seconds] of Object.entries(now)) {
      const ms = (seconds - (before[i]?.[kind] ?? 0)) * 1000;
      if (kind === 'major') majorMs += ms;
      else otherMs += ms;
    }
  });
  return { majorMs, otherMs };
}
