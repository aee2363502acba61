import { InvalidArgumentError, type Command } from 'commander';
import { SCOPES, type Scope } from '../../auth/scim-tokens.js';
import { parseDuration } from '../duration.js';
import { printObject, printRows } from '../output.js';
import { withAdmin } from '../transport/index.js';

const duration = (text: string) => {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError('use a number and a unit: 45m, 12h, 90d, 2w');
  return ms;
};

const scope = (text: string, previous: Scope[] = []) => {
  if (!SCOPES.includes(text as Scope)) throw new InvalidArgumentError(`one of ${SCOPES.join(', ')}`);
  return [...previous, text as Scope];
};

export function tokenCommands(program: Command): void {
  const token = program.command('token').description('manage SCIM bearer tokens');
  token
    .command('create')
    .description('issue a SCIM token; prints the secret alone on stdout (it is not stored and cannot be shown again)')
    .requiredOption('--tenant <slug>', 'tenant the token acts for')
    .option('--name <name>', 'a label, e.g. "okta"', 'cli')
    .option('--expires-in <duration>', 'lifetime, e.g. 90d', duration)
    .option('--scope <scope>', 'scim:write (identity providers, default) or scim:read (apps that read); repeatable', scope)
    .option('--json', 'print the token record as JSON, secret included')
    .action((opts: { tenant: string; name: string; expiresIn?: number; scope?: Scope[]; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const created = (await admin.call('post', '/tenants/:slug/tokens', {
          params: { slug: opts.tenant },
          body: {
            name: opts.name,
            ...(opts.scope ? { scopes: opts.scope } : {}),
            ...(opts.expiresIn ? { expiresInSeconds: Math.round(opts.expiresIn / 1000) } : {}),
          },
        })) as { secret: string };
        if (opts.json) printObject({ ...created, tenant: opts.tenant, name: opts.name }, true);
        else process.stdout.write(`${created.secret}\n`);
      }),
    );
  token
    .command('list')
    .description('list the tokens of a tenant (never their secrets)')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const tokens = (await admin.call('get', '/tenants/:slug/tokens', { params: { slug: opts.tenant } })) as Record<string, unknown>[];
        printRows(tokens, !!opts.json, ['id', 'name', 'prefix', 'scopes', 'state', 'createdAt', 'lastUsedAt', 'expiresAt']);
      }),
    );
  token
    .command('revoke <id>')
    .description('revoke a token; it stops working on the next request')
    .requiredOption('--tenant <slug>', 'tenant')
    .action((id: string, opts: { tenant: string }) =>
      withAdmin('store', async (admin) => {
        await admin.call('delete', '/tenants/:slug/tokens/:id', { params: { slug: opts.tenant, id } });
        process.stdout.write(`revoked ${id}\n`);
      }),
    );
}
