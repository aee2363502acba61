import type { Executor } from '../db/client.js';
import type { ChangeSource } from '../events/append.js';

/** Every directory verb runs for exactly one tenant; nothing it does can reach another. */
export interface DirectoryContext {
  db: Executor;
  tenantId: string;
  source: ChangeSource;
}
