import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import type { PhaseResult } from './stats.js';

/**
 * CPU time per request, of the server process and of the PostgreSQL backends serving the bench
 * database, from the kernel's accounting (/proc/<pid>/stat). On a shared machine wall-clock rates
 * swing with everyone else's work; CPU spent per request moves far less, so it is the figure to
 * compare before and after a change. Linux only; elsewhere the figures are left out.
 */
export interface CpuFigures {
  /** Server (Node) CPU per request, ms. */
  serverCpuMs?: number;
  /** PostgreSQL backends' CPU per request, ms (PostgreSQL runs only). */
  dbCpuMs?: number;
}

const TICK_MS = 10; // CLK_TCK is 100 on Linux.

/** utime + stime of a process in ms, or undefined when it cannot be read. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** The process and its children (the HTTP workers under HTTP_WORKERS), summed. */
function treeCpuMs(pid: number): number | undefined {
  const own = cpuMs(pid);
  if (own === undefined) return undefined;
  let total = own;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) total += cpuMs(Number(entry)) ?? 0;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return total;
}

export interface Meter {
  /** Runs a phase and adds its CPU per request. */
  measure<T extends PhaseResult>(run: () => Promise<T>): Promise<T & CpuFigures>;
  close(): Promise<void>;
}

export function createMeter(serverPid: number, databaseUrl?: string): Meter {
  const sql = databaseUrl ? postgres(databaseUrl, { max: 1, onnotice: () => {} }) : undefined;
  const backends = async (): Promise<Map<number, number>> => {
    const out = new Map<number, number>();
    if (!sql) return out;
    const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
    for (const { pid } of rows) {
      const ms = cpuMs(pid);
      if (ms !== undefined) out.set(pid, ms);
    }
    return out;
  };
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    async measure(run) {
      const server0 = treeCpuMs(serverPid);
      const db0 = await backends();
      const result = await run();
      const server1 = treeCpuMs(serverPid);
      const db1 = await backends();
      const figures: CpuFigures = {};
      if (server0 !== undefined && server1 !== undefined && result.ops > 0) figures.serverCpuMs = round((server1 - server0) / result.ops);
      if (sql && db1.size > 0 && result.ops > 0) {
        let spent = 0;
        for (const [pid, ms] of db1) spent += ms - (db0.get(pid) ?? 0);
        figures.dbCpuMs = round(spent / result.ops);
      }
      return { ...result, ...figures };
    },
    close: async () => {
      await sql?.end({ timeout: 5 });
    },
  };
}
