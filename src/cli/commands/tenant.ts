import type { Command } from 'commander';
import { printObject, printRows } from '../output.js';
import { withAdmin } from '../transport/index.js';

export function tenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants (one per company)');
  tenant
    .command('create <slug>')
    .description('create a tenant')
    .option('--name <name>', 'display name (defaults to the slug)')
    .option('--json', 'print JSON')
    .action((slug: string, opts: { name?: string; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const row = await admin.call('post', '/tenants', { body: { slug, ...(opts.name ? { name: opts.name } : {}) } });
        printObject(row as Record<string, unknown>, !!opts.json);
      }),
    );
  tenant
    .command('list')
    .description('list tenants')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const rows = (await admin.call('get', '/tenants')) as Record<string, unknown>[];
        printRows(
          rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, createdAt: r.createdAt })),
          !!opts.json,
        );
      }),
    );
}
