import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import { withTenantOption } from '../options.js';
import { printObject, printRows } from '../output.js';
import { followRun, liveLine } from '../progress.js';
import { withAdmin } from '../transport/index.js';

interface Run {
  id: string;
  state: string;
  counts: Record<string, number>;
  progress: Record<string, number>;
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
  if (finished && run.state === 'failed') process.exitCode = EXIT.runFailed;
  if (finished && run.state === 'held') process.exitCode = EXIT.runHeld;
}

const PERSON = ['id', 'userName', 'displayName', 'lifecycle', 'management', 'connectionId', 'remoteId'];

export function syncCommands(program: Command): void {
  withTenantOption(program.command('sync <connection-id>'))
    .description(
      'sync a connection now; --wait shows its progress and prints the finished run (exit 6: it failed, 7: the safety stop held it). ' +
        'Without --wait the run is printed at once; on the store it runs in this process, so the command returns when it ends, and on a server it goes on there',
    )
    .option('--preview', 'plan only: what the sync would do, writing nothing (always waits)')
    .option('--wait', 'print the run when it has finished')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; preview?: boolean; wait?: boolean; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const slug = await admin.tenantOf('connection', id, opts.tenant);
        const params = { slug, id };
        if (opts.preview) return printRun((await admin.call('post', '/tenants/:slug/connections/:id/preview', { params })) as Run, !!opts.json, true);
        // Started without `?wait`, then polled: the run's progress can be shown, and a long run holds no HTTP request open.
        const started = (await admin.call('post', '/tenants/:slug/connections/:id/sync', { params })) as Run;
        const run = opts.wait ? ((await followRun(admin, slug, started, liveLine(!!opts.json))) as Run) : started;
        printRun(run, !!opts.json, !!opts.wait);
      }),
    );

  withTenantOption(program.command('runs <connection-id>'))
    .description("a connection's sync history, newest first")
    .option('--limit <n>', 'runs per page', '20')
    .option('--before <run-id>', 'runs older than this one (the previous page’s nextBefore)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; limit: string; before?: string; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const slug = await admin.tenantOf('connection', id, opts.tenant);
        const page = (await admin.call('get', '/tenants/:slug/connections/:id/runs', { params: { slug, id }, query: { limit: opts.limit, before: opts.before } })) as {
          items: Run[];
          nextBefore?: string;
        };
        if (opts.json) return printObject(page, true);
        printRows(page.items.map((r) => ({ ...r, counts: counts(r.counts) })), false, ['id', 'mode', 'trigger', 'state', 'counts', 'started', 'finished']);
        if (page.nextBefore) process.stdout.write(`more: --before ${page.nextBefore}\n`);
      }),
    );

  const run = program.command('run').description('one sync run: show it, approve or reject it after a safety stop');
  withTenantOption(run.command('show <run-id>'))
    .option('--operations', "include the plan's operations, each with its reason")
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; operations?: boolean; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const slug = await admin.tenantOf('run', id, opts.tenant);
        const found = (await admin.call('get', '/tenants/:slug/runs/:id', { params: { slug, id }, query: { operations: opts.operations ? 'true' : undefined } })) as Run;
        printRun(found, !!opts.json, false);
      }),
    );
  withTenantOption(run.command('approve <run-id>'))
    .description('apply a held run without the safety stop; prints the new run (with --wait, once finished, showing its progress)')
    .option('--wait', 'print the run when it has finished')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; wait?: boolean; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const slug = await admin.tenantOf('run', id, opts.tenant);
        const started = (await admin.call('post', '/tenants/:slug/runs/:id/approve', { params: { slug, id } })) as Run;
        const applied = opts.wait ? ((await followRun(admin, slug, started, liveLine(!!opts.json))) as Run) : started;
        printRun(applied, !!opts.json, !!opts.wait);
      }),
    );
  withTenantOption(run.command('reject <run-id>'))
    .description('discard a held run: nothing is applied, the connection returns to its schedule')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const slug = await admin.tenantOf('run', id, opts.tenant);
        printRun((await admin.call('post', '/tenants/:slug/runs/:id/reject', { params: { slug, id } })) as Run, !!opts.json, false);
      }),
    );

  program
    .command('candidates')
    .description('people an HR connection found who wait for an invitation (review mode)')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--connection <id>', 'one connection only')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; connection?: string; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const found = await admin.call('get', '/tenants/:slug/candidates', { params: { slug: opts.tenant }, query: { connection: opts.connection } });
        printRows(found as Record<string, unknown>[], !!opts.json, PERSON);
      }),
    );

  for (const [name, description] of [
    ['invite', 'invite a candidate: candidate → invited'],
    ['accept', 'record that an invited user accepted: invited → active'],
  ] as const) {
    withTenantOption(program.command(`${name} <user-id>`))
      .description(description)
      .option('--json', 'print JSON')
      .action((id: string, opts: { tenant?: string; json?: boolean }) =>
        withAdmin('connections', async (admin) => {
          const slug = await admin.tenantOf('user', id, opts.tenant);
          const person = (await admin.call('post', `/tenants/:slug/users/:id/${name}`, { params: { slug, id } })) as Record<string, unknown>;
          if (opts.json) printObject(person, true);
          else printRows([person], false, PERSON);
        }),
      );
  }
}
