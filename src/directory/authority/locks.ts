import { connectionOf, type Owner, type Rule } from './rules.js';

/** One rule as it stands for one user: locked to a source now, or open for this user. */
export interface FieldLock {
  path: string;
  /** The rule's owner as saved (`hr` stays `hr`). */
  owner: Owner;
  /**
   * Who alone changes the field for this user now: `hr` resolves to the managing connection
   * (`connection:<id>`); null when the rule does not hold for this user (an HR owner of a user no
   * connection manages, or another connection than the one that manages it).
   */
  lockedTo: Owner | null;
}

/**
 * What the tenant's rules lock for one user, given the connection that manages it (undefined for
 * a released or manual user). The same reading as `holderFor` in decide.ts: HR owners hold a field
 * only while their connection manages the user; `scim` and `manual` hold it always.
 */
export function locksFor(rules: readonly Rule[], managingConnection: string | undefined): FieldLock[] {
  return rules.map(({ path, owner }) => {
    const connection = connectionOf(owner);
    if (owner === 'hr') return { path, owner, lockedTo: managingConnection ? (`connection:${managingConnection}` as Owner) : null };
    if (connection) return { path, owner, lockedTo: managingConnection === connection ? owner : null };
    return { path, owner, lockedTo: owner };
  });
}
