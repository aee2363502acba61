import { ConfigError, readClientEnv } from '../../env.js';
import { CliError, EXIT } from '../errors.js';
import { withConnections, withStore } from '../store.js';
import type { AdminClient } from './client.js';
import { createLocalClient, localWebhookSettings } from './local.js';
import { createRemoteClient } from './remote.js';
import { checkServerUrl } from '../remote-url.js';

export type { AdminClient, Owned } from './client.js';

/** What a command needs besides the store when it runs locally: HR connection work, or webhook secrets. */
export type Needs = 'store' | 'connections' | 'webhooks';

/** Whether ROLLCALL_URL sends commands to a server (else they open the store). */
export const isRemote = (): boolean => readClientEnv().ROLLCALL_URL !== undefined;

/**
 * Runs `work` with the admin routes of a server (ROLLCALL_URL, ROLLCALL_TOKEN) or, without
 * ROLLCALL_URL, of the configured store opened in this process.
 */
export async function withAdmin<T>(needs: Needs, work: (admin: AdminClient) => Promise<T>): Promise<T> {
  const client = readClientEnv();
  if (client.ROLLCALL_URL !== undefined) {
    const checked = checkServerUrl(client.ROLLCALL_URL, client.ROLLCALL_INSECURE);
    if (!checked.ok) throw new ConfigError(`Invalid configuration: ${checked.reason}`);
    if (!client.ROLLCALL_TOKEN) {
      throw new CliError('unauthorized', 'No admin token', 'ROLLCALL_TOKEN is not set: give an admin JWT (`rollcall admin-token` on the server host, or one from your identity provider)', EXIT.auth);
    }
    const remote = createRemoteClient(checked.base, client.ROLLCALL_TOKEN);
    try {
      return await work(remote);
    } finally {
      await remote.close();
    }
  }
  switch (needs) {
    case 'store':
      return withStore((database) => work(createLocalClient(database)));
    case 'webhooks':
      return withStore((database) => work(createLocalClient(database, { webhooks: localWebhookSettings() })));
    case 'connections':
      return withConnections((database, connectionWork) => work(createLocalClient(database, connectionWork)));
    default: {
      const unreachable: never = needs;
      throw new Error(`unknown needs ${String(unreachable)}`);
    }
  }
}

/** For commands that work on the store itself: refused with ROLLCALL_URL set, saying why and what to do. */
export function requireStore(command: string, why: string): void {
  if (isRemote()) throw new CliError('needs_store', 'Needs the store', `${command} ${why}; run it where the store is (DATA_DIR or DATABASE_URL), without ROLLCALL_URL`, EXIT.usage);
}
