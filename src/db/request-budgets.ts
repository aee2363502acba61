import type { BudgetStore } from '../../connectors/index.js';
import { query, type Executor } from './client.js';

/**
 * The per-credential request budgets on the database, so that every replica running syncs,
 * previews or credential checks with one HR credential draws on one budget. Each request moves
 * the credential's GCRA timeline forward in a single upsert, which Postgres serialises per row:
 * two replicas never take the same slot. Times are the callers' clocks (epoch ms); replicas are
 * expected to keep NTP time, and a skew of a few milliseconds only shifts a slot by as much.
 */
const RESERVE = `insert into request_budgets (key, tat, updated_at) values ($1, greatest($2::float8, $3::float8) + $4::float8, now())
  on conflict (key) do update set tat = greatest(request_budgets.tat, $2::float8, $3::float8) + $4::float8, updated_at = now()
  returning tat`;

export function createDbBudgetStore(db: Executor): BudgetStore {
  return {
    async reserve(key, nowMs, intervalMs, floorMs) {
      const [row] = await query<{ tat: number | string }>(db, RESERVE, [key, nowMs, floorMs, intervalMs]);
      return Number(row!.tat);
    },
  };
}
