import { InvalidArgumentError, type Command } from 'commander';
import { invokeAdmin } from '../../admin/invoke.js';
import { tenantOf } from '../../connections/tenant-of.js';
import { printObject, printRows } from '../output.js';
import { withStore } from '../store.js';

/** `rollcall schema …`, `rollcall authority …`, `rollcall conflicts …`: a tenant's own extension, who owns which field, and where sources disagree. */

const TYPES = ['string', 'boolean', 'integer', 'decimal', 'dateTime', 'reference'];
const POLICIES = ['ignore', 'reject'];

const policy = (text: string) => {
  if (!POLICIES.includes(text)) throw new InvalidArgumentError(`one of ${POLICIES.join(', ')}`);
  return text;
};

/** `path=owner` pairs (`owner` `open` clears the rule), as the admin API's `rules` object. */
function ruleEdits(pairs: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const pair of pairs) {
    const cut = pair.lastIndexOf('=');
    if (cut <= 0) throw new InvalidArgumentError(`expected path=owner, got ${pair}`);
    const owner = pair.slice(cut + 1).trim();
    out[pair.slice(0, cut).trim()] = owner === 'open' ? null : owner;
  }
  return out;
}

const show = (authority: Record<string, unknown>, json: boolean) => {
  if (json) return printObject(authority, true);
  printRows(authority.rules as Record<string, unknown>[], false, ['path', 'owner']);
  const policies = authority.policies as Record<string, string>;
  process.stdout.write(`policies: ${Object.entries(policies).map(([w, p]) => `${w}=${p}`).join(' ')}${authority.default ? ' (defaults)' : ''}\n`);
};

