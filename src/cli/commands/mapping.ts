import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { printObject, printRows } from '../output.js';
import { withTenantOption } from '../options.js';
import { withAdmin } from '../transport/index.js';

/** `rollcall mapping get|set|versions|preview`: a connection's attribute mapping (README, "Attribute mapping"). */

/** A mapping as JSON: inline, `@file`, or `-` for stdin. */
const mappingJson = (text: string): unknown => {
  const source = text === '-' ? readFileSync(0, 'utf8') : text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source) as unknown;
  } catch {
    throw new InvalidArgumentError('not valid JSON');
  }
};

const count = (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new InvalidArgumentError('a whole number, 1 to 50');
  return n;
};

interface Entry {
  attribute: string;
  source: { kind: string; field?: string; path?: string; value?: unknown; expression?: string };
}

const sourceText = (s: Entry['source']) =>
  s.kind === 'field' ? `field ${s.field}` : s.kind === 'raw' ? `raw ${s.path}` : s.kind === 'constant' ? `constant ${JSON.stringify(s.value)}` : `expression ${s.expression}`;

function printMapping(answer: Record<string, unknown>, json: boolean): void {
  if (json) return printObject(answer, true);
  const mapping = answer.mapping as { attributes: Entry[] };
  process.stdout.write(`version ${String(answer.version)}${answer.isDefault ? " (the connector's default)" : ''}\n`);
  printRows(mapping.attributes.map((e) => ({ attribute: e.attribute, source: sourceText(e.source) })), false, ['attribute', 'source']);
}

export function mappingCommands(program: Command): void {
  const mapping = program.command('mapping').description("a connection's attribute mapping: where each directory attribute's value comes from");

  withTenantOption(mapping.command('get <connection>'))
    .description('the mapping in force (version 0: the default)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const slug = await admin.tenantOf('connection', id, opts.tenant);
        printMapping((await admin.call('get', '/tenants/:slug/connections/:id/mapping', { params: { slug, id } })) as Record<string, unknown>, !!opts.json);
      }),
    );

  withTenantOption(mapping.command('set <connection> <mapping>'))
    .description('save a new version: <mapping> is JSON {"attributes":[{"attribute":…,"source":{…}}]}, @file or - (stdin); the next run reads everyone')
    .option('--json', 'print JSON')
    .action((id: string, body: string, opts: { tenant?: string; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const slug = await admin.tenantOf('connection', id, opts.tenant);
        const saved = (await admin.call('put', '/tenants/:slug/connections/:id/mapping', { params: { slug, id }, body: mappingJson(body) })) as Record<string, unknown>;
        if (opts.json) printObject(saved, true);
        else process.stdout.write(saved.changed ? `saved version ${String(saved.version)}\n` : `unchanged: version ${String(saved.version)} is this mapping\n`);
      }),
    );

  withTenantOption(mapping.command('versions <connection>'))
    .description('every saved version, newest first')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; json?: boolean }) =>
      withAdmin('store', async (admin) => {
        const slug = await admin.tenantOf('connection', id, opts.tenant);
        const list = (await admin.call('get', '/tenants/:slug/connections/:id/mapping/versions', { params: { slug, id } })) as { items: Record<string, unknown>[] };
        printRows(
          list.items.map((v) => ({ version: v.version, savedAt: v.savedAt, savedBy: v.savedBy, attributes: (v.mapping as { attributes: unknown[] }).attributes.length })),
          !!opts.json,
          ['version', 'savedAt', 'savedBy', 'attributes'],
        );
      }),
    );

  withTenantOption(mapping.command('preview <connection> [mapping]'))
    .description('what a mapping (JSON, @file, -; the one in force when left out) would write for a sample of people read from the HR system now; writes nothing')
    .option('--sample <n>', 'how many people (1 to 50, default 10)', count)
    .option('--json', 'print JSON')
    .action((id: string, body: string | undefined, opts: { tenant?: string; sample?: number; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const slug = await admin.tenantOf('connection', id, opts.tenant);
        const request = { ...(body !== undefined ? { mapping: mappingJson(body) } : {}), ...(opts.sample ? { sample: opts.sample } : {}) };
        const preview = (await admin.call('post', '/tenants/:slug/connections/:id/mapping/preview', { params: { slug, id }, body: request })) as {
          people: { remoteId: string; displayName: string; values: Record<string, unknown>; errors: { attribute: string; message: string }[] }[];
        };
        if (opts.json) return printObject(preview, true);
        for (const person of preview.people) {
          process.stdout.write(`${person.displayName} (${person.remoteId})\n`);
          for (const [attribute, value] of Object.entries(person.values)) process.stdout.write(`  ${attribute} = ${JSON.stringify(value)}\n`);
          for (const e of person.errors) process.stdout.write(`  ${e.attribute}: error: ${e.message}\n`);
        }
      }),
    );
}
