import { InvalidArgumentError, type Command } from 'commander';
import { ROLES, signAdminToken, type Role } from '../../auth/admin-jwt.js';
import { loadSecretKey } from '../../crypto/secret-key.js';
import { readEnv } from '../../env.js';
import { parseDuration } from '../duration.js';
import { printObject, printRows } from '../output.js';
import { withAdmin } from '../transport/index.js';

const role = (text: string) => {
  if (!ROLES.includes(text as Role)) throw new InvalidArgumentError(`one of ${ROLES.join(', ')}`);
  return text as Role;
};

export function adminCommands(program: Command): void {
  const adminToken = program
    .command('admin-token')
    .description('print an admin API token (JWT) signed with this installation\'s key; needs no database')
    .option('--tenant <slug>', 'the tenant an admin or auditor acts for')
    .option('--role <role>', `${ROLES.join(' | ')} (operator without --tenant, admin with one)`, role)
    .option('--ttl <duration>', 'lifetime, e.g. 15m, 1h, 7d', '1h')
    .option('--subject <name>', 'who the token is for, recorded in the audit log', 'cli')
    .action(async (opts: { tenant?: string; role?: Role; ttl: string; subject: string }) => {
      const ttl = parseDuration(opts.ttl);
      if (!ttl) throw new InvalidArgumentError('--ttl: use a number and a unit: 15m, 1h, 7d');
      const env = readEnv();
      const { key } = loadSecretKey(env);
      const token = await signAdminToken(key, {
        subject: opts.subject,
        role: opts.role ?? (opts.tenant ? 'admin' : 'operator'),
        ...(opts.tenant ? { tenant: opts.tenant } : {}),
        ttlSeconds: Math.round(ttl / 1000),
      }, Math.round(env.ADMIN_TOKEN_MAX_TTL_HOURS * 3600));
      process.stdout.write(`${token}\n`);
    });
  adminToken
    .command('revoke <jti-or-token>')
    .description('revoke an admin JWT before it expires (give its jti, or the token itself); refused from the next request on')
    .action((given: string) =>
      withAdmin('store', async (admin) => {
        const body = given.includes('.') ? { token: given } : { jti: given };
        const done = (await admin.call('post', '/admin-tokens/revoke', { body })) as { jti: string; expiresAt: string };
        process.stdout.write(`revoked ${done.jti} (it would have expired at ${done.expiresAt})\n`);
      }),
    );

  const tenant = program.commands.find((c) => c.name() === 'tenant')!;
  tenant
    .command('rename <slug> <name>')
    .description("change a tenant's display name")
    .option('--json', 'print JSON')
    .action((slug: string, name: string, opts: { json?: boolean }) =>
      withAdmin('store', async (admin) => printObject((await admin.call('patch', '/tenants/:slug', { params: { slug }, body: { name } })) as Record<string, unknown>, !!opts.json)),
    );
  tenant
    .command('delete <slug>')
    .description('delete a tenant; refused while it has users unless --force (which deletes its users, groups and tokens)')
    .option('--force', 'delete its data too')
    .action((slug: string, opts: { force?: boolean }) =>
      withAdmin('store', async (admin) => {
        await admin.call('delete', '/tenants/:slug', { params: { slug }, query: { force: opts.force ? 'true' : undefined } });
        process.stdout.write(`deleted ${slug}\n`);
      }),
    );

  const token = program.commands.find((c) => c.name() === 'token')!;
  token
    .command('rotate <id>')
    .description('issue a new secret; the old one keeps working for the overlap. Prints the new secret alone')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--overlap <duration>', 'how long the old secret keeps working', '24h')
    .option('--json', 'print the new token record as JSON, secret included')
    .action((id: string, opts: { tenant: string; overlap: string; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const overlap = parseDuration(opts.overlap);
        if (overlap === undefined) throw new InvalidArgumentError('--overlap: use a number and a unit: 1h, 24h, 7d');
        const rotated = (await admin.call('post', '/tenants/:slug/tokens/:id/rotate', {
          params: { slug: opts.tenant, id },
          body: { overlapSeconds: Math.round(overlap / 1000) },
        })) as Record<string, unknown>;
        if (opts.json) printObject(rotated, true);
        else process.stdout.write(`${String(rotated.secret)}\n`);
      }),
    );

  program
    .command('users')
    .description("list a tenant's users (SCIM filter syntax), with source and lifecycle state")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--filter <filter>', 'e.g. \'userName sw "a"\'')
    .option('--count <n>', 'page size', '100')
    .option('--start-index <n>', '1-based offset', '1')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; filter?: string; count: string; startIndex: string; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const page = (await admin.call('get', '/tenants/:slug/users', {
          params: { slug: opts.tenant },
          query: { filter: opts.filter, count: opts.count, startIndex: opts.startIndex },
        })) as { total: number; items: Record<string, unknown>[] };
        if (opts.json) printObject(page, true);
        else printRows(page.items, false, ['id', 'userName', 'displayName', 'active', 'source', 'lifecycle', 'updatedAt']);
      }),
    );

  program
    .command('audit')
    .description('the audit log, newest first')
    .option('--tenant <slug>', 'one tenant (default: all)')
    .option('--action <action>', 'e.g. token.create')
    .option('--limit <n>', 'entries', '50')
    .option('--json', 'print JSON')
    .action((opts: { tenant?: string; action?: string; limit: string; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const query = { action: opts.action, limit: opts.limit };
        const page = (await (opts.tenant
          ? admin.call('get', '/tenants/:slug/audit', { params: { slug: opts.tenant }, query })
          : admin.call('get', '/audit', { query }))) as { items: Record<string, unknown>[] };
        if (opts.json) printObject(page, true);
        else printRows(page.items, false, ['id', 'createdAt', 'actor', 'action', 'target']);
      }),
    );
}
