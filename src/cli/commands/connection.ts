import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { connectorDescriptors, providerNames } from '../../../connectors/index.js';
import { parseDuration } from '../duration.js';
import { printObject, printRows } from '../output.js';
import { withTenantOption } from '../options.js';
import { withAdmin } from '../transport/index.js';

/** JSON given inline, from a file (`@path`) or from stdin (`-`): credentials need not sit in shell history. */
const json = (what: string) => (text: string) => {
  const source = text === '-' ? readFileSync(0, 'utf8') : text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source) as unknown;
  } catch {
    throw new InvalidArgumentError(`${what}: not valid JSON`);
  }
};

const schedule = (text: string) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms % 60_000 !== 0) throw new InvalidArgumentError('whole minutes with a unit: 30m, 3h, 1d (15m to 7d)');
  return ms / 60_000;
};

const percent = (text: string) => {
  const n = Number(text.replace(/%$/, ''));
  if (!Number.isInteger(n)) throw new InvalidArgumentError('a whole percentage, 1 to 100');
  return n;
};

const oneOf =
  <T extends string>(...values: T[]) =>
  (text: string) => {
    if (!values.includes(text as T)) throw new InvalidArgumentError(`one of ${values.join(', ')}`);
    return text as T;
  };

interface SettingsOptions {
  mode?: 'review' | 'auto';
  scope?: unknown;
  schedule?: number;
  threshold?: number;
  disconnectMode?: 'keep' | 'clean';
  baseUrl?: string;
  settings?: unknown;
  credentials?: unknown;
  json?: boolean;
}

const settingsOf = (o: SettingsOptions) => ({
  ...(o.mode ? { onboarding: o.mode } : {}),
  ...(o.scope !== undefined ? { scope: o.scope } : {}),
  ...(o.schedule !== undefined ? { scheduleMinutes: o.schedule } : {}),
  ...(o.threshold !== undefined ? { safetyThresholdPercent: o.threshold } : {}),
  ...(o.disconnectMode ? { disconnectMode: o.disconnectMode } : {}),
  ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
  ...(o.settings !== undefined ? { settings: o.settings } : {}),
  ...(o.credentials !== undefined ? { credentials: o.credentials } : {}),
});

const COLUMNS = ['id', 'provider', 'status', 'statusReason', 'onboarding', 'scheduleMinutes', 'nextRunAt'];

function printConnection(view: unknown, json: boolean): void {
  const found = view as Record<string, unknown>;
  if (json) printObject(found, true);
  else printRows([{ ...found, scope: JSON.stringify(found.scope), settings: JSON.stringify(found.settings ?? {}) }], false, [...COLUMNS, 'safetyThresholdPercent', 'disconnectMode', 'scope', 'settings']);
}

function withSettings(command: Command): Command {
  return command
    .option('--mode <mode>', 'onboarding: review (new people become candidates) or auto (invited at once)', oneOf('review', 'auto'))
    .option('--scope <json>', 'filter rules, e.g. \'[{"field":"workLocation","op":"in","values":["Remote","London"]}]\'', json('--scope'))
    .option('--schedule <duration>', 'time between scheduled runs, e.g. 3h (default), 30m', schedule)
    .option('--threshold <percent>', 'safety stop: hold a run that would archive or release more than this share (default 20)', percent)
    .option('--disconnect-mode <mode>', 'what disconnecting does by default: keep or clean', oneOf('keep', 'clean'))
    .option('--base-url <url>', "the HR API's base URL (sandboxes, proxies)")
    .option('--settings <json>', 'provider settings, e.g. \'{"apiVersion":"v2","ibanAttribute":"IBAN"}\' (Personio), \'{"environment":"sandbox"}\' (HiBob)', json('--settings'))
    .option('--json', 'print JSON');
}

export function connectionCommands(program: Command): void {
  const connection = program.command('connection').description(`manage HR connections (${connectorDescriptors.map((d) => d.displayName).join(', ')})`);

  withSettings(
    connection
      .command('create')
      .description('connect an HR system: the credentials are checked with one call to it, then stored encrypted')
      .requiredOption('--tenant <slug>', 'tenant')
      .requiredOption('--provider <name>', providerNames.join(', '))
      .requiredOption('--credentials <json>', 'e.g. \'{"companyDomain":"acme","apiKey":"…"}\'; @file reads a file, - reads stdin', json('--credentials')),
  ).action((opts: SettingsOptions & { tenant: string; provider: string }) =>
    withAdmin('connections', async (admin) => {
      const created = await admin.call('post', '/tenants/:slug/connections', { params: { slug: opts.tenant }, body: { provider: opts.provider, ...settingsOf(opts) } });
      printConnection(created, !!opts.json);
    }),
  );

  connection
    .command('list')
    .description("a tenant's HR connections and their status")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action((opts: { tenant: string; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const found = (await admin.call('get', '/tenants/:slug/connections', { params: { slug: opts.tenant } })) as Record<string, unknown>[];
        printRows(found, !!opts.json, COLUMNS);
      }),
    );

  withTenantOption(connection.command('show <id>'))
    .description('one connection: status and reason, scope, onboarding, schedule, next run')
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const slug = await admin.tenantOf('connection', id, opts.tenant);
        printConnection(await admin.call('get', '/tenants/:slug/connections/:id', { params: { slug, id } }), !!opts.json);
      }),
    );

  withSettings(
    withTenantOption(connection.command('configure <id>'))
      .description('change settings or credentials (new credentials are checked first)')
      .option('--credentials <json>', 'new credentials; @file reads a file, - reads stdin', json('--credentials')),
  ).action((id: string, opts: SettingsOptions & { tenant?: string }) =>
    withAdmin('connections', async (admin) => {
      const slug = await admin.tenantOf('connection', id, opts.tenant);
      const updated = await admin.call('patch', '/tenants/:slug/connections/:id', { params: { slug, id }, body: settingsOf(opts) });
      printConnection(updated, !!opts.json);
    }),
  );

  withTenantOption(connection.command('disconnect <id>'))
    .description("stop syncing: keep leaves every user (now unmanaged); clean also removes this connection's candidates and pending invitations")
    .option('--mode <mode>', "keep or clean (default: the connection's disconnect mode)", oneOf('keep', 'clean'))
    .option('--json', 'print JSON')
    .action((id: string, opts: { tenant?: string; mode?: 'keep' | 'clean'; json?: boolean }) =>
      withAdmin('connections', async (admin) => {
        const slug = await admin.tenantOf('connection', id, opts.tenant);
        const result = (await admin.call('post', '/tenants/:slug/connections/:id/disconnect', { params: { slug, id }, body: opts.mode ? { mode: opts.mode } : {} })) as Record<string, unknown>;
        if (opts.json) printObject(result, true);
        else process.stdout.write(`disconnected ${id} (${String(result.mode)}): ${String(result.kept)} users kept, ${String(result.removed)} removed\n`);
      }),
    );
}
