import { InvalidArgumentError, type Command } from 'commander';
import { DomainError } from '../../../scim/errors.js';
import { withTenantOption } from '../options.js';
import { printObject, printRows } from '../output.js';
import { liveLine, withSpinner } from '../progress.js';
import { withAdmin } from '../transport/index.js';

interface TeamOptions {
  tenant?: string;
  strategy?: 'manager' | 'department';
  template?: string;
  json?: boolean;
}

const strategy = (text: string) => {
  if (text !== 'manager' && text !== 'department') throw new InvalidArgumentError('manager or department');
  return text;
};

const settingsOf = (o: TeamOptions) => ({ ...(o.strategy ? { strategy: o.strategy } : {}), ...(o.template !== undefined ? { nameTemplate: o.template } : {}) });

function withTeamSettings(command: Command): Command {
  return withTenantOption(command)
    .option('--strategy <name>', 'manager (a team per manager with direct reports, the default) or department', strategy)
    .option('--template <text>', "team names: {manager}, {managerFirstName}, {department}; default \"{manager}'s team\"")
    .option('--json', 'print JSON');
}

type Preview = { counts: Record<string, number>; teams: { displayName: string; kind: string; manager: { displayName: string } | null; parent: string | null; members: unknown[]; new: boolean }[]; removed: { displayName: string }[] };

function printPreview(preview: Preview, json: boolean): void {
  if (json) return printObject(preview as unknown as Record<string, unknown>, true);
  printRows(
    preview.teams.map((t) => ({ team: t.displayName, kind: t.kind, reviewer: t.manager?.displayName ?? '', parent: t.parent ?? '', members: t.members.length, new: t.new })),
    false,
    ['team', 'kind', 'reviewer', 'parent', 'members', 'new'],
  );
  const c = preview.counts;
  process.stdout.write(`${c.teams} teams (${c.teamsCreated} new), ${c.unassigned} people unassigned; ${preview.removed.length} existing teams removed${preview.removed.length ? `: ${preview.removed.map((r) => r.displayName).join(', ')}` : ''}\n`);
}

/** `rollcall teams …`: team sync of an HR connection (product.md, "Teams"). */
export function teamCommands(program: Command): void {
  const teams = program.command('teams').description('team sync: teams, reviewers and members from the HR manager hierarchy');
  const call = (method: 'get' | 'post' | 'patch', path: string, id: string, tenant: string | undefined, body?: unknown, progress?: { label: string; json: boolean }) =>
    withAdmin('connections', async (admin) => {
      const slug = await admin.tenantOf('connection', id, tenant);
      const answer = admin.call(method, `/tenants/:slug/connections/:id/team-sync${path}`, { params: { slug, id }, ...(body !== undefined ? { body } : {}) });
      return progress ? withSpinner(progress.label, liveLine(progress.json), answer) : answer;
    });

  withTenantOption(teams.command('show <connection>'))
    .description('whether team sync is on, its strategy and name template')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { tenant?: string; json?: boolean }) => printObject((await call('get', '', id, opts.tenant)) as Record<string, unknown>, !!opts.json));

  withTeamSettings(teams.command('configure <connection>').description('set the strategy or name template (the next run applies them)')).action(async (id: string, opts: TeamOptions) =>
    printObject((await call('patch', '', id, opts.tenant, settingsOf(opts))) as Record<string, unknown>, !!opts.json),
  );

  withTeamSettings(teams.command('preview <connection>').description('the teams team sync would build, and the existing teams enabling removes; writes nothing')).action(
    async (id: string, opts: TeamOptions) => printPreview((await call('post', '/preview', id, opts.tenant, settingsOf(opts))) as Preview, !!opts.json),
  );

  withTeamSettings(
    teams
      .command('enable <connection>')
      .description("turn team sync on: replaces the tenant's teams with those of the preview (run preview first)")
      .option('--yes', 'confirm the replacement'),
  ).action(async (id: string, opts: TeamOptions & { yes?: boolean }) => {
    if (!opts.yes) throw new DomainError('invalid_value', "enabling replaces the tenant's teams: look at `rollcall teams preview` first, then add --yes");
    const result = (await call('post', '/enable', id, opts.tenant, { ...settingsOf(opts), confirm: true }, { label: `enabling team sync of ${id}`, json: !!opts.json })) as Record<string, unknown> & { preview: Preview };
    if (opts.json) printObject(result, true);
    else process.stdout.write(`team sync on for ${id}: ${result.preview.counts.teams} teams, ${result.preview.removed.length} earlier teams removed\n`);
  });

  withTenantOption(teams.command('disable <connection>'))
    .description('stop team sync: the teams stay and become editable')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { tenant?: string; json?: boolean }) => {
      const result = (await call('post', '/disable', id, opts.tenant)) as Record<string, unknown>;
      if (opts.json) printObject(result, true);
      else process.stdout.write(`team sync off for ${id}: ${String(result.released)} teams kept, now editable\n`);
    });
}