export function authorityCommands(program: Command): void {
  const schema = program.command('schema').description("a tenant's own SCIM extension attributes");
  schema
    .command('list')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; json?: boolean }) =>
      withStore(async (db) => {
        const list = (await invokeAdmin(db, 'get', '/tenants/:slug/schema/attributes', { params: { slug: opts.tenant } })) as { items: Record<string, unknown>[] };
        printRows(list.items, !!opts.json, ['name', 'type', 'multiValued', 'caseExact', 'description']);
      }),
    );
  schema
    .command('add <name>')
    .description('declare an attribute; clients write it as urn:rollcall:params:scim:schemas:extension:tenant:2.0:User:<name>')
    .requiredOption('--tenant <slug>', 'tenant')
    .requiredOption('--type <type>', TYPES.join(' | '), (t: string) => {
      if (!TYPES.includes(t)) throw new InvalidArgumentError(`one of ${TYPES.join(', ')}`);
      return t;
    })
    .option('--multi-valued', 'holds a list of values')
    .option('--case-exact', 'compare text case-sensitively in filters and sorting')
    .option('--description <text>', 'shown in /Schemas')
    .option('--json', 'print JSON')
    .action((name: string, opts: { tenant: string; type: string; multiValued?: boolean; caseExact?: boolean; description?: string; json?: boolean }) =>
      withStore(async (db) => {
        const body = { name, type: opts.type, multiValued: !!opts.multiValued, caseExact: !!opts.caseExact, ...(opts.description ? { description: opts.description } : {}) };
        printObject((await invokeAdmin(db, 'post', '/tenants/:slug/schema/attributes', { params: { slug: opts.tenant }, body })) as Record<string, unknown>, !!opts.json);
      }),
    );
  schema
    .command('remove <name>')
    .description('remove an attribute no user holds and no rule names')
    .requiredOption('--tenant <slug>', 'tenant')
    .action((name: string, opts: { tenant: string }) =>
      withStore(async (db) => {
        await invokeAdmin(db, 'delete', '/tenants/:slug/schema/attributes/:name', { params: { slug: opts.tenant, name } });
      }),
    );

  const authority = program.command('authority').description('which source owns which user field (hr, scim, manual, connection:<id>)');
  authority
    .command('show')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; json?: boolean }) =>
      withStore(async (db) => show((await invokeAdmin(db, 'get', '/tenants/:slug/authority', { params: { slug: opts.tenant } })) as Record<string, unknown>, !!opts.json)),
    );
  authority
    .command('set [rules...]')
    .description('set owners as path=owner (owner hr, scim, manual, connection:<id>, or open) and policies; validated as a whole')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--scim <policy>', 'what a SCIM write to a field it does not own gets: ignore | reject', policy)
    .option('--manual <policy>', 'the same for admins', policy)
    .option('--hr <policy>', 'the same for HR connections', policy)
    .option('--json', 'print JSON')
    .action((rules: string[], opts: { tenant: string; scim?: string; manual?: string; hr?: string; json?: boolean }) =>
      withStore(async (db) => {
        const policies = Object.fromEntries(
          (['scim', 'manual', 'hr'] as const).filter((w) => opts[w] !== undefined).map((w) => [w, opts[w]]),
        );
        const body = { ...(rules.length > 0 ? { rules: ruleEdits(rules) } : {}), ...(Object.keys(policies).length > 0 ? { policies } : {}) };
        show((await invokeAdmin(db, 'patch', '/tenants/:slug/authority', { params: { slug: opts.tenant }, body })) as Record<string, unknown>, !!opts.json);
      }),
    );
  authority
    .command('reset')
    .description('back to the defaults')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; json?: boolean }) =>
      withStore(async (db) => show((await invokeAdmin(db, 'delete', '/tenants/:slug/authority', { params: { slug: opts.tenant } })) as Record<string, unknown>, !!opts.json)),
    );

  program
    .command('conflicts')
    .description("where sources disagree: a tenant's open conflicts, or one user's fields with what each source says")
    .option('--tenant <slug>', 'tenant (all its conflicts, newest first)')
    .option('--user <id>', 'one user')
    .option('--limit <n>', 'at most this many (tenant list)')
    .option('--before <time>', 'older than this attempt time (the previous page’s nextBefore)')
    .option('--json', 'print JSON')
    .action((opts: { tenant?: string; user?: string; limit?: string; before?: string; json?: boolean }) =>
      withStore(async (db) => {
        if (opts.user) {
          const slug = await tenantOf(db.db, 'user', opts.user);
          const found = (await invokeAdmin(db, 'get', '/tenants/:slug/users/:id/conflicts', { params: { slug, id: opts.user } })) as { items: Record<string, unknown>[] };
          if (opts.json) return printObject(found, true);
          const rows = found.items.flatMap((f) => [
            { path: f.path, source: `owner ${String(f.owner)}`, says: JSON.stringify(f.stored), at: '' },
            ...(f.sources as { source: { kind: string; id: string }; value: unknown; lastAt: string }[]).map((s) => ({
              path: f.path,
              source: `${s.source.kind}:${s.source.id}`,
              says: JSON.stringify(s.value),
              at: s.lastAt,
            })),
          ]);
          return printRows(rows, false, ['path', 'source', 'says', 'at']);
        }
        if (!opts.tenant) throw new InvalidArgumentError('give --tenant or --user');
        const page = (await invokeAdmin(db, 'get', '/tenants/:slug/conflicts', {
          params: { slug: opts.tenant },
          query: { limit: opts.limit, before: opts.before },
        })) as { items: Record<string, unknown>[]; nextBefore: string | null };
        if (opts.json) return printObject(page, true);
        printRows(
          page.items.map((c) => ({ ...c, source: `${(c.source as { kind: string }).kind}:${(c.source as { id: string }).id}`, stored: JSON.stringify(c.stored), attempted: JSON.stringify(c.attempted) })),
          false,
          ['userName', 'path', 'owner', 'stored', 'source', 'attempted', 'lastAt'],
        );
        if (page.nextBefore) process.stdout.write(`more: --before ${page.nextBefore}\n`);
      }),
    );
}
