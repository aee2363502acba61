import { InvalidArgumentError, type Command } from 'commander';
import { EVENT_TYPES, isEventType } from '../../events/catalogue.js';
import { parseDuration } from '../duration.js';
import { printObject, printRows } from '../output.js';
import { withTenantOption } from '../options.js';
import { withAdmin, type AdminClient } from '../transport/index.js';

const ENDPOINT = ['id', 'url', 'events', 'enabled', 'disabledReason', 'cursor', 'failingAttempts', 'nextAttemptAt'];

const eventList = (text: string) => {
  const types = text.split(',').map((t) => t.trim()).filter(Boolean);
  const bad = types.find((t) => !isEventType(t));
  if (bad) throw new InvalidArgumentError(`unknown event type ${bad}; one of ${EVENT_TYPES.join(', ')}`);
  return types;
};

/** Runs an admin route on a webhook endpoint, finding its tenant from its id unless `--tenant` names it. */
async function onEndpoint(
  admin: AdminClient,
  method: 'get' | 'post' | 'patch' | 'delete',
  suffix: string,
  id: string,
  tenant: string | undefined,
  input: { body?: unknown; query?: Record<string, string | undefined> } = {},
) {
  const slug = await admin.tenantOf('webhook', id, tenant);
  return admin.call(method, `/tenants/:slug/webhooks/:id${suffix}`, { params: { slug, id }, ...input });
}

function printWithSecret(created: Record<string, unknown>, json: boolean) {
  if (json) return printObject(created, true);
  printRows([created], false, ENDPOINT);
  process.stdout.write(`signing secret (shown only now): ${String(created.secret)}\n`);
}

