import { InvalidArgumentError, type Command } from 'commander';
import { invokeAdmin } from '../../admin/invoke.js';
import type { WebhookSettings } from '../../admin/route.js';
import { tenantOf } from '../../connections/tenant-of.js';
import { loadSecretKey } from '../../crypto/secret-key.js';
import type { Database } from '../../db/client.js';
import { createEgress } from '../../egress/index.js';
import { readEnv } from '../../env.js';
import { EVENT_TYPES, isEventType } from '../../events/catalogue.js';
import { parseDuration } from '../duration.js';
import { printObject, printRows } from '../output.js';
import { withStore } from '../store.js';

const ENDPOINT = ['id', 'url', 'events', 'enabled', 'disabledReason', 'cursor', 'failingAttempts', 'nextAttemptAt'];

const eventList = (text: string) => {
  const types = text.split(',').map((t) => t.trim()).filter(Boolean);
  const bad = types.find((t) => !isEventType(t));
  if (bad) throw new InvalidArgumentError(`unknown event type ${bad}; one of ${EVENT_TYPES.join(', ')}`);
  return types;
};

/** The secret key (webhook secrets are sealed with it, as the server does) and the delivery timeout for test sends. */
function settings(): WebhookSettings {
  const env = readEnv();
  return { secretKey: loadSecretKey(env).key, timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000, egress: createEgress({ allowed: env.EGRESS_ALLOWED }).policy };
}

/** Runs an admin route on a webhook endpoint, finding its tenant from its id. */
async function onEndpoint(db: Database, method: 'get' | 'post' | 'patch' | 'delete', suffix: string, id: string, input: { body?: unknown; query?: Record<string, string | undefined> } = {}) {
  const slug = await tenantOf(db.db, 'webhook', id);
  return invokeAdmin(db, method, `/tenants/:slug/webhooks/:id${suffix}`, { params: { slug, id }, ...input }, { webhooks: settings() });
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
      withStore(async (db) => {
        const body = { url: opts.url, ...(opts.events ? { events: opts.events } : {}), ...(opts.description ? { description: opts.description } : {}) };
        printWithSecret((await invokeAdmin(db, 'post', '/tenants/:slug/webhooks', { params: { slug: opts.tenant }, body }, { webhooks: settings() })) as Record<string, unknown>, !!opts.json);
      }),
    );
  webhook
    .command('list')
    .description("a tenant's endpoints, enabled or why not, and where each is in the feed")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; json?: boolean }) =>
      withStore(async (db) => printRows((await invokeAdmin(db, 'get', '/tenants/:slug/webhooks', { params: { slug: opts.tenant } })) as Record<string, unknown>[], !!opts.json, ENDPOINT)),
    );
  webhook
    .command('show <id>')
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }) => withStore(async (db) => printObject((await onEndpoint(db, 'get', '', id)) as Record<string, unknown>, !!opts.json)));
  webhook
    .command('update <id>')
    .description('change URL, event types or description; --enable re-enables a disabled endpoint')
    .option('--url <url>', 'new URL')
    .option('--events <types>', 'comma-separated event types ("" for all)', (t: string) => (t === '' ? [] : eventList(t)))
    .option('--description <text>', 'a note for admins')
    .option('--enable', 'enable (clears the reason it was disabled)')
    .option('--disable', 'stop delivering (events wait, nothing is lost within the retention)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { url?: string; events?: string[]; description?: string; enable?: boolean; disable?: boolean; json?: boolean }) =>
      withStore(async (db) => {
        const body = {
          ...(opts.url ? { url: opts.url } : {}),
          ...(opts.events ? { events: opts.events } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.enable ? { enabled: true } : opts.disable ? { enabled: false } : {}),
        };
        printObject((await onEndpoint(db, 'patch', '', id, { body })) as Record<string, unknown>, !!opts.json);
      }),
    );
  webhook
    .command('delete <id>')
    .description('remove an endpoint and its delivery log')
    .action((id: string) =>
      withStore(async (db) => {
        await onEndpoint(db, 'delete', '', id);
        process.stdout.write(`deleted ${id}\n`);
      }),
    );
  webhook
    .command('test <id>')
    .description('send a signed webhook.test event now and print what the receiver answered (exit 1 if it failed)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withStore(async (db) => {
        const result = (await onEndpoint(db, 'post', '/test', id)) as { ok: boolean };
        printObject(result as Record<string, unknown>, !!opts.json);
        if (!result.ok) process.exitCode = 1;
      }),
    );
  webhook
    .command('deliveries <id>')
    .description("an endpoint's delivery log, newest first")
    .option('--limit <n>', 'rows per page', '50')
    .option('--before <delivery-id>', 'older than this one (the previous page’s nextBefore)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { limit: string; before?: string; json?: boolean }) =>
      withStore(async (db) => {
        const page = (await onEndpoint(db, 'get', '/deliveries', id, { query: { limit: opts.limit, before: opts.before } })) as { items: Record<string, unknown>[]; nextBefore?: string };
        if (opts.json) return printObject(page, true);
        printRows(page.items, false, ['id', 'eventId', 'eventType', 'state', 'attempts', 'lastStatus', 'lastError', 'updatedAt']);
        if (page.nextBefore) process.stdout.write(`more: --before ${page.nextBefore}\n`);
      }),
    );
  webhook
    .command('replay <id>')
    .description('deliver again every matching event after a feed cursor (default: the oldest retained), with the same delivery ids')
    .option('--after <cursor>', 'an event cursor from the feed or the delivery log')
    .option('--json', 'print JSON')
    .action((id: string, opts: { after?: string; json?: boolean }) =>
      withStore(async (db) => printObject((await onEndpoint(db, 'post', '/replay', id, { body: opts.after ? { after: opts.after } : {} })) as Record<string, unknown>, !!opts.json)),
    );
  webhook
    .command('rotate-secret <id>')
    .description('a new signing secret, printed once; with --overlap the old one keeps signing too until then')
    .option('--overlap <duration>', 'how long the old secret also signs, e.g. 1h; 0s ends it now', '24h')
    .option('--json', 'print JSON, secret included')
    .action((id: string, opts: { overlap: string; json?: boolean }) =>
      withStore(async (db) => {
        const overlap = parseDuration(opts.overlap);
        if (overlap === undefined) throw new InvalidArgumentError('--overlap: use a number and a unit: 45m, 12h, 2d');
        printWithSecret((await onEndpoint(db, 'post', '/rotate-secret', id, { body: { overlapSeconds: Math.round(overlap / 1000) } })) as Record<string, unknown>, !!opts.json);
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
      withStore(async (db) => {
        const page = (await invokeAdmin(db, 'get', '/tenants/:slug/events', { params: { slug: opts.tenant }, query: { after: opts.after, limit: opts.limit, types: opts.types } })) as {
          items: Record<string, unknown>[];
          next: string;
        };
        if (opts.json) return printObject(page, true);
        printRows(page.items, false, ['id', 'cursor', 'type', 'occurredAt', 'resourceType', 'resourceId', 'changed']);
        process.stdout.write(`next: --after ${page.next}\n`);
      }),
    );
}
