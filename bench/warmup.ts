import { adminPost } from './admin.js';
import { createClient } from './client.js';
import type { BenchConfig } from './config.js';
import type { CpuFigures, Meter } from './cpu.js';
import { benchGroups } from './groups.js';
import type { BenchServer } from './server.js';
import type { PhaseResult } from './stats.js';
import { benchUsers } from './users.js';

export const WARMUP_TENANT = 'warmup';

/** Measures nothing: the warm-up's figures are thrown away. */
const unmetered: Meter = {
  measure: <T extends PhaseResult>(run: () => Promise<T>) => run() as Promise<T & CpuFigures>,
  close: async () => {},
};

/**
 * The warm-up round. A server that has been up for a while runs its hot paths as code V8's
 * optimising compiler made; a freshly started one serves its first thousands of requests of each
 * kind in the interpreter and the baseline tier, and phases of a few thousand requests would then
 * measure that start-up rather than the server a deployment runs (on one server, three rounds of
 * 2,000 creates ran at 1,259, 2,094 and 2,707/s, and the server's CPU per create fell from 0.74 to
 * 0.28 ms). So before anything is measured the whole user and group sequence runs once,
 * unmeasured, in a tenant of its own with its own token: every kind of request the phases send has
 * been served, and the measured tenant still holds exactly `users` users. The warm-up ends by
 * deleting its users (the last phase), and the store is settled (VACUUM ANALYZE) after it.
 */
export async function warmUp(server: BenchServer, config: BenchConfig, log: (line: string) => void): Promise<void> {
  if (config.warmupUsers === 0) return;
  const users = config.warmupUsers;
  log(`  warm-up: the user and group phases once, unmeasured, in tenant "${WARMUP_TENANT}" with ${users} users`);
  const token = await warmupToken(server);
  const client = createClient(server.scimUrl, token, config.concurrency);
  try {
    const sized = { ...config, users, ops: users };
    const { ids } = await benchUsers(client, sized, true, server.settle, () => {}, unmetered);
    await benchGroups(client, sized, ids, () => {}, unmetered);
  } finally {
    client.close();
  }
  await server.settle();
}

/** A tenant for the warm-up and a SCIM token of its own, through the admin API. */
async function warmupToken(server: BenchServer): Promise<string> {
  await adminPost(server, '/tenants', { slug: WARMUP_TENANT, name: 'Bench warm-up' }, 'warm-up: creating its tenant');
  const { secret } = await adminPost<{ secret: string }>(server, `/tenants/${WARMUP_TENANT}/tokens`, { name: 'bench warm-up' }, 'warm-up: creating its token');
  return secret;
}
