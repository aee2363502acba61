import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { scimTokens } from '../db/schema.js';
import { hashSecret } from '../auth/scim-tokens.js';

/** One SCIM request as the console's live list shows it: never a body, a header or a query string. */
export interface RecentScimRequest {
  method: string;
  path: string;
  status: number;
  at: string;
  /** The token used, when it is one of the tenant's (a 401 with an unknown token belongs to no tenant). */
  tokenId: string | null;
}

/** As recorded: the time in epoch milliseconds, written out as ISO only when the console reads the list. */
export type RecordedScimRequest = Omit<RecentScimRequest, 'at'> & { at: number };

export interface RecentScimRequests {
  record(tenantId: string, entry: RecordedScimRequest): void;
  /** A 401: attributed to a tenant only if the bearer is one of its (revoked or expired) tokens; resolved in the background. */
  recordRefused(db: Executor, authorization: string | undefined, entry: Omit<RecordedScimRequest, 'tokenId'>): void;
  list(tenantId: string): RecentScimRequest[];
}

/**
 * The last requests per tenant, in this process's memory: a push onto a short array per request,
 * no write to the store on the SCIM hot path. With several replicas each lists what it served.
 */
export function createRecentScimRequests(perTenant = 50, maxTenants = 10_000): RecentScimRequests {
  const byTenant = new Map<string, RecordedScimRequest[]>();
  // The tenant moved to the end of the map last: a run of its requests need not move it again.
  let latest: string | undefined;
  const record = (tenantId: string, entry: RecordedScimRequest) => {
    let list = byTenant.get(tenantId);
    if (!list) {
      // Bounded: the tenant heard from least recently makes room.
      if (byTenant.size >= maxTenants) byTenant.delete(byTenant.keys().next().value!);
      list = [];
      byTenant.set(tenantId, list);
    } else if (tenantId !== latest) {
      byTenant.delete(tenantId);
      byTenant.set(tenantId, list);
    }
    latest = tenantId;
    list.push(entry);
    // shift(), not splice(): it drops the oldest in place, without a new array per request.
    while (list.length > perTenant) list.shift();
  };
  return {
    record,
    recordRefused(db, authorization, entry) {
      const match = /^Bearer\s+(\S{1,300})\s*$/i.exec(authorization ?? '');
      if (!match) return;
      void db
        .select({ id: scimTokens.id, tenantId: scimTokens.tenantId })
        .from(scimTokens)
        .where(eq(scimTokens.secretHash, hashSecret(match[1]!)))
        .then(([row]) => {
          if (row) record(row.tenantId, { ...entry, tokenId: row.id });
        })
        .catch(() => {
          // Advisory only: a failed lookup leaves the request unlisted.
        });
    },
    list: (tenantId) => (byTenant.get(tenantId) ?? []).map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })).reverse(),
  };
}
