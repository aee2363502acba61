import type { Executor } from '../db/client.js';
import type { ChangeSource } from '../events/append.js';
import type { TenantSettingsCache } from './tenant-settings.js';
import type { CreateTogether } from './users/create-user.js';
import type { DeleteTogether } from './users/delete-user.js';
import type { RecentUsers } from './users/recent-users.js';
import type { UpdateTogether } from './users/write-if-at.js';

/** Every directory verb runs for exactly one tenant; nothing it does can reach another. */
export interface DirectoryContext {
  db: Executor;
  tenantId: string;
  source: ChangeSource;
  /** The tenant's settings as this process holds them; without it a write reads them from the store. */
  settings?: Pick<TenantSettingsCache, 'get'>;
  /** The users this process wrote last (src/directory/users/recent-users.ts): lets a write skip its read. */
  recent?: RecentUsers;
  /** Group commit of concurrent creates of one tenant (src/directory/group-commit.ts). */
  createTogether?: CreateTogether;
  /** Group commit of concurrent compare-and-set updates of one tenant. */
  updateTogether?: UpdateTogether;
  /** Group commit of concurrent client deletes of one tenant. */
  deleteTogether?: DeleteTogether;
}
