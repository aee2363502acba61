import { Command, CommanderError } from 'commander';
import { adminCommands } from './commands/admin.js';
import { authorityCommands } from './commands/authority.js';
import { connectionCommands } from './commands/connection.js';
import { mappingCommands } from './commands/mapping.js';
import { consoleCommands } from './commands/console.js';
import { syncCommands } from './commands/sync.js';
import { teamCommands } from './commands/teams.js';
import { tenantCommands } from './commands/tenant.js';
import { tokenCommands } from './commands/token.js';
import { webhookCommands } from './commands/webhook.js';
import { embeddedStoreExists, withStore } from './store.js';
import { reportError, wantsJson } from './errors.js';
import { requireStore } from './transport/index.js';
import { cliVersion } from './version.js';
import { readEnv } from '../env.js';

const json = wantsJson(process.argv);
/** Whether commander has already told the user (its message and the help), so the error is not said twice. */
let told = false;

const program = new Command()
  .name('rollcall')
  .description(
    'Rollcall operator CLI: works on the configured store (DATABASE_URL or DATA_DIR), or with ROLLCALL_URL and ROLLCALL_TOKEN on a running server over its admin API',
  )
  .version(cliVersion(), '-V, --version', 'print the version')
  .showHelpAfterError(!json)
  // Commander's errors come back here to get the CLI's exit codes and, with --json, its JSON shape.
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => {
      if (json) return;
      told = true;
      write(text);
    },
  });

program
  .command('migrate')
  .description('apply database migrations (the server also applies them at start); creates the embedded store in DATA_DIR if there is none')
  .action(() => {
    requireStore('migrate', 'works on the store itself (the server migrates at start)');
    const env = readEnv();
    const creating = !env.DATABASE_URL && !embeddedStoreExists(env.DATA_DIR);
    return withStore(
      async () => {
        process.stdout.write(creating ? `created the embedded store in ${env.DATA_DIR}; migrations applied\n` : 'migrations applied\n');
      },
      { create: true },
    );
  });
tenantCommands(program);
tokenCommands(program);
adminCommands(program);
connectionCommands(program);
syncCommands(program);
teamCommands(program);
webhookCommands(program);
consoleCommands(program);
authorityCommands(program);
mappingCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // --help and --version end through here too, successfully.
  if (error instanceof CommanderError && error.exitCode === 0) process.exit(0);
  process.exit(await reportError(error, json, told));
}
