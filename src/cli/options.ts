import type { Command } from 'commander';

/**
 * `--tenant` on commands that take a connection, run, user or webhook id: ids are unique across
 * tenants, so it may be left out; with a server, giving it saves looking the id up in each tenant.
 */
export const withTenantOption = (command: Command): Command => command.option('--tenant <slug>', "the id's tenant (found from the id when not given)");
