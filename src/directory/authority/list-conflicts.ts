import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { Executor } from '../../db/client.js';
import { userConflicts, users } from '../../db/schema.js';
import type { ChangeSource } from '../../events/append.js';
import { findUser } from '../users/rows.js';
import { loadTenantSettings } from '../tenant-settings.js';
import { readPath, sameValue } from './values.js';

/** What one source says about a field, against what is stored. */
export interface SourceSays {
  source: ChangeSource;
  value: unknown;
  firstAt: Date;
  lastAt: Date;
}

export interface FieldConflict {
  path: string;
  owner: string;
  /** The stored value: the owner's. */
  stored: unknown;
  sources: SourceSays[];
}

/**
 * A user's fields where a source disagrees with what is stored, with what each source says. An
 * attempt the stored value has since come to equal is no disagreement and is left out.
 */
export async function userConflictsOf(db: Executor, tenantId: string, userId: string): Promise<FieldConflict[]> {
  const [row, settings, rows] = await Promise.all([
    findUser(db, tenantId, userId),
    loadTenantSettings(db, tenantId),
    db
      .select()
      .from(userConflicts)
      .where(and(eq(userConflicts.tenantId, tenantId), eq(userConflicts.userId, userId)))
      .orderBy(userConflicts.path, desc(userConflicts.lastAt)),
  ]);
  const doc = row.doc as ResourceDoc;
  const byPath = new Map<string, FieldConflict>();
  for (const r of rows) {
    const stored = readPath(doc, r.path) ?? null;
    if (sameValue(settings.userType, r.path, stored, r.attempted)) continue;
    const field = byPath.get(r.path) ?? { path: r.path, owner: r.owner, stored, sources: [] };
    field.sources.push({ source: r.source as ChangeSource, value: r.attempted ?? null, firstAt: r.firstAt, lastAt: r.lastAt });
    byPath.set(r.path, field);
  }
  return [...byPath.values()];
}

export interface TenantConflict {
  userId: string;
  userName: string;
  path: string;
  owner: string;
  stored: unknown;
  source: ChangeSource;
  attempted: unknown;
  firstAt: Date;
  lastAt: Date;
}

/**
 * The tenant's open conflicts, most recent attempt first. `nextBefore` (the last attempt's time read,
 * when the page was full) pages on.
 */
export async function tenantConflictsOf(
  db: Executor,
  tenantId: string,
  options: { limit: number; before?: Date },
): Promise<{ items: TenantConflict[]; nextBefore: Date | null }> {
  const settings = await loadTenantSettings(db, tenantId);
  const rows = await db
    .select({ c: userConflicts, userName: users.userName, stored: sql<unknown>`${users.doc}`.as('stored_doc') })
    .from(userConflicts)
    .innerJoin(users, eq(users.id, userConflicts.userId))
    .where(and(eq(userConflicts.tenantId, tenantId), options.before ? lt(userConflicts.lastAt, options.before) : undefined))
    .orderBy(desc(userConflicts.lastAt), userConflicts.userId, userConflicts.path)
    .limit(options.limit);
  const items = rows.flatMap(({ c, userName, stored: doc }): TenantConflict[] => {
    const stored = readPath(doc as ResourceDoc, c.path) ?? null;
    if (sameValue(settings.userType, c.path, stored, c.attempted)) return [];
    return [{ userId: c.userId, userName, path: c.path, owner: c.owner, stored, source: c.source as ChangeSource, attempted: c.attempted ?? null, firstAt: c.firstAt, lastAt: c.lastAt }];
  });
  return { items, nextBefore: rows.length === options.limit ? rows[rows.length - 1]!.c.lastAt : null };
}
