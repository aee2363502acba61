import { invokeAdmin } from '../../admin/invoke.js';
import type { WebhookSettings } from '../../admin/route.js';
import { tenantOf } from '../../connections/tenant-of.js';
import { loadSecretKey } from '../../crypto/secret-key.js';
import type { Database } from '../../db/client.js';
import { createEgress } from '../../egress/index.js';
import { readEnv } from '../../env.js';
import type { ConnectionWork } from '../store.js';
import type { AdminClient } from './client.js';

/** The server's address as a browser reaches it: PUBLIC_URL, else this host on the configured port (links handed out). */
export function localOrigin(): string {
  const env = readEnv();
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
}

/** The secret key (webhook secrets are sealed with it, as the server does) and the delivery timeout for test sends. */
export function localWebhookSettings(): WebhookSettings {
  const env = readEnv();
  return { secretKey: loadSecretKey(env).key, timeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000, egress: createEgress({ allowed: env.EGRESS_ALLOWED }).policy };
}

/** The admin routes run in this process on the opened store, as an operator (`src/admin/invoke.ts`). */
export function createLocalClient(database: Database, work: Partial<ConnectionWork> & { webhooks?: WebhookSettings } = {}): AdminClient {
  const context = { ...work, origin: localOrigin() };
  return {
    mode: 'local',
    call: (method, path, input = {}) => invokeAdmin(database, method, path, input, context),
    tenantOf: async (kind, id, given) => given ?? tenantOf(database.db, kind, id),
  };
}
