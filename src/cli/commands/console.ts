import { InvalidArgumentError, type Command } from 'commander';
import { userInfo } from 'node:os';
import { createConsoleLink, INTENTS, MAX_LINK_SECONDS, type Intent } from '../../auth/console-links.js';
import { recordAudit } from '../../audit/audit.js';
import { parseDuration } from '../duration.js';
import { printObject } from '../output.js';
import { withStore } from '../store.js';
import { requireStore, withAdmin } from '../transport/index.js';
import { localOrigin } from '../transport/local.js';

const lifetime = (text: string) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms < 30_000 || ms > MAX_LINK_SECONDS * 1000) throw new InvalidArgumentError('a duration from 30s to 24h, e.g. 5m, 2h');
  return Math.round(ms / 1000);
};
const intent = (text: string) => {
  if (!(INTENTS as readonly string[]).includes(text)) throw new InvalidArgumentError(`one of ${INTENTS.join(', ')}`);
  return text as Intent;
};

function who(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function consoleCommands(program: Command): void {
  program
    .command('setup-link')
    .description("print a single-use link into the web console for one tenant's admin (the same as POST /admin/v1/tenants/{slug}/setup-links)")
    .requiredOption('--tenant <slug>', 'tenant the link opens')
    .option('--intent <intent>', `what the link shows: ${INTENTS.join(', ')}`, intent, 'all')
    .option('--return-url <url>', 'where "Done" goes back to')
    .option('--expires-in <duration>', 'lifetime, default 5m, at most 24h', lifetime)
    .option('--json', 'print the link record as JSON')
    .action((opts: { tenant: string; intent: Intent; returnUrl?: string; expiresIn?: number; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const link = (await admin.call('post', '/tenants/:slug/setup-links', {
          params: { slug: opts.tenant },
          body: { intent: opts.intent, ...(opts.returnUrl ? { returnUrl: opts.returnUrl } : {}), ...(opts.expiresIn ? { lifetimeSeconds: opts.expiresIn } : {}) },
        })) as { url: string; expiresAt: string };
        if (opts.json) printObject(link, true);
        else process.stdout.write(`${link.url}\n`);
      }),
    );
  program
    .command('console-link')
    .description("print a one-time operator login link for the web console (valid 5 minutes); run it on the server's host")
    .option('--expires-in <duration>', 'lifetime, default 5m, at most 24h', lifetime)
    .action((opts: { expiresIn?: number }) => {
      // An operator's login link is a row in the store that no admin route hands out: it is for whoever can reach the store.
      requireStore('console-link', 'writes an operator login link into the store, which no admin route does');
      return withStore(async ({ db }) => {
        const user = who();
        const link = await createConsoleLink(db, { kind: 'operator', tenantId: null, intent: 'all', lifetimeSeconds: opts.expiresIn ?? 300, createdBy: `cli:${user}` });
        await recordAudit(db, { tenantId: null, actor: `operator:cli:${user}`, action: 'console_link.create', target: link.id, detail: { expiresAt: link.expiresAt.toISOString() } });
        process.stdout.write(`${localOrigin()}/console/login?token=${encodeURIComponent(link.secret)}\n`);
      });
    });
}

