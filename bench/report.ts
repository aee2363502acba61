import type { BenchConfig, StoreKind } from './config.js';
import type { GroupsOutcome } from './groups.js';
import type { CpuFigures } from './cpu.js';
import type { PhaseResult } from './stats.js';

/** The spec's targets, judged on PostgreSQL only (PGlite is the single-node default, one connection). */
export type Target = { kind: 'minOpsPerSec' | 'maxWallMs' | 'maxP99Ms' | 'maxMs'; value: number; /** A bound on p99 besides. */ p99Ms?: number };

export interface Row {
  name: string;
  ops: number;
  opsPerSec?: number;
  p50Ms: number;
  p99Ms: number;
  wallMs: number;
  /** What the row is judged on and whether it met it (PostgreSQL only). */
  target?: Target & { met: boolean };
  /** Server (Node) and PostgreSQL CPU per request, ms, when measured. */
  serverCpuMs?: number;
  dbCpuMs?: number;
  /**
   * Against the raw postgres.js figure of the same run for the query this phase stands on (PostgreSQL):
   * ops/s over its ops/s, and p99 over its p99.
   */
  vsReference?: { name: string; opsRatio: number; p99Ratio: number };
  note?: string;
}

/** Every single-resource phase: p99 at most 25 ms at 16 in flight. */
const P99 = 25;
const WRITE: Target = { kind: 'minOpsPerSec', value: 3000, p99Ms: P99 };
const LOOKUP: Target = { kind: 'minOpsPerSec', value: 6000, p99Ms: P99 };
const BY_ID: Target = { kind: 'minOpsPerSec', value: 8000, p99Ms: P99 };
const targets: Record<string, (config: BenchConfig) => Target> = {
  create: () => WRITE,
  'userName eq': () => LOOKUP,
  'externalId eq': () => LOOKUP,
  'GET by id': () => BY_ID,
  'PATCH title': () => WRITE,
  PUT: () => WRITE,
  'PATCH active=false': () => WRITE,
  'DELETE member': () => WRITE,
  'list page 100': () => ({ kind: 'minOpsPerSec', value: 150, p99Ms: P99 }),
  // 3 s for 20,000 users; scaled when BENCH_USERS shrinks the run.
  'page startIndex': (c) => ({ kind: 'maxWallMs', value: Math.round((3000 * c.users) / 20_000) }),
  'page cursor': (c) => ({ kind: 'maxWallMs', value: Math.round((3000 * c.users) / 20_000) }),
  'group add 100': () => ({ kind: 'maxP99Ms', value: 20 }),
  'group remove 100': () => ({ kind: 'maxP99Ms', value: 20 }),
  'GET group+members': () => ({ kind: 'maxMs', value: 300 }),
  'GET group excl.': () => ({ kind: 'minOpsPerSec', value: 4000 }),
};

/** The raw postgres.js reference each phase is read against (bench/reference.ts). */
export const REFERENCE_OF: Record<string, string> = {
  create: 'pg: insert, 1 trip',
  'userName eq': 'pg: userName eq',
  'externalId eq': 'pg: userName eq',
  'GET by id': 'pg: user by id',
  'PATCH title': 'pg: write, 1 trip',
  PUT: 'pg: write, 1 trip',
  'PATCH active=false': 'pg: write, 1 trip',
  'DELETE member': 'pg: delete, 1 trip',
  'list page 100': 'pg: page of 100',
  'GET group excl.': 'pg: user by id',
};

function judge(row: Row, target: Target): boolean {
  if (target.p99Ms !== undefined && row.p99Ms > target.p99Ms) return false;
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

/** Sets each row's ratio to its reference row, when the run measured that reference. */
export function compareToReference(rows: Row[], reference: Row[]): void {
  const byName = new Map(reference.map((r) => [r.name, r]));
  for (const row of rows) {
    const ref = byName.get(REFERENCE_OF[row.name] ?? '');
    if (!ref || !ref.opsPerSec || !row.opsPerSec) continue;
    const round = (n: number) => Math.round(n * 100) / 100;
    row.vsReference = { name: ref.name, opsRatio: round(row.opsPerSec / ref.opsPerSec), p99Ratio: round(row.p99Ms / Math.max(ref.p99Ms, 0.01)) };
  }
}

export function toRow(name: string, r: PhaseResult & CpuFigures, store: StoreKind | 'reference', config: BenchConfig, note?: string): Row {
  const row: Row = { name, ops: r.ops, opsPerSec: r.opsPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms, wallMs: r.wallMs, ...(note ? { note } : {}) };
  if (r.serverCpuMs !== undefined) row.serverCpuMs = r.serverCpuMs;
  if (r.dbCpuMs !== undefined) row.dbCpuMs = r.dbCpuMs;
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
    toRow('DELETE member', g.deleteMembers, store, config, `users each in one ${g.memberCount}-member group`),
  ];
}

const describe = (t: Target) =>
  (t.kind === 'minOpsPerSec' ? `≥ ${t.value}/s` : t.kind === 'maxWallMs' ? `< ${t.value} ms total` : t.kind === 'maxP99Ms' ? `p99 < ${t.value} ms` : `< ${t.value} ms`) +
  (t.p99Ms !== undefined ? `, p99 ≤ ${t.p99Ms}` : '');

export function table(title: string, rows: Row[]): string {
  const head = ['phase', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'wall ms', 'srv CPU ms', 'db CPU ms', 'vs pg ops', 'vs pg p99', 'target', '', 'note'];
  const body = rows.map((r) => [
    r.name,
    String(r.ops),
    r.opsPerSec === undefined ? '' : String(r.opsPerSec),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(Math.round(r.wallMs)),
    r.serverCpuMs === undefined ? '' : r.serverCpuMs.toFixed(3),
    r.dbCpuMs === undefined ? '' : r.dbCpuMs.toFixed(3),
    r.vsReference ? r.vsReference.opsRatio.toFixed(2) : '',
    r.vsReference ? r.vsReference.p99Ratio.toFixed(2) : '',
    r.target ? describe(r.target) : '',
    r.target ? (r.target.met ? '✓' : '✗') : '',
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 9 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [title, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
