import { Command } from 'commander';
import { DomainError } from '../../scim/errors.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { ConfigError } from '../env.js';
import { adminCommands } from './commands/admin.js';
import { authorityCommands } from './commands/authority.js';
import { connectionCommands } from './commands/connection.js';
import { consoleCommands } from './commands/console.js';
import { syncCommands } from './commands/sync.js';
import { teamCommands } from './commands/teams.js';
import { tenantCommands } from './commands/tenant.js';
import { tokenCommands } from './commands/token.js';
import { webhookCommands } from './commands/webhook.js';
import { withStore } from './store.js';

const program = new Command()
  .name('rollcall')
  .description('Rollcall operator CLI: works directly against the configured store (DATABASE_URL or DATA_DIR)')
  .showHelpAfterError();

program
  .command('migrate')
  .description('apply database migrations (the server also applies them at start)')
  .action(() =>
    withStore(async () => {
      process.stdout.write('migrations applied\n');
    }),
  );
tenantCommands(program);
tokenCommands(program);
adminCommands(program);
connectionCommands(program);
syncCommands(program);
teamCommands(program);
webhookCommands(program);
consoleCommands(program);
authorityCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Expected failures get one clear line and exit code 1; anything else keeps its stack for a bug report.
  if (error instanceof DomainError || error instanceof ConfigError || error instanceof DataDirLockedError) {
    process.stderr.write(`rollcall: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
