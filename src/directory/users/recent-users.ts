/**
 * The users this process wrote last, each as the version it wrote and that version's document (as
 * the JSON text it sent). A PATCH or PUT of one of them computes its new document from this copy and
 * writes it in one statement whose `version = …` condition proves the copy current: no read first.
 * The copy is only a guess. A write elsewhere (another replica, an HR sync, the admin API) bumps the
 * row's version, the guarded write then changes nothing, and the caller reads the row and goes on
 * as without a copy; so a stale entry costs a round trip, never a wrong write. This holds because
 * every write of a user's document bumps its version and a user id is never reused (ids are drawn
 * fresh for every create).
 */
export interface RecentUser {
  version: number;
  /** The document as JSON text: parsed afresh for each use, so no caller can change the copy. */
  doc: string;
}

export interface RecentUsers {
  get(tenantId: string, id: string): RecentUser | undefined;
  remember(tenantId: string, id: string, user: RecentUser): void;
  forget(tenantId: string, id: string): void;
}

/** 10,000 users of about 1 KB each: a few megabytes held, for the users clients write again soon (a create then its PATCHes). */
export const RECENT_USERS_LIMIT = 10_000;

/** Least recently written first out, so the bound holds however many tenants write. */
export function createRecentUsers(limit = RECENT_USERS_LIMIT): RecentUsers {
  const entries = new Map<string, RecentUser>();
  const keyOf = (tenantId: string, id: string) => `${tenantId}/${id}`;
  return {
    get: (tenantId, id) => entries.get(keyOf(tenantId, id)),
    remember(tenantId, id, user) {
      const key = keyOf(tenantId, id);
      entries.delete(key);
      entries.set(key, user);
      if (entries.size > limit) entries.delete(entries.keys().next().value!);
    },
    forget: (tenantId, id) => void entries.delete(keyOf(tenantId, id)),
  };
}
