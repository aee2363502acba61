import type { AdminClient } from './transport/index.js';

/** What a run record says about where it is (`GET /tenants/{slug}/runs/{id}`). */
export interface RunRecord {
  id: string;
  state: string;
  progress: Record<string, number>;
  [key: string]: unknown;
}

const SPINNER = ['|', '/', '-', '\\'];
const BAR = 24;

const number = (n: number | undefined) => (n ?? 0).toLocaleString('en-US');
const seconds = (ms: number) => `${Math.floor(ms / 1000)}s`;

/**
 * One line for a running run: fetching (a count, as the HR system's total is unknown), then a bar
 * of operations applied out of planned. Cut to the terminal's width so it never wraps (a wrapped
 * line cannot be redrawn in place).
 */
export function progressLine(run: Pick<RunRecord, 'id' | 'progress'>, elapsedMs: number, columns = 80, tick = 0): string {
  const p = run.progress;
  const label = `sync ${run.id.slice(-8)}`;
  let line: string;
  if (!p.planned) {
    line = `${label}  ${SPINNER[tick % SPINNER.length]} fetching: ${number(p.fetched)} fetched  ${seconds(elapsedMs)}`;
  } else {
    const done = Math.min(1, (p.applied ?? 0) / p.planned);
    const filled = Math.round(done * BAR);
    line = `${label}  [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${number(p.applied)}/${number(p.planned)} applied  (${number(p.fetched)} fetched)  ${seconds(elapsedMs)}`;
  }
  return line.length >= columns ? line.slice(0, Math.max(0, columns - 1)) : line;
}

/** A line redrawn in place on stderr; drawn at all only for people (both streams a terminal) and never with --json. */
export interface LiveLine {
  draw(text: string): void;
  clear(): void;
}

export function liveLine(json: boolean): LiveLine | undefined {
  if (json || !process.stdout.isTTY || !process.stderr.isTTY) return undefined;
  let shown = false;
  return {
    draw(text) {
      process.stderr.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Polls a run until it has ended, drawing its progress meanwhile when `line` is given. The same in
 * both modes: locally the run goes on in this process's background, remotely in the server.
 */
export async function followRun(admin: AdminClient, slug: string, started: RunRecord, line: LiveLine | undefined): Promise<RunRecord> {
  const since = Date.now();
  let run = started;
  let tick = 0;
  try {
    // Quick at first (most runs of a small tenant end in a second or two), then once a second.
    for (let wait = 200; run.state === 'running'; wait = Math.min(1000, wait * 2)) {
      // A terminal that reports no size (0 columns) gets the classic 80.
      line?.draw(progressLine(run, Date.now() - since, process.stderr.columns || 80, tick++));
      await sleep(wait);
      run = (await admin.call('get', '/tenants/:slug/runs/:id', { params: { slug, id: run.id } })) as RunRecord;
    }
  } finally {
    line?.clear();
  }
  return run;
}

/** For work with no run record to poll (team sync's enable): a spinner and the time it has taken. */
export async function withSpinner<T>(label: string, line: LiveLine | undefined, work: Promise<T>): Promise<T> {
  if (!line) return work;
  const since = Date.now();
  let tick = 0;
  const draw = () => line.draw(`${label}  ${SPINNER[tick++ % SPINNER.length]} ${seconds(Date.now() - since)}`);
  draw();
  const timer = setInterval(draw, 250);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    line.clear();
  }
}
