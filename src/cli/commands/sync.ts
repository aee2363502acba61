import type { Command } from 'commander';
import { invokeAdmin } from '../../admin/invoke.js';
import { tenantOf } from '../../connections/tenant-of.js';
import { printObject, printRows } from '../output.js';
import { withConnections } from '../store.js';

interface Run {
  id: string;
  state: string;
  counts: Record<string, number>;
  held: { reason?: string } | null;
  error: string | null;
  operations?: Record<string, unknown>[];
  [key: string]: unknown;
}

const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(' ') || '-';

/** A run for people (one line of columns, why it was held or failed) or as JSON; the exit code tells scripts how it ended. */
function printRun(run: Run, json: boolean, finished: boolean): void {
  if (json) printObject(run, true);
  else {
    printRows([{ ...run, counts: counts(run.counts) }], false, ['id', 'mode', 'trigger', 'state', 'counts', 'started', 'finished']);
    if (run.held?.reason) process.stdout.write(`held: ${run.held.reason} (rollcall run approve|reject ${run.id})\n`);
    if (run.error) process.stdout.write(`error: ${run.error}\n`);
    if (run.operations) printRows(run.operations, false, ['kind', 'remoteId', 'email', 'userId', 'reason']);
  }
  if (finished && run.state === 'failed') process.exitCode = 1;
  if (finished && run.state === 'held') process.exitCode = 2;
}

const PERSON = ['id', 'userName', 'displayName', 'lifecycle', 'management', 'connectionId', 'remoteId'];

export function syncCommands(program: Command): void {
  program
    .command('sync <connection-id>')
    .description(
      'sync a connection now; --wait prints the finished run (exit 1: it failed, 2: the safety stop held it). ' +
        'The run is this process’s: without --wait it is printed at once and the command returns when it ends',
    )
    .option('--preview', 'plan only: what the sync would do, writing nothing (always waits)')
    .option('--wait', 'print the run when it has finished')
    .option('--json', 'print JSON')
    .action((id: string, opts: { preview?: boolean; wait?: boolean; json?: boolean }) =>
      withConnections(async (db, work) => {
        const slug = await tenantOf(db.db, 'connection', id);
        const params = { slug, id };
        const run = (await (opts.preview
          ? invokeAdmin(db, 'post', '/tenants/:slug/connections/:id/preview', { params }, work)
          : invokeAdmin(db, 'post', '/tenants/:slug/connections/:id/sync', { params, query: { wait: opts.wait ? 'true' : undefined } }, work))) as Run;
        printRun(run, !!opts.json, !!(opts.preview || opts.wait));
      }),
    );

  program
    .command('runs <connection-id>')
    .description("a connection's sync history, newest first")
    .option('--limit <n>', 'runs per page', '20')
    .option('--before <run-id>', 'runs older than this one (the previous page’s nextBefore)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { limit: string; before?: string; json?: boolean }) =>
      withConnections(async (db, work) => {
        const slug = await tenantOf(db.db, 'connection', id);
        const page = (await invokeAdmin(db, 'get', '/tenants/:slug/connections/:id/runs', { params: { slug, id }, query: { limit: opts.limit, before: opts.before } }, work)) as {
          items: Run[];
          nextBefore?: string;
        };
        if (opts.json) return printObject(page, true);
        printRows(page.items.map((r) => ({ ...r, counts: counts(r.counts) })), false, ['id', 'mode', 'trigger', 'state', 'counts', 'started', 'finished']);
        if (page.nextBefore) process.stdout.write(`more: --before ${page.nextBefore}\n`);
      }),
    );

  const run = program.command('run').description('one sync run: show it, approve or reject it after a safety stop');
  run
    .command('show <run-id>')
    .option('--operations', "include the plan's operations, each with its reason")
    .option('--json', 'print JSON')
    .action((id: string, opts: { operations?: boolean; json?: boolean }) =>
      withConnections(async (db, work) => {
        const slug = await tenantOf(db.db, 'run', id);
        const found = (await invokeAdmin(db, 'get', '/tenants/:slug/runs/:id', { params: { slug, id }, query: { operations: opts.operations ? 'true' : undefined } }, work)) as Run;
        printRun(found, !!opts.json, false);
      }),
    );
  run
    .command('approve <run-id>')
    .description('apply a held run without the safety stop; prints the new run (with --wait, once finished)')
    .option('--wait', 'print the run when it has finished')
    .option('--json', 'print JSON')
    .action((id: string, opts: { wait?: boolean; json?: boolean }) =>
      withConnections(async (db, work) => {
        const slug = await tenantOf(db.db, 'run', id);
        const applied = (await invokeAdmin(db, 'post', '/tenants/:slug/runs/:id/approve', { params: { slug, id }, query: { wait: opts.wait ? 'true' : undefined } }, work)) as Run;
        printRun(applied, !!opts.json, !!opts.wait);
      }),
    );
  run
    .command('reject <run-id>')
    .description('discard a held run: nothing is applied, the connection returns to its schedule')
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withConnections(async (db, work) => {
        const slug = await tenantOf(db.db, 'run', id);
        printRun((await invokeAdmin(db, 'post', '/tenants/:slug/runs/:id/reject', { params: { slug, id } }, work)) as Run, !!opts.json, false);
      }),
    );

  program
    .command('candidates')
    .description('people an HR connection found who wait for an invitation (review mode)')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--connection <id>', 'one connection only')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; connection?: string; json?: boolean }) =>
      withConnections(async (db, work) => {
        const found = await invokeAdmin(db, 'get', '/tenants/:slug/candidates', { params: { slug: opts.tenant }, query: { connection: opts.connection } }, work);
        printRows(found as Record<string, unknown>[], !!opts.json, PERSON);
      }),
    );

  for (const [name, description] of [
    ['invite', 'invite a candidate: candidate → invited'],
    ['accept', 'record that an invited user accepted: invited → active'],
  ] as const) {
    program
      .command(`${name} <user-id>`)
      .description(description)
      .option('--json', 'print JSON')
      .action((id: string, opts: { json?: boolean }) =>
        withConnections(async (db, work) => {
          const slug = await tenantOf(db.db, 'user', id);
          const person = (await invokeAdmin(db, 'post', `/tenants/:slug/users/:id/${name}`, { params: { slug, id } }, work)) as Record<string, unknown>;
          if (opts.json) printObject(person, true);
          else printRows([person], false, PERSON);
        }),
      );
  }
}
