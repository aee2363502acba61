import type { BenchConfig, StoreKind } from './config.js';
import type { GroupsOutcome } from './groups.js';
import type { PhaseResult } from './stats.js';

/** The spec's targets, judged on PostgreSQL only (PGlite is the single-node default, one connection). */
export type Target = { kind: 'minOpsPerSec' | 'maxWallMs' | 'maxP99Ms' | 'maxMs'; value: number };

export interface Row {
  name: string;
  ops: number;
  opsPerSec?: number;
  p50Ms: number;
  p99Ms: number;
  wallMs: number;
  /** What the row is judged on and whether it met it (PostgreSQL only). */
  target?: Target & { met: boolean };
  note?: string;
}

const READ: Target = { kind: 'minOpsPerSec', value: 4000 };
const WRITE: Target = { kind: 'minOpsPerSec', value: 1500 };
const targets: Record<string, (config: BenchConfig) => Target> = {
  create: () => WRITE,
  'userName eq': () => READ,
  'externalId eq': () => READ,
  'GET by id': () => READ,
  'PATCH title': () => WRITE,
  PUT: () => WRITE,
  // 3 s for 20,000 users; scaled when BENCH_USERS shrinks the run.
  'page startIndex': (c) => ({ kind: 'maxWallMs', value: Math.round((3000 * c.users) / 20_000) }),
  'page cursor': (c) => ({ kind: 'maxWallMs', value: Math.round((3000 * c.users) / 20_000) }),
  'group add 100': () => ({ kind: 'maxP99Ms', value: 20 }),
  'group remove 100': () => ({ kind: 'maxP99Ms', value: 20 }),
  'GET group+members': () => ({ kind: 'maxMs', value: 300 }),
  'GET group excl.': () => READ,
};

function judge(row: Row, target: Target): boolean {
  switch (target.kind) {
    case 'minOpsPerSec':
      return (row.opsPerSec ?? 0) >= target.value;
    case 'maxWallMs':
      return row.wallMs < target.value;
    case 'maxP99Ms':
      return row.p99Ms < target.value;
    case 'maxMs':
      return row.p99Ms < target.value;
    default: {
      const unreachable: never = target.kind;
      throw new Error(`unknown target ${String(unreachable)}`);
    }
  }
}

export function toRow(name: string, r: PhaseResult, store: StoreKind | 'reference', config: BenchConfig, note?: string): Row {
  const row: Row = { name, ops: r.ops, opsPerSec: r.opsPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms, wallMs: r.wallMs, ...(note ? { note } : {}) };
  const target = store === 'postgres' ? targets[name]?.(config) : undefined;
  if (target) row.target = { ...target, met: judge(row, target) };
  return row;
}

export function groupRows(g: GroupsOutcome, store: StoreKind, config: BenchConfig): Row[] {
  return [
    toRow('group create', g.create, store, config),
    toRow('group add 100', g.addMembers, store, config, `${g.addMembers.batches} batches, last/first ${g.addMembers.lastVsFirst}`),
    // Judged on the worst of the repeats (p99 of five is the max).
    toRow('GET group+members', g.getWithMembers, store, config, `${g.memberCount} members`),
    toRow('GET group excl.', g.getWithoutMembers, store, config, 'excludedAttributes=members'),
    toRow('group remove 100', g.removeMembers, store, config, `${g.removeMembers.batches} batches, last/first ${g.removeMembers.lastVsFirst}`),
  ];
}

const describe = (t: Target) =>
  t.kind === 'minOpsPerSec' ? `≥ ${t.value}/s` : t.kind === 'maxWallMs' ? `< ${t.value} ms total` : t.kind === 'maxP99Ms' ? `p99 < ${t.value} ms` : `< ${t.value} ms`;

export function table(title: string, rows: Row[]): string {
  const head = ['phase', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'wall ms', 'target', '', 'note'];
  const body = rows.map((r) => [
    r.name,
    String(r.ops),
    r.opsPerSec === undefined ? '' : String(r.opsPerSec),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(Math.round(r.wallMs)),
    r.target ? describe(r.target) : '',
    r.target ? (r.target.met ? '✓' : '✗') : '',
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [title, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
