import { describe, expect, it } from 'vitest';
import { gcSpentMs, parseGcSeconds, type GcSeconds } from '../../bench/gc-time.js';

const exposition = (minor: number, major: number) => `# HELP nodejs_gc_duration_seconds Garbage collection duration by kind
# TYPE nodejs_gc_duration_seconds histogram
nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 10
nodejs_gc_duration_seconds_sum{kind="minor"} ${minor}
nodejs_gc_duration_seconds_count{kind="minor"} 12
nodejs_gc_duration_seconds_sum{kind="major",service="rollcall"} ${major}
nodejs_gc_duration_seconds_sum{service="rollcall",kind="incremental"} 0.5
http_request_duration_seconds_sum{route="/healthz"} 9`;

describe('bench GC time', () => {
  it.each<[string, string, Record<string, number>]>([
    ['sums by kind, nothing else', exposition(0.25, 1.5), { minor: 0.25, major: 1.5, incremental: 0.5 }],
    ['exponent notation', exposition(2.5e-3, 0), { minor: 0.0025, major: 0, incremental: 0.5 }],
    ['no GC metrics', 'process_cpu_seconds_total 3', {}],
  ])('%s', (_, text, expected) => {
    expect(parseGcSeconds(text)).toEqual(expected);
  });

  it('spent is after minus before, over every server, full collections apart', () => {
    const before: GcSeconds[] = [{ minor: 1, major: 2 }, { minor: 0 }];
    const after: GcSeconds[] = [{ minor: 1.5, major: 2.25, incremental: 0.1 }, { minor: 0.5, major: 1 }];
    const spent = gcSpentMs(before, after);
    expect(spent.majorMs).toBeCloseTo(1250);
    expect(spent.otherMs).toBeCloseTo(1100);
  });
});