export function webhookCommands(program: Command): void {
  const webhook = program.command('webhook').description('webhook endpoints: signed POSTs of the change feed');
  webhook
    .command('create')
    .description('add an endpoint; it receives the events from now on. Prints its signing secret, once')
    .requiredOption('--tenant <slug>', 'tenant')
    .requiredOption('--url <url>', 'http(s) URL to POST events to')
    .option('--events <types>', 'comma-separated event types (default: all)', eventList)
    .option('--description <text>', 'a note for admins')
    .option('--json', 'print JSON, secret included')
    .action((opts: { tenant: string; url: string; events?: string[]; description?: string; json?: boolean }) =>
      withAdmin('webhooks', async (admin) => {
        const body = { url: opts.url, ...(opts.events ? { events: opts.events } : {}), ...(opts.description ? { description: opts.description } : {}) };
        printWithSecret((await admin.call('post', '/tenants/:slug/webhooks', { params: { slug: opts.tenant }, body })) as Record<string, unknown>, !!opts.json);
      }),
    );
  webhook
    .command('list')
    .description("a tenant's endpoints, enabled or why not, and where each is in the feed")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; json?: boolean }) =>
      withAdmin('webhooks', async (admin) => printRows((await admin.call('get', '/tenants/:slug/webhooks', { params: { slug: opts.tenant } })) as Record<string, unknown>[], !!opts.json, ENDPOINT)),
    );
  withTenantOption(webhook.command('show <id>'))
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; json?: boolean }) => withAdmin('webhooks', async (admin) => printObject((await onEndpoint(admin, 'get', '', id, opts.tenant)) as Record<string, unknown>, !!opts.json)));
  withTenantOption(webhook.command('update <id>'))
    .description('change URL, event types or description; --enable re-enables a disabled endpoint')
    .option('--url <url>', 'new URL')
    .option('--events <types>', 'comma-separated event types ("" for all)', (t: string) => (t === '' ? [] : eventList(t)))
    .option('--description <text>', 'a note for admins')
    .option('--enable', 'enable (clears the reason it was disabled)')
    .option('--disable', 'stop delivering (events wait, nothing is lost within the retention)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; url?: string; events?: string[]; description?: string; enable?: boolean; disable?: boolean; json?: boolean }) =>
      withAdmin('webhooks', async (admin) => {
        const body = {
          ...(opts.url ? { url: opts.url } : {}),
          ...(opts.events ? { events: opts.events } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.enable ? { enabled: true } : opts.disable ? { enabled: false } : {}),
        };
        printObject((await onEndpoint(admin, 'patch', '', id, opts.tenant, { body })) as Record<string, unknown>, !!opts.json);
      }),
    );
  withTenantOption(webhook.command('delete <id>'))
    .description('remove an endpoint and its delivery log')
    .action((id: string, opts: { tenant?: string }) =>
      withAdmin('webhooks', async (admin) => {
        await onEndpoint(admin, 'delete', '', id, opts.tenant);
        process.stdout.write(`deleted ${id}\n`);
      }),
    );
  withTenantOption(webhook.command('test <id>'))
    .description('send a signed webhook.test event now and print what the receiver answered (exit 1 if it failed)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; json?: boolean }) =>
      withAdmin('webhooks', async (admin) => {
        const result = (await onEndpoint(admin, 'post', '/test', id, opts.tenant)) as { ok: boolean };
        printObject(result as Record<string, unknown>, !!opts.json);
        if (!result.ok) process.exitCode = 1;
      }),
    );
  withTenantOption(webhook.command('deliveries <id>'))
    .description("an endpoint's delivery log, newest first")
    .option('--limit <n>', 'rows per page', '50')
    .option('--before <delivery-id>', 'older than this one (the previous page’s nextBefore)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; limit: string; before?: string; json?: boolean }) =>
      withAdmin('webhooks', async (admin) => {
        const page = (await onEndpoint(admin, 'get', '/deliveries', id, opts.tenant, { query: { limit: opts.limit, before: opts.before } })) as { items: Record<string, unknown>[]; nextBefore?: string };
        if (opts.json) return printObject(page, true);
        printRows(page.items, false, ['id', 'eventId', 'eventType', 'state', 'attempts', 'lastStatus', 'lastError', 'updatedAt']);
        if (page.nextBefore) process.stdout.write(`more: --before ${page.nextBefore}\n`);
      }),
    );
  withTenantOption(webhook.command('replay <id>'))
    .description('deliver again every matching event after a feed cursor (default: the oldest retained), with the same delivery ids')
    .option('--after <cursor>', 'an event cursor from the feed or the delivery log')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; after?: string; json?: boolean }) =>
      withAdmin('webhooks', async (admin) => printObject((await onEndpoint(admin, 'post', '/replay', id, opts.tenant, { body: opts.after ? { after: opts.after } : {} })) as Record<string, unknown>, !!opts.json)),
    );
  withTenantOption(webhook.command('rotate-secret <id>'))
    .description('a new signing secret, printed once; with --overlap the old one keeps signing too until then')
    .option('--overlap <duration>', 'how long the old secret also signs, e.g. 1h; 0s ends it now', '24h')
    .option('--json', 'print JSON, secret included')
    .action((id: string, opts: { tenant?: string; overlap: string; json?: boolean }) =>
      withAdmin('webhooks', async (admin) => {
        const overlap = parseDuration(opts.overlap);
        if (overlap === undefined) throw new InvalidArgumentError('--overlap: use a number and a unit: 45m, 12h, 2d');
        printWithSecret((await onEndpoint(admin, 'post', '/rotate-secret', id, opts.tenant, { body: { overlapSeconds: Math.round(overlap / 1000) } })) as Record<string, unknown>, !!opts.json);
      }),
    );

  program
    .command('events')
    .description("a tenant's change feed, oldest first; pass the printed next cursor as --after to read on")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--after <cursor>', 'read after this cursor')
    .option('--limit <n>', 'events per page', '100')
    .option('--types <types>', 'comma-separated event types')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; after?: string; limit: string; types?: string; json?: boolean }) =>
      withAdmin('webhooks', async (admin) => {
        const page = (await admin.call('get', '/tenants/:slug/events', { params: { slug: opts.tenant }, query: { after: opts.after, limit: opts.limit, types: opts.types } })) as {
          items: Record<string, unknown>[];
          next: string;
        };
        if (opts.json) return printObject(page, true);
        printRows(page.items, false, ['id', 'cursor', 'type', 'occurredAt', 'resourceType', 'resourceId', 'changed']);
        process.stdout.write(`next: --after ${page.next}\n`);
      }),
    );
}
